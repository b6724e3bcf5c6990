"""Brain-Score's plugin-folder layouts, and importing its model plugins as ``brainscore_vision.models.<folder>``.

A plugin directory may be a checkout of Brain-Score's repository (``<dir>/brainscore_vision/models/<name>/``),
its package folder (``<dir>/models/<name>/`` next to ``benchmarks/``, ``data/``, ``metrics/`` inside a folder
named ``brainscore_vision``), or a bare ``models/<name>/`` tree. In the first two only ``models/`` is discovered:
Brain-Score's own benchmark, data and metric plugins need its package, which is not here.

A model plugin written for Brain-Score (its ``__init__.py`` imports ``brainscore_vision``) is imported under the
name Brain-Score gives it, ``brainscore_vision.models.<folder>``, so that its relative imports and its imports of
sibling plugins (``from brainscore_vision.models.<other>.model import ...``) resolve: the compatibility package's
``brainscore_vision.models`` searches the folders ``PluginHost.compat_models_path`` returns. Never when the real
Brain-Score is installed: then its namespace is left alone and the folders get private names.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

__all__ = [
    "BRAINSCORE_MODELS",
    "BRAINSCORE_PACKAGE",
    "brainscore_models_dir",
    "compat_models_package",
    "is_brainscore_plugin",
    "is_compat_package",
    "left_out_kinds",
]

BRAINSCORE_PACKAGE = "brainscore_vision"
BRAINSCORE_MODELS = f"{BRAINSCORE_PACKAGE}.models"
_OTHER_KINDS = ("benchmarks", "data", "metrics")
_CORE_DIR = Path(__file__).resolve().parents[1]  # brainscore_core/: the compatibility package lives inside it


def brainscore_models_dir(directory: Path) -> Path | None:
    """The ``models/`` folder of a Brain-Score checkout (``<dir>/brainscore_vision/models``) or of its package
    folder (``<dir>`` named ``brainscore_vision``, holding ``models/``); None for any other directory."""
    if (directory / BRAINSCORE_PACKAGE / "models").is_dir():
        return directory / BRAINSCORE_PACKAGE / "models"
    if directory.name == BRAINSCORE_PACKAGE and (directory / "models").is_dir():
        return directory / "models"
    return None


def left_out_kinds(directory: Path) -> list[str]:
    """The kind folders of a Brain-Score layout that discovery leaves out (its benchmarks, data, metrics)."""
    models = brainscore_models_dir(directory)
    if models is None:
        return []
    return [kind for kind in _OTHER_KINDS if (models.parent / kind).is_dir()]


def is_brainscore_plugin(folder: Path) -> bool:
    """Whether the plugin folder is written for Brain-Score: its ``__init__.py`` imports ``brainscore_vision``."""
    try:
        source = (folder / "__init__.py").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return BRAINSCORE_PACKAGE in source


def is_compat_package(module: ModuleType | None) -> bool:
    """Whether ``module`` (``brainscore_vision``) is this project's compatibility package, not Brain-Score's."""
    if module is None:
        return False
    if getattr(module, "__brainscore_compat__", False):
        return True
    origin = getattr(getattr(module, "__spec__", None), "origin", None) or getattr(module, "__file__", None)
    return bool(origin) and Path(str(origin)).resolve().is_relative_to(_CORE_DIR)


def compat_models_package() -> ModuleType | None:
    """``brainscore_vision.models`` when ``brainscore_vision`` is this project's compatibility package (imported
    now if needed); None when the real Brain-Score is installed or no compatibility package exists."""
    package = sys.modules.get(BRAINSCORE_PACKAGE)
    if package is None:
        try:
            package = importlib.import_module(BRAINSCORE_PACKAGE)
        except ImportError:
            return None
    if not is_compat_package(package):
        return None  # the real Brain-Score: never put our plugins into its namespace
    try:
        return importlib.import_module(BRAINSCORE_MODELS)
    except ImportError:
        return None
