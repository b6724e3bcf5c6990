"""Fixtures of the plugin-folder tests: a fresh default PluginHost, and small plugin folders written on the fly.

``plugin_host`` lets the default host discover first (the built-ins are then in the snapshot), swaps in a fresh
host, and afterwards puts every registry back and forgets the modules the test imported from its folders,
including those imported as ``brainscore_vision.models.<name>``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from brainscore_core.plugins import ENV_NO_BUILTIN_PLUGINS, ENV_PLUGINS_PATH, PluginHost, default_host, use_host
from brainscore_core.registry import REGISTRIES

__all__: list[str] = []

HERE = Path(__file__).parent


@pytest.fixture
def plugin_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PluginHost]:
    """A fresh default :class:`PluginHost`; the registries and ``sys.modules`` are put back afterwards."""
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
            if name.startswith(("brainscore_plugins.", "brainscore_vision.models.")) or (
                path and Path(path).is_relative_to(tmp_path)
            ):
                del sys.modules[name]
