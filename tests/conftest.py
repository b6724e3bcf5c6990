"""Fixtures shared by the tests under ``tests/``."""

from __future__ import annotations

import importlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from brainscore_core.plugins import PluginHost


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


@pytest.fixture
def fresh_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], ModuleType]:
    """``fresh_module(name, source)``: write ``tmp_path/<name>.py`` and import it afresh, as a person's edit of a
    module would be seen. Each write gets its own modification time (whole seconds apart): Python's bytecode cache
    and ``linecache`` tell versions of a file apart by size and mtime."""
    monkeypatch.syspath_prepend(str(tmp_path))
    writes = 0

    def write_and_import(name: str, source: str) -> ModuleType:
        nonlocal writes
        path = tmp_path / f"{name}.py"
        path.write_text(source)
        writes += 1
        stamp = time.time() + 10 * writes
        os.utime(path, (stamp, stamp))
        sys.modules.pop(name, None)
        importlib.invalidate_caches()
        return importlib.import_module(name)

    return write_and_import


@pytest.fixture
def plugin_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PluginHost]:
    """A fresh default :class:`~brainscore_core.plugins.PluginHost`, for in-process discovery (also by in-process
    ``pytester.runpytest()`` runs); the registries and ``sys.modules`` are put back afterwards.

    Plugins register into the global registries, so the fixture first lets the default host discover (the built-in
    plugins are then in the snapshot), swaps in a fresh host, and afterwards restores every registry and forgets the
    plugin modules the test imported, also those imported as ``brainscore_vision.models.<name>`` (so later
    discoveries import them again).
    """
    from brainscore_core.plugins import ENV_NO_BUILTIN_PLUGINS, ENV_PLUGINS_PATH, PluginHost, default_host, use_host
    from brainscore_core.registry import REGISTRIES

    monkeypatch.delenv(ENV_PLUGINS_PATH, raising=False)
    monkeypatch.delenv(ENV_NO_BUILTIN_PLUGINS, raising=False)
    default_host().ensure_discovered()
    snapshots = {name: registry.snapshot() for name, registry in REGISTRIES.items()}
    modules = set(sys.modules)
    host = PluginHost()
    try:
        with use_host(host):
            yield host
    finally:
        for name, registry in REGISTRIES.items():
            registry.restore(snapshots[name])
        for name in set(sys.modules) - modules:
            path = getattr(sys.modules[name], "__file__", None) or ""
            # plugin folders are imported as brainscore_plugins.* or, Brain-Score's, brainscore_vision.models.*
            if name.startswith(("brainscore_plugins.", "brainscore_vision.models.")) or Path(path).is_relative_to(
                tmp_path
            ):
                del sys.modules[name]
