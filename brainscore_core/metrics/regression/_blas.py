"""Small linear algebra on one BLAS thread."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import Any

__all__: list[str] = []


_SMALL_FACTORISATION = 1024  #: matrices up to this size are factorised on one BLAS thread


@functools.cache
def _thread_controller() -> Any:
    try:
        from threadpoolctl import ThreadpoolController  # installed with scikit-learn
    except ImportError:  # pragma: no cover - scikit-learn always brings it
        return None
    return ThreadpoolController()


@contextlib.contextmanager
def _single_blas_thread(active: bool = True) -> Iterator[None]:
    """Run small linear algebra on one BLAS thread.

    Threaded OpenBLAS gains nothing on matrices of a few hundred rows, and on a busy machine its threads wait
    for cores: a 300 x 300 Cholesky then takes ~0.5 s instead of ~1 ms.
    """
    controller = _thread_controller() if active else None
    if controller is None:
        yield
        return
    with controller.limit(limits=1, user_api="blas"):
        yield
