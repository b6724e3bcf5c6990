"""Plugin discovery: the built-in ``example_plugins`` tree, extra directories, then installed entry points.

A plugin is a folder with an ``__init__.py`` that registers identifiers (Brain-Score's plugin layout). A plugin
directory holds kind folders ``data/``, ``metrics/``, ``benchmarks/``, ``models/``, each with one plugin per
sub-folder; a directory that is itself a plugin folder, or that holds plugin folders directly, works too.
Discovery imports each plugin's ``__init__.py`` (registering zero-argument factories), never builds a model or
loads data. It runs once, on the first lookup; :func:`add_plugin_directories` adds directories later.

Each plugin is imported (and each entry point loaded and called) on its own: what it prints goes to stderr, so
stdout stays for the caller's output (``brainscore score --json``); if it raises anything but
``KeyboardInterrupt`` (``SystemExit`` included), the identifiers it registered are removed again and the failure
is recorded (:func:`failed_plugins`) with a warning naming the plugin, and discovery goes on with the others.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.metadata
import importlib.util
import os
import sys
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from ..errors import PluginError
from ..registry import REGISTRIES

__all__ = [
    "ENV_PLUGINS_PATH",
    "KINDS",
    "PluginFailure",
    "add_plugin_directories",
    "builtin_plugin_root",
    "discover",
    "ensure_discovered",
    "failed_plugins",
    "failed_plugins_note",
    "import_plugin_folder",
    "iter_plugin_folders",
    "missing_plugin_directory_note",
    "plugin_directories",
    "plugin_manager",
]

KINDS = ("data", "metrics", "benchmarks", "models")
ENV_PLUGINS_PATH = "BRAINSCORE_PLUGINS_PATH"
_SYNTHETIC_ROOT = "brainscore_plugins"


@dataclass(frozen=True)
class PluginFailure:
    """A plugin that raised while being imported: its folder, or the distribution of an entry point."""

    location: str
    error: str
    traceback: str


_state: dict[str, object] = {"discovered": False, "running": False}
_extra_directories: list[Path] = []
_imported_folders: set[Path] = set()
_failures: list[PluginFailure] = []
_plugin_manager = None
_distributions: dict[str, str] = {}  # entry-point plugin name -> its distribution's name


def builtin_plugin_root() -> Path | None:
    """The ``example_plugins`` directory shipped with the project, if installed."""
    spec = importlib.util.find_spec("example_plugins")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _env_directories() -> list[Path]:
    raw = os.environ.get(ENV_PLUGINS_PATH, "")
    return [Path(p.strip()).expanduser() for p in raw.split(os.pathsep) if p.strip()]


def _check_env_directories() -> None:
    """Refuse a ``BRAINSCORE_PLUGINS_PATH`` entry that is not a directory, naming the variable."""
    for directory in _env_directories():
        if not directory.is_dir():
            raise PluginError(
                f"{ENV_PLUGINS_PATH}: plugin directory {directory} does not exist or is not a directory; "
                "fix the variable or unset it."
            )


def plugin_directories() -> list[Path]:
    """Extra plugin directories in discovery order: those added explicitly, then ``BRAINSCORE_PLUGINS_PATH``."""
    seen: list[Path] = []
    for directory in [*_extra_directories, *_env_directories()]:
        resolved = directory.resolve()
        if resolved not in seen:
            seen.append(resolved)
    return seen


def iter_plugin_folders(directory: Path) -> list[Path]:
    """Plugin folders under ``directory`` in discovery order (kinds first: data, metrics, benchmarks, models)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise PluginError(f"Plugin directory {directory} does not exist or is not a directory.")
    if (directory / "__init__.py").is_file() and not any((directory / kind).is_dir() for kind in KINDS):
        return [directory]
    folders: list[Path] = []
    for kind in KINDS:
        kind_dir = directory / kind
        if kind_dir.is_dir():
            folders += sorted(p for p in kind_dir.iterdir() if (p / "__init__.py").is_file())
    if not folders:
        folders = sorted(p for p in directory.iterdir() if (p / "__init__.py").is_file() and p.name not in KINDS)
    return folders


