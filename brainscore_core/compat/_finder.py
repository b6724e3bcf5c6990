"""The ``brainscore_vision`` name, resolved to our compatibility package when Brain-Score is not installed.

This module imports nothing from ``brainscore_core`` (the pytest plugin loads it by file path, before
``brainscore_core`` is imported). :func:`install` appends :class:`CompatFinder` to ``sys.meta_path`` *after* the
standard finders: a real ``brainscore_vision`` on ``sys.path`` is always found first and never shadowed.

When no real one exists, the finder loads ``brainscore_core/compat/_vision/__init__.py`` *as* the package
``brainscore_vision`` (its folder is the package's ``__path__``), so every submodule exists once, under its
``brainscore_vision.*`` name. Plugin folders become importable as ``brainscore_vision.models.<folder>``: the
``models`` package's ``__path__`` is computed on each lookup from :func:`models_path` (see there for the hook).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.metadata
import importlib.util
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import ModuleType

__all__ = [
    "PACKAGE",
    "CompatFinder",
    "ForeignBrainscoreCoreWarning",
    "add_models_path_provider",
    "foreign_core_distributions",
    "foreign_core_message",
    "header_lines",
    "install",
    "installed_finder",
    "models_path",
    "real_vision_location",
    "vision_in_use",
    "warn_if_foreign_core",
]

PACKAGE = "brainscore_vision"  #: the name Brain-Score's plugins import
VISION_DIR = Path(__file__).resolve().with_name("_vision")  #: our implementation of that package
#: Brain-Score's ``brainscore_core.supported_data_standards`` path (the S3 weight helpers), whose other modules we lack
STANDARDS_DIR = Path(__file__).resolve().parents[1] / "supported_data_standards"
_STANDARDS = "brainscore_core.supported_data_standards"
_MARK = "_brainscore_compat_finder"  # attribute marking our finder (a copy loaded by path is the same finder)

#: Functions returning folders that hold model plugin folders (``<dir>/<plugin>/__init__.py``); each is asked on
#: every lookup in ``brainscore_vision.models``.
_MODELS_PATH_PROVIDERS: list[Callable[[], Iterable[str | os.PathLike[str]]]] = []


class ForeignBrainscoreCoreWarning(UserWarning):
    """Brain-Score's own ``brainscore-core`` distribution is installed next to pytest-brainscore."""


# --- the models path hook ------------------------------------------------------------------------------------------
def add_models_path_provider(provider: Callable[[], Iterable[str | os.PathLike[str]]]) -> None:
    """Make ``provider()``'s folders part of ``brainscore_vision.models.__path__``.

    The hook for plugin discovery: a folder ``D`` returned here makes ``D/<name>/__init__.py`` importable as
    ``brainscore_vision.models.<name>`` (relative and sibling imports inside plugins then work). Providers are
    asked on every lookup, so directories added later are seen. Adding the same provider twice adds it once.
    """
    if provider not in _MODELS_PATH_PROVIDERS:
        _MODELS_PATH_PROVIDERS.append(provider)


def _host_models_path() -> list[Path]:
    """The default provider: the PluginHost's ``compat_models_path()`` if it has one (plugin discovery defines it),
    else ``<dir>/brainscore_vision/models`` and ``<dir>/models`` of each extra plugin directory."""
    discovery = sys.modules.get("brainscore_core.plugins.discovery")
    if discovery is None:  # nothing was discovered yet: no plugin directory is known
        return []
    host = discovery.default_host()
    own: Callable[[], Iterable[Path]] | None = getattr(host, "compat_models_path", None)
    if own is not None:
        return list(own())
    found: list[Path] = []
    for directory in host.plugin_directories():
        for candidate in (directory / PACKAGE / "models", directory / "models"):
            if candidate.is_dir():
                found.append(candidate)
    return found


def models_path() -> list[str]:
    """The folders searched for ``brainscore_vision.models.<name>``: every provider's, then our own ``models``."""
    seen: list[str] = []
    for provider in [_host_models_path, *_MODELS_PATH_PROVIDERS]:
        for folder in provider():
            text = str(Path(folder).resolve())
            if text not in seen:
                seen.append(text)
    own = str(VISION_DIR / "models")
    return [*seen, own] if own not in seen else seen


class DynamicPath(Sequence[str]):
    """A package ``__path__`` recomputed on every use (like the one of a namespace package)."""

    def __init__(self, compute: Callable[[], list[str]]) -> None:
        self._compute = compute

    def __iter__(self) -> Iterator[str]:
        return iter(self._compute())

    def __len__(self) -> int:
        return len(self._compute())

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return self._compute()[index]

    def __contains__(self, item: object) -> bool:
        return item in self._compute()

    def __repr__(self) -> str:
        return f"DynamicPath({self._compute()!r})"


