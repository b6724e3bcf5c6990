"""Fixtures of the compatibility-layer tests: plugin folders in Brain-Score's idiom."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

__all__: list[str] = []


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