def _ensure_parent_package(name: str) -> None:
    if name in sys.modules:
        return
    module = ModuleType(name)
    module.__path__ = []  # namespace-like parent so relative imports inside plugins resolve
    sys.modules[name] = module


def import_plugin_folder(folder: Path) -> ModuleType:
    """Import one plugin folder's ``__init__.py`` as a package (relative imports inside it work)."""
    folder = Path(folder).resolve()
    init = folder / "__init__.py"
    if not init.is_file():
        raise PluginError(f"{folder} is not a plugin folder: it has no __init__.py.")
    root = builtin_plugin_root()
    if root is not None and folder.is_relative_to(root.resolve()):
        relative = folder.relative_to(root.resolve())
        return importlib.import_module(".".join(("example_plugins", *relative.parts)))
    tag = hashlib.sha1(str(folder.parent).encode()).hexdigest()[:10]
    parent = f"{_SYNTHETIC_ROOT}.d{tag}"
    _ensure_parent_package(_SYNTHETIC_ROOT)
    _ensure_parent_package(parent)
    name = f"{parent}.{folder.name}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[str(folder)])
    if spec is None or spec.loader is None:
        raise PluginError(f"Cannot import plugin folder {folder}.")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


@contextlib.contextmanager
def _isolated(what: str, location: str) -> Iterator[None]:
    """Run one plugin's import or hook: its stdout goes to stderr, and a failure is recorded, not raised.

    On any exception (``SystemExit`` included) the registrations it made are rolled back; ``KeyboardInterrupt``
    is rolled back too, then re-raised: the user stopped the run.
    """
    snapshots = {kind: registry.snapshot() for kind, registry in REGISTRIES.items()}
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    except BaseException as error:  # one broken plugin must not hide (or stop) all the others
        for kind, registry in REGISTRIES.items():
            registry.restore(snapshots[kind])
        if isinstance(error, KeyboardInterrupt):
            raise
        failure = PluginFailure(location, f"{type(error).__name__}: {error}", traceback.format_exc())
        _failures.append(failure)
        filename, lineno = _where(error, Path(location))
        warnings.warn_explicit(f"{what} failed to load: {failure.error}", RuntimeWarning, filename, lineno)


def _where(error: BaseException, folder: Path) -> tuple[str, int]:
    """The plugin's own line that failed (the innermost frame inside ``folder``), for the warning's location."""
    if isinstance(error, SyntaxError) and error.filename:
        return error.filename, error.lineno or 1
    frames = [
        frame for frame in traceback.extract_tb(error.__traceback__) if Path(frame.filename).is_relative_to(folder)
    ]
    if frames:
        return frames[-1].filename, frames[-1].lineno or 1
    init = folder / "__init__.py"
    return (str(init), 1) if init.is_file() else (__file__, 1)


def _import_folders(directory: Path) -> None:
    for folder in iter_plugin_folders(directory):
        resolved = folder.resolve()
        if resolved in _imported_folders:
            continue
        _imported_folders.add(resolved)
        with _isolated(f"Plugin {resolved}", str(resolved)):
            import_plugin_folder(resolved)


def _load_entry_points(manager) -> None:
    """Register every ``brainscore`` entry point on its own; a broken one is recorded under its distribution."""
    from .hookspecs import PROJECT_NAME

    for distribution in importlib.metadata.distributions():
        for entry_point in distribution.entry_points:
            if entry_point.group != PROJECT_NAME:
                continue
            if manager.get_plugin(entry_point.name) is not None or manager.is_blocked(entry_point.name):
                continue
            name = distribution.metadata["Name"] or entry_point.value
            with _isolated(f"Entry point {entry_point.name!r} of distribution {name!r}", name):
                manager.register(entry_point.load(), name=entry_point.name)
                _distributions[entry_point.name] = name