# --- the finder ----------------------------------------------------------------------------------------------------
class CompatFinder(importlib.abc.MetaPathFinder):
    """Finds ``brainscore_vision`` (our compatibility package) when no finder before it did."""

    _brainscore_compat_finder = True

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == PACKAGE:
            return importlib.util.spec_from_file_location(
                PACKAGE, VISION_DIR / "__init__.py", submodule_search_locations=[str(VISION_DIR)]
            )
        parent = sys.modules.get(fullname.rpartition(".")[0])
        if fullname.startswith((PACKAGE + ".", _STANDARDS + ".")) and _is_ours(parent):
            # the standard finders found no such submodule of our package: say why instead of "No module named"
            return importlib.machinery.ModuleSpec(fullname, _MissingLoader(list(path or [])))
        return None

    def __repr__(self) -> str:
        return f"<CompatFinder {PACKAGE} -> {VISION_DIR}>"


def _is_ours(module: ModuleType | None) -> bool:
    location = getattr(module, "__file__", None)
    if not location:
        return False
    path = Path(str(location)).resolve()
    return path.is_relative_to(VISION_DIR) or path.is_relative_to(STANDARDS_DIR)


class _MissingLoader(importlib.abc.Loader):
    """Loads nothing: raises the compatibility layer's error for a ``brainscore_vision`` module we lack."""

    def __init__(self, searched: list[str]) -> None:
        self.searched = searched

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        from ._support import NotSupportedError, not_supported

        name = spec.name
        if name.startswith(f"{PACKAGE}.models."):
            plugin = name.split(".")[2]
            raise NotSupportedError(
                f"No model plugin folder {plugin!r} was found in {self.searched} (the folders of "
                f"{PACKAGE}.models). Pass the directory holding its models/ folder with --brainscore-plugins=DIR "
                "(pytest) or --plugins=DIR (brainscore), or set BRAINSCORE_PLUGINS_PATH.",
                name=name,
            )
        not_supported(name, "Brain-Score has this module; the compatibility layer does not provide it")

    def exec_module(self, module: ModuleType) -> None:  # pragma: no cover - create_module always raises
        raise AssertionError(module)


def installed_finder() -> object | None:
    """Our finder on ``sys.meta_path``, if installed."""
    return next((finder for finder in sys.meta_path if getattr(finder, _MARK, False)), None)


def install() -> None:
    """Append :class:`CompatFinder` to ``sys.meta_path`` (once): last, so a real ``brainscore_vision`` wins."""
    if installed_finder() is None:
        sys.meta_path.append(CompatFinder())


# --- which brainscore_vision, which brainscore_core ----------------------------------------------------------------
def real_vision_location() -> Path | None:
    """Where a real ``brainscore_vision`` is (found by the standard finders on ``sys.path``), or None."""
    module = sys.modules.get(PACKAGE)
    if module is not None:
        location = getattr(module, "__file__", None)
        if location and Path(location).resolve().parent != VISION_DIR:
            return Path(location).resolve().parent
        if location:
            return None
    spec = importlib.machinery.PathFinder.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).resolve().parent


def vision_in_use() -> str:
    """One line: which ``brainscore_vision`` an ``import brainscore_vision`` gives."""
    real = real_vision_location()
    if real is not None:
        return f"{PACKAGE}: Brain-Score's own, at {real} (pytest-brainscore's compatibility layer is not used)"
    return f"{PACKAGE}: pytest-brainscore's compatibility layer ({VISION_DIR})"


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def foreign_core_distributions() -> list[importlib.metadata.Distribution]:
    """Installed distributions named ``brainscore-core`` (Brain-Score's): they use our import name."""
    found: list[importlib.metadata.Distribution] = []
    seen: set[str] = set()
    # a search by name reads only matching dist-info folders (scanning every distribution costs ~40 ms)
    for distribution in importlib.metadata.distributions(name="brainscore-core"):
        name = distribution.metadata["Name"] or ""
        where = str(getattr(distribution, "_path", ""))
        if _normalised(name) == "brainscore-core" and where not in seen:
            seen.add(where)
            found.append(distribution)
    return found


def foreign_core_message() -> str | None:
    """What to tell the user when Brain-Score's ``brainscore-core`` is installed here (None when it is not)."""
    found = foreign_core_distributions()
    if not found:
        return None
    where = "; ".join(f"{d.metadata['Name']} {d.version} ({getattr(d, '_path', 'unknown location')})" for d in found)
    return (
        f"Brain-Score's brainscore-core distribution is installed in this environment: {where}. It uses the same "
        "import name, brainscore_core, as pytest-brainscore, so installing both overwrites one with the other's "
        "files and either may fail in odd ways. Use a separate environment for Brain-Score (python -m venv "
        "bs-env && bs-env/bin/pip install brainscore-vision), or `pip uninstall brainscore-core` here and "
        "reinstall pytest-brainscore (`pip install --force-reinstall pytest-brainscore`)."
    )


def warn_if_foreign_core() -> None:
    """Warn (:class:`ForeignBrainscoreCoreWarning`) when Brain-Score's ``brainscore-core`` is installed."""
    message = foreign_core_message()
    if message is not None:
        warnings.warn(message, ForeignBrainscoreCoreWarning, stacklevel=3)


def header_lines() -> list[str]:
    """The pytest header lines: which ``brainscore_vision`` is used, and a foreign ``brainscore-core``."""
    lines = [vision_in_use()]
    message = foreign_core_message()
    if message is not None:
        lines.append(f"WARNING: {message}")
    return lines
