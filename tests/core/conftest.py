"""Fixtures of the core tests. ``plugin_host``: in-process discovery tests on a fresh default PluginHost.

Plugins register into the global registries, so the fixture first lets the default host discover (the built-in
plugins are then in the snapshot), swaps in a fresh host, and afterwards restores every registry and forgets
the plugin modules the test imported (so later discoveries import them again).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from brainscore_core.plugins import ENV_PLUGINS_PATH, PluginHost, default_host, use_host
from brainscore_core.registry import REGISTRIES

__all__: list[str] = []


@pytest.fixture
def plugin_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PluginHost]:
    """A fresh default :class:`PluginHost`; the registries and ``sys.modules`` are put back afterwards."""
    monkeypatch.delenv(ENV_PLUGINS_PATH, raising=False)
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
            if name.startswith("brainscore_plugins.") or Path(path).is_relative_to(tmp_path):
                del sys.modules[name]
