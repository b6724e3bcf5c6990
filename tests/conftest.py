"""Fixtures shared by the tests under ``tests/``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def isolated_cache(tmp_path: Path) -> Iterator[Path]:
    """A fresh, enabled cache under ``tmp_path / "cache"`` (yielded), on the CPU and without progress bars.

    Use it as a parameter when the test needs the folder, or for a whole module with
    ``pytestmark = pytest.mark.usefixtures("isolated_cache")``; nest ``configure(cache_enabled=False)`` (or use
    :func:`isolated_no_cache`) to turn the cache off.
    """
    from brainscore_core.config import configure  # imported here: collecting tests/plugin imports no core

    cache_dir = tmp_path / "cache"
    with configure(cache_dir=cache_dir, cache_enabled=True, progress=False, device="cpu"):
        yield cache_dir


@pytest.fixture
def isolated_no_cache(isolated_cache: Path) -> Iterator[Path]:
    """:func:`isolated_cache` with caching switched off: nothing is read from or written to any cache."""
    from brainscore_core.config import configure

    with configure(cache_enabled=False):
        yield isolated_cache
