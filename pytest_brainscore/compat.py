"""The ``brainscore_vision`` compatibility finder, installed when the pytest plugin loads, and its header lines.

The finder module (``brainscore_core/compat/_finder.py``) imports nothing heavy; it is loaded here by file path
under its own name, so loading the plugin still imports neither ``brainscore_core`` nor torch.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

__all__ = ["finder_module", "header_lines", "install_finder"]

_NAME = "brainscore_core.compat._finder"


def finder_module() -> ModuleType | None:
    """``brainscore_core.compat._finder`` (loaded by path if ``brainscore_core`` is not imported yet), or None when
    this ``brainscore_core`` has none (e.g. Brain-Score's own distribution overwrote ours)."""
    if _NAME in sys.modules:
        return sys.modules[_NAME]
    core = importlib.util.find_spec("brainscore_core")  # finds the package without importing it
    if core is None or not core.submodule_search_locations:
        return None
    path = Path(next(iter(core.submodule_search_locations))) / "compat" / "_finder.py"
    spec = importlib.util.spec_from_file_location(_NAME, path)
    if spec is None or spec.loader is None or not path.is_file():
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[_NAME] = module  # the very module brainscore_core.compat imports later
    spec.loader.exec_module(module)
    return module


def install_finder() -> None:
    """Make ``import brainscore_vision`` resolve to the compatibility layer when Brain-Score is not installed."""
    module = finder_module()
    if module is not None:
        module.install()


def header_lines() -> list[str]:
    """Which ``brainscore_vision`` is in use, and a warning when Brain-Score's ``brainscore-core`` is installed."""
    module = finder_module()
    if module is None:
        return ["brainscore_vision: compatibility layer missing (brainscore_core is not pytest-brainscore's)"]
    lines: list[str] = module.header_lines()
    return lines
