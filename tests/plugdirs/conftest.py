"""Fixtures of the plugin-folder tests (``plugin_host`` is the shared one in ``tests/conftest.py``)."""

from __future__ import annotations

from pathlib import Path

__all__: list[str] = []

HERE = Path(__file__).parent
