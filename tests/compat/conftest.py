"""Fixtures of the compatibility-layer tests: a fresh plugin host, and plugin folders in Brain-Score's idiom."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from brainscore_core.plugins import ENV_PLUGINS_PATH, PluginHost, default_host, use_host
from brainscore_core.registry import REGISTRIES

__all__: list[str] = []


@pytest.fixture
def plugin_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PluginHost]:
    """A fresh default :class:`PluginHost`; registries and ``sys.modules`` are put back afterwards."""
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
            if name.startswith(("brainscore_plugins.", "brainscore_vision.models.")) or Path(path).is_relative_to(
                tmp_path
            ):
                del sys.modules[name]


@pytest.fixture
def write_plugin(tmp_path: Path) -> Callable[..., Path]:
    """``write_plugin(name, files)``: a plugin folder ``tmp_path/plugins/models/<name>`` with ``files``
    ({relative path: source}, dedented); returns the plugin directory (``tmp_path/plugins``)."""

    def write(name: str, files: dict[str, str]) -> Path:
        folder = tmp_path / "plugins" / "models" / name
        for relative, source in files.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(source).lstrip())
        return tmp_path / "plugins"

    return write
