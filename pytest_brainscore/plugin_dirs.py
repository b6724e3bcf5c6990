"""Plugin folders in the pytest run: ``--brainscore-no-builtin-plugins``; the header lines that say which
built-in example plugins a user's folder replaced, which identifiers conflict and what discovery left out; and the
collection of a Brain-Score plugin folder's ``test.py`` under the folder's Brain-Score name.

brainscore_core is imported only when the switch is on or plugin directories were given (the notices need
discovery); a run that uses neither pays nothing.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .options import BrainscoreOptions, Option, key

__all__ = [
    "OPTIONS",
    "BrainscorePluginModule",
    "PluginDirsPlugin",
    "configure",
    "header_lines",
    "no_builtin_plugins",
    "reissue_discovery_warnings",
]

OPTIONS = (
    Option(
        "no-builtin-plugins",
        "flag",
        "Leave the built-in example model plugins (alexnet, pixels, ...) out of discovery (also "
        "BRAINSCORE_NO_BUILTIN_PLUGINS=1); without it, a plugin folder's identifier replaces a built-in one.",
    ),
)
_ENV = "BRAINSCORE_NO_BUILTIN_PLUGINS"  # brainscore_core.plugins.ENV_NO_BUILTIN_PLUGINS, without importing it


def no_builtin_plugins(config: pytest.Config) -> bool:
    """Whether the built-in example plugins are left out: the option, else the ini key."""
    value = config.getoption(key("no-builtin-plugins"))
    return bool(config.getini(key("no-builtin-plugins"))) if value is None else bool(value)


def configure(config: pytest.Config) -> None:
    """Apply ``--brainscore-no-builtin-plugins`` to discovery (before anything is discovered)."""
    if no_builtin_plugins(config):
        from brainscore_core.plugins import leave_out_builtin_plugins

        leave_out_builtin_plugins()


_deferred_key = pytest.StashKey[list[warnings.WarningMessage]]()


def header_lines(config: pytest.Config, options: BrainscoreOptions) -> list[str]:
    """The header lines about plugin folders: empty unless plugin directories were given with the option or ini key
    (or ``BRAINSCORE_PLUGINS_PATH`` with a model or benchmark selection); then discovery runs.

    Warnings discovery issues here (a plugin that failed to load) are kept and issued again during collection,
    where pytest's warnings summary records them, as it would had discovery run during the tests.
    """
    lines = []
    if no_builtin_plugins(config) or os.environ.get(_ENV, "").strip().lower() in {"1", "true", "yes", "on"}:
        lines.append("brainscore: built-in example model plugins left out")
    selecting = bool(options.models or options.benchmarks)
    if not options.plugins and not (selecting and os.environ.get("BRAINSCORE_PLUGINS_PATH")):
        return lines  # a run that names no plugin directory (the variable alone may be set globally) stays light
    from brainscore_core.errors import BrainScoreError
    from brainscore_core.plugins import add_plugin_directories, ensure_discovered, plugin_notices

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if options.plugins:
                add_plugin_directories(*options.plugins)
            ensure_discovered()
        except BrainScoreError:  # e.g. a BRAINSCORE_PLUGINS_PATH entry that is not a directory: the session says so
            return lines
        finally:
            config.stash[_deferred_key] = list(caught)
    lines += [f"brainscore: {notice}" for notice in plugin_notices()]
    return lines


def reissue_discovery_warnings(config: pytest.Config) -> None:
    """Issue the warnings kept by :func:`header_lines` again (inside pytest's collection, which records them)."""
    for message in config.stash.get(_deferred_key, []):
        warnings.warn_explicit(message.message, message.category, message.filename, message.lineno)
    config.stash[_deferred_key] = []


def _written_for_brainscore(folder: Path) -> bool:
    try:
        return "brainscore_vision" in (folder / "__init__.py").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


class BrainscorePluginModule(pytest.Module):
    """A test module of a Brain-Score plugin folder, imported as ``brainscore_vision.models.<folder>.<module>``:
    its relative imports (``from .model import get_layers``) then reach the very modules discovery imported, and
    the plugin's registrations are not made a second time under another name."""

    module_name: str = ""

    def _getobj(self) -> ModuleType:
        try:
            module = importlib.import_module(self.module_name)
        except Exception as error:
            raise self.CollectError(
                f"ImportError while importing test module {self.path} as {self.module_name}:\n"
                + "".join(traceback.format_exception_only(type(error), error))
            ) from error
        self.config.pluginmanager.consider_module(module)
        return module


class PluginDirsPlugin:
    """Collects the test modules of Brain-Score plugin folders under their Brain-Score names."""

    NAME = "brainscore-plugin-dirs"

    def __init__(self, core: Callable[[], Any]) -> None:
        self._core = core  # the session's brainscore_core, configured (plugin directories added) on first call

    def pytest_collection(self, session: pytest.Session) -> None:
        reissue_discovery_warnings(session.config)

    @pytest.hookimpl(tryfirst=True)
    def pytest_pycollect_makemodule(self, module_path: Path, parent: pytest.Collector) -> pytest.Module | None:
        folder = module_path.parent
        if module_path.name == "__init__.py" or not _written_for_brainscore(folder):
            return None
        package = _brainscore_package(folder, self._core)
        if package is None:
            return None
        module = BrainscorePluginModule.from_parent(parent, path=module_path)
        module.module_name = f"{package}.{module_path.stem}"
        return module


def _brainscore_package(folder: Path, core: Callable[[], Any]) -> str | None:
    """The name the plugin folder is imported under as ``brainscore_vision.models.<name>`` (its directory is
    discovered now if it was not given), or None when it cannot have that name."""
    core()
    from brainscore_core.plugins import add_plugin_directories, default_host

    host = default_host()
    host.ensure_discovered()
    resolved = folder.resolve()
    if resolved not in host.imported_folders:
        add_plugin_directories(resolved)  # a test.py given on the command line: its plugin folder is discovered
    name = f"brainscore_vision.models.{folder.name}"
    module = sys.modules.get(name)
    location = getattr(module, "__file__", None)
    return name if location and Path(location).resolve().parent == resolved else None