def _call_each(manager, hook: str, **kwargs: object) -> list[tuple[object, str]]:
    """Call ``hook`` on each entry-point plugin on its own, in pluggy's order: ``(result, distribution)`` pairs.

    A plugin whose hook raises is recorded under its distribution's name and left out.
    """
    results: list[tuple[object, str]] = []
    for implementation in reversed(getattr(manager.hook, hook).get_hookimpls()):
        name = _distributions.get(implementation.plugin_name, implementation.plugin_name)
        with _isolated(f"Hook {hook} of distribution {name!r}", name):
            results.append((implementation.function(*(kwargs[arg] for arg in implementation.argnames)), name))
    return results


def _import_hooked_directories(manager) -> None:
    for directories, name in _call_each(manager, "brainscore_plugin_directories"):
        for directory in directories or []:
            with _isolated(f"Plugin directory {directory} (from distribution {name!r})", name):
                _import_folders(Path(directory))


def plugin_manager():
    """The pluggy PluginManager holding entry-point plugins (created on first use, each loaded on its own)."""
    global _plugin_manager  # noqa: PLW0603 - one manager per process, created on first use
    if _plugin_manager is None:
        import pluggy

        from .hookspecs import PROJECT_NAME, BrainscoreHookSpecs

        manager = pluggy.PluginManager(PROJECT_NAME)
        manager.add_hookspecs(BrainscoreHookSpecs)
        _load_entry_points(manager)
        _plugin_manager = manager
    return _plugin_manager


def discover() -> None:
    """Run discovery now: built-in tree, extra directories, then entry-point plugins."""
    if _state["running"]:
        return
    _state["running"] = True
    try:
        _check_env_directories()
        importlib.import_module("brainscore_core.metrics")  # built-in metrics and ceilings
        root = builtin_plugin_root()
        if root is not None:
            _import_folders(root)
        for directory in plugin_directories():
            _import_folders(directory)
        manager = plugin_manager()
        _import_hooked_directories(manager)
        if not _state.get("entry_points_registered"):
            _call_each(manager, "brainscore_register", registries=REGISTRIES)
            _state["entry_points_registered"] = True
        _state["discovered"] = True
    finally:
        _state["running"] = False


def ensure_discovered() -> None:
    """Discover plugins unless that already happened."""
    if not _state["discovered"]:
        discover()


def add_plugin_directories(*directories: str | os.PathLike[str]) -> None:
    """Add extra plugin directories; if discovery already ran, import their plugins now."""
    for directory in directories:
        path = Path(directory).expanduser().resolve()
        if not path.is_dir():
            raise PluginError(f"Plugin directory {path} does not exist or is not a directory.")
        if path not in _extra_directories:
            _extra_directories.append(path)
        if _state["discovered"]:
            _import_folders(path)


def failed_plugins() -> list[PluginFailure]:
    """Plugins that raised on import (their error is also issued as a warning)."""
    return list(_failures)


_BOTH_FRONT_ENDS = "--plugins=DIR (brainscore) or --brainscore-plugins=DIR (pytest)"


def missing_plugin_directory_note(option: str = _BOTH_FRONT_ENDS) -> str:
    """Why an identifier from a plugin folder may be missing: no plugin directory was given (else empty)."""
    if plugin_directories():
        return ""
    return (
        f"No plugin directory was given; pass {option} or set {ENV_PLUGINS_PATH} "
        "(the directory holding its plugin folder) if it comes from a plugin."
    )


def failed_plugins_note() -> str:
    """A sentence for error messages when some plugins failed to load (else empty)."""
    if not _failures:
        return ""
    names = ", ".join(Path(f.location).name for f in _failures[:5])
    return f"Note: {len(_failures)} plugin(s) failed to load and may have provided it: {names} (see the warnings)."


for _registry in REGISTRIES.values():
    _registry.add_lookup_hook(ensure_discovered)
