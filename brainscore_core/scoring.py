"""``score(model, benchmark)``: the one call that runs a benchmark on a model."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, TypeVar

from .loading import load_benchmark, load_model

if TYPE_CHECKING:
    from .benchmarks import Benchmark
    from .brain_model import BrainModel
    from .score import Score

__all__ = ["score"]

_T = TypeVar("_T")


def _one_of(positional: str | _T | None, keyword: str | _T | None, what: str) -> str | _T:
    """The model (or benchmark) given either positionally or by its Brain-Score keyword, never both or neither."""
    if positional is not None and keyword is not None:
        raise TypeError(
            f"score() got the {what} twice: {positional!r} and {what}_identifier={keyword!r}; pass one of them."
        )
    if positional is None and keyword is None:
        raise TypeError(
            f"score() needs a {what}: score(model, benchmark) or "
            "score(model_identifier='...', benchmark_identifier='...')."
        )
    chosen = positional if positional is not None else keyword
    assert chosen is not None
    return chosen


def score(
    model: str | BrainModel | None = None,
    benchmark: str | Benchmark | None = None,
    *,
    model_identifier: str | BrainModel | None = None,
    benchmark_identifier: str | Benchmark | None = None,
) -> Score:
    """Score ``model`` on ``benchmark`` (identifiers or objects) and return the ceiled :class:`Score`.

    Brain-Score's keywords work too, as in its tutorial: ``score(model_identifier='alexnet',
    benchmark_identifier='Geirhos2021edge-error_consistency')``. Give each of model and benchmark once,
    positionally or by keyword (``model_identifier`` also accepts a BrainModel object, as ``model`` does).
    The Score carries ``raw``, ``ceiling``, ``error``, both identifiers and the benchmark version;
    ``attrs['seconds']`` is the wall time.
    """
    chosen_model = _one_of(model, model_identifier, "model")
    chosen_benchmark = _one_of(benchmark, benchmark_identifier, "benchmark")
    start = time.perf_counter()
    model_object = load_model(chosen_model) if isinstance(chosen_model, str) else chosen_model
    benchmark_object = load_benchmark(chosen_benchmark) if isinstance(chosen_benchmark, str) else chosen_benchmark
    result = benchmark_object(model_object)
    result = result.with_identifiers(
        model=getattr(model_object, "identifier", chosen_model if isinstance(chosen_model, str) else None),
        benchmark=getattr(
            benchmark_object, "identifier", chosen_benchmark if isinstance(chosen_benchmark, str) else None
        ),
        version=getattr(benchmark_object, "version", None),
    )
    result.attrs.setdefault("seconds", time.perf_counter() - start)
    return result
