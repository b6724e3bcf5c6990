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

All of this state lives in one :class:`PluginHost` (extra directories, imported folders, failures and the pluggy
``PluginManager``). The module-level functions act on the default host, whose lookup hook and notes provider
are installed on :data:`~brainscore_core.registry.REGISTRIES` when this module is imported; tests make their own
host and swap it in with :func:`use_host`.
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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from ..errors import PluginError
from ..registry import (
    REGISTRIES,
    LookupNotes,
    Registration,
    Registry,
    benchmark_registry,
    data_registry,
    metric_registry,
    model_registry,
)
from ._collisions import Conflict, ConflictingFactory, Override, merge
from ._hookspecs import PROJECT_NAME, BrainscoreHookSpecs
from ._layouts import (
    BRAINSCORE_MODELS,
    brainscore_models_dir,
    compat_models_package,
    is_brainscore_plugin,
    left_out_kinds,
)
from ._offline import OfflineFactory

__all__ = [
    "ENV_NO_BUILTIN_PLUGINS",
    "ENV_PLUGINS_PATH",
    "KINDS",
    "PluginFailure",
    "PluginHost",
    "add_plugin_directories",
    "builtin_plugin_root",
    "default_host",
    "discover",
    "ensure_discovered",
    "failed_plugins",
    "failed_plugins_note",
    "import_plugin_folder",
    "iter_plugin_folders",
    "leave_out_builtin_plugins",
    "missing_plugin_directory_note",
    "plugin_directories",
    "plugin_manager",
    "plugin_notices",
    "use_host",
]

#: The kind folders of a plugin directory, in discovery order: what others depend on comes first.
KINDS: tuple[str, ...] = tuple(
    registry.folder
    for registry in (data_registry, metric_registry, benchmark_registry, model_registry)
    if registry.folder is not None
)
ENV_PLUGINS_PATH = "BRAINSCORE_PLUGINS_PATH"
#: Set to 1 (true, yes, on) to leave the built-in example plugins out of discovery.
ENV_NO_BUILTIN_PLUGINS = "BRAINSCORE_NO_BUILTIN_PLUGINS"
_SYNTHETIC_ROOT = "brainscore_plugins"
_BOTH_FRONT_ENDS = "--plugins=DIR (brainscore) or --brainscore-plugins=DIR (pytest)"


@dataclass(frozen=True)
class PluginFailure:
    """A plugin that raised while being imported: its folder, or the distribution of an entry point."""

    location: str
    error: str
    traceback: str


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


def iter_plugin_folders(directory: Path) -> list[Path]:
    """Plugin folders under ``directory`` in discovery order (kinds first: data, metrics, benchmarks, models).

    A Brain-Score checkout (``<dir>/brainscore_vision/models/``) or its package folder gives its ``models/``
    folders only; a folder named ``models`` that holds plugin folders gives those (Brain-Score's ``models/`` has
    an ``__init__.py`` of its own).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise PluginError(f"Plugin directory {directory} does not exist or is not a directory.")
    brainscore_models = brainscore_models_dir(directory)
    if brainscore_models is not None:
        return _children(brainscore_models)
    if directory.name == "models" and _children(directory):
        return _children(directory)
    if (directory / "__init__.py").is_file() and not any((directory / kind).is_dir() for kind in KINDS):
        return [directory]
    folders: list[Path] = []
    for kind in KINDS:
        kind_dir = directory / kind
        if kind_dir.is_dir():
            folders += _children(kind_dir)
    if not folders:
        folders = sorted(p for p in directory.iterdir() if (p / "__init__.py").is_file() and p.name not in KINDS)
    return folders


def _children(directory: Path) -> list[Path]:
    """The plugin folders directly inside ``directory``, sorted (not hidden ones, nor ``__pycache__``)."""
    return sorted(p for p in directory.iterdir() if (p / "__init__.py").is_file() and not p.name.startswith((".", "_")))


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
    if _default.claims_brainscore_name(folder):
        return _import_as_brainscore(folder)
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


def _import_as_brainscore(folder: Path) -> ModuleType:
    """Import a Brain-Score model plugin folder as ``brainscore_vision.models.<folder name>``."""
    name = f"{BRAINSCORE_MODELS}.{folder.name}"
    existing = sys.modules.get(name)
    if existing is not None and Path(getattr(existing, "__file__", "") or "").parent.resolve() != folder:
        for stale in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[stale]  # the same folder name, from a directory another host discovered
    return importlib.import_module(name)


_CORE_ROOT = Path(__file__).resolve().parents[1]


def _is_core(origin: str) -> bool:
    """Whether a registration was made by brainscore_core itself (its built-in metrics and ceilings)."""
    return Path(origin.rsplit(":", 1)[0]).resolve().is_relative_to(_CORE_ROOT)


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


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


class PluginHost:
    """Discovers plugins into ``registries``: the built-in tree, extra directories, then entry points.

    It holds everything discovery knows: the extra directories, the folders already imported, the plugins that
    failed to load and the pluggy ``PluginManager`` of the entry-point plugins. ``builtin=False`` leaves out
    the built-in metrics and ``example_plugins``; ``entry_points=False`` leaves out installed distributions.
    """

    def __init__(
        self,
        registries: Mapping[str, Registry[Any]] | None = None,
        *,
        builtin: bool = True,
        entry_points: bool = True,
    ) -> None:
        self.registries: dict[str, Registry[Any]] = dict(REGISTRIES if registries is None else registries)
        self.builtin = builtin
        self.entry_points = entry_points
        self.extra_directories: list[Path] = []
        self.imported_folders: set[Path] = set()
        self.failures: list[PluginFailure] = []
        self._manager: pluggy.PluginManager | None = None
        self._distributions: dict[str, str] = {}  # entry-point plugin name -> its distribution's name
        self._registered: set[str] = set()  # plugins whose brainscore_register ran (each runs once)
        self._discovered = False
        self._running = False
        self.examples = True  #: discover the built-in example plugins (see :meth:`leave_out_builtin_plugins`)
        self.brainscore_folders: dict[str, Path] = {}  #: Brain-Score model plugin folders by their folder name
        self.overrides: list[Override] = []  #: user identifiers that replaced built-in example plugins' ones
        self.conflicts: list[Conflict] = []  #: identifiers two user plugin folders registered
        self.notices: list[str] = []  #: what discovery left out or renamed, for the pytest header

    def __repr__(self) -> str:
        state = "discovered" if self._discovered else "not discovered"
        return f"<PluginHost {state}: {len(self.extra_directories)} extra directories, {len(self.failures)} failures>"

    def attach(self) -> None:
        """Fill this host's registries on their first lookup and explain their unknown identifiers."""
        for registry in self.registries.values():
            registry.add_lookup_hook(self.ensure_discovered)
            registry.set_notes_provider(self.lookup_notes)

    # --- directories ---------------------------------------------------------------------------------
    def plugin_directories(self) -> list[Path]:
        """Extra plugin directories in discovery order: those added explicitly, then ``BRAINSCORE_PLUGINS_PATH``."""
        seen: list[Path] = []
        for directory in [*self.extra_directories, *_env_directories()]:
            resolved = directory.resolve()
            if resolved not in seen:
                seen.append(resolved)
        return seen

    def add_plugin_directories(self, *directories: str | os.PathLike[str]) -> None:
        """Add extra plugin directories; if discovery already ran, import their plugins now."""
        for directory in directories:
            path = Path(directory).expanduser().resolve()
            if not path.is_dir():
                raise PluginError(f"Plugin directory {path} does not exist or is not a directory.")
            if path not in self.extra_directories:
                self.extra_directories.append(path)
            if self._discovered:
                self._import_folders(path)

    # --- discovery -----------------------------------------------------------------------------------
    def discover(self) -> None:
        """Run discovery now: built-in tree, extra directories, then entry-point plugins."""
        if self._running:
            return
        self._running = True
        try:
            _check_env_directories()
            if self.builtin:
                importlib.import_module("brainscore_core.metrics")  # built-in metrics and ceilings
                root = builtin_plugin_root()
                if root is not None:
                    self._import_folders(root, user=False)
            for directory in self.plugin_directories():
                self._import_folders(directory)
            if self.entry_points:
                manager = self.plugin_manager()
                self._import_hooked_directories(manager)
                self._call_register(manager)
            self._discovered = True
        finally:
            self._running = False

    def ensure_discovered(self) -> None:
        """Discover plugins unless that already happened."""
        if not self._discovered:
            self.discover()

    def plugin_manager(self) -> pluggy.PluginManager:
        """The pluggy PluginManager holding entry-point plugins (created on first use, each loaded on its own)."""
        if self._manager is None:
            manager = pluggy.PluginManager(PROJECT_NAME)
            manager.add_hookspecs(BrainscoreHookSpecs)
            self._load_entry_points(manager)
            self._manager = manager
        return self._manager

    @contextlib.contextmanager
    def _isolated(self, what: str, location: str) -> Iterator[None]:
        """Run one plugin's import or hook: its stdout goes to stderr, and a failure is recorded, not raised.

        On any exception (``SystemExit`` included) the registrations it made are rolled back; ``KeyboardInterrupt``
        is rolled back too, then re-raised: the user stopped the run.
        """
        snapshots = {kind: registry.snapshot() for kind, registry in self.registries.items()}
        try:
            with contextlib.redirect_stdout(sys.stderr):
                yield
        except BaseException as error:  # one broken plugin must not hide (or stop) all the others
            for kind, registry in self.registries.items():
                registry.restore(snapshots[kind])
            if isinstance(error, KeyboardInterrupt):
                raise
            failure = PluginFailure(location, f"{type(error).__name__}: {error}", traceback.format_exc())
            self.failures.append(failure)
            filename, lineno = _where(error, Path(location))
            warnings.warn_explicit(f"{what} failed to load: {failure.error}", RuntimeWarning, filename, lineno)

    def _import_folders(self, directory: Path, *, user: bool = True) -> None:
        folders = iter_plugin_folders(directory)
        if not user and not self.includes_examples():
            folders = [f for f in folders if not f.resolve().is_relative_to(directory.resolve() / "models")]
        if user:
            self._record_brainscore_folders(directory, folders)
        for folder in folders:
            resolved = folder.resolve()
            if resolved in self.imported_folders:
                continue
            self.imported_folders.add(resolved)
            if user:
                self._import_user_folder(resolved)
            else:
                with self._isolated(f"Plugin {resolved}", str(resolved)):
                    import_plugin_folder(resolved)

    def _record_brainscore_folders(self, directory: Path, folders: list[Path]) -> None:
        """Map each Brain-Score model plugin folder's name to it (the first directory wins), before any import,
        so that a plugin importing a sibling plugin finds it whatever the order."""
        kinds = left_out_kinds(directory)
        if kinds:
            self._notice(
                f"{directory} is a Brain-Score layout: only its models/ are discovered; its "
                f"{', '.join(kinds)} plugins need Brain-Score's own package and are left out"
            )
        brainscore_folders = [f for f in folders if "." not in f.name and is_brainscore_plugin(f.resolve())]
        if brainscore_folders and compat_models_package() is None:
            self._notice(
                f"{len(brainscore_folders)} Brain-Score plugin folder(s) in {directory} import brainscore_vision, "
                "which is Brain-Score's own package here: they register their models there, not with "
                "pytest-brainscore; use an environment without Brain-Score to run them here"
            )
        for folder in brainscore_folders:
            resolved = folder.resolve()
            mapped = self.brainscore_folders.setdefault(folder.name, resolved)
            if mapped != resolved:
                self._notice(
                    f"two Brain-Score plugin folders are named {folder.name!r}: {mapped} is imported as "
                    f"{BRAINSCORE_MODELS}.{folder.name}, {resolved} under a private name"
                )

    def _notice(self, text: str) -> None:
        if text not in self.notices:
            self.notices.append(text)

    def claims_brainscore_name(self, folder: Path) -> bool:
        """Whether ``folder`` is imported as ``brainscore_vision.models.<name>``: it is a Brain-Score model plugin,
        the name is not another folder's, and ``brainscore_vision`` is this project's compatibility package."""
        if "." in folder.name or not is_brainscore_plugin(folder):
            return False
        if self.brainscore_folders.setdefault(folder.name, folder) != folder:
            return False
        return compat_models_package() is not None

    def compat_models_path(self) -> list[Path]:
        """The folders holding Brain-Score model plugin folders, in discovery order: the compatibility package's
        ``brainscore_vision.models`` searches them, so a plugin's sibling imports resolve whatever the order."""
        return list(dict.fromkeys(folder.parent for folder in self.brainscore_folders.values()))

    def _import_user_folder(self, folder: Path) -> None:
        """Import a user's plugin folder with every identifier but brainscore_core's own hidden, then merge what it
        registered by the collision rule (:mod:`.collisions`): it replaces a built-in example plugin's identifier,
        and an identifier another user folder registered becomes a conflict that names both."""
        before = {kind: registry.snapshot() for kind, registry in self.registries.items()}
        visible = {kind: {i: r for i, r in regs.items() if _is_core(r.origin)} for kind, regs in before.items()}
        for kind, registry in self.registries.items():
            registry.restore(visible[kind])
        try:
            with self._isolated(f"Plugin {folder}", str(folder)):
                import_plugin_folder(folder)
        finally:
            examples = builtin_plugin_root()
            for kind, registry in self.registries.items():
                merged, overrides, conflicts = merge(
                    registry.kind, before[kind], visible[kind], registry.snapshot(), examples and examples.resolve()
                )
                registry.restore(self._offline_factories(registry, before[kind], merged))
                self.overrides += overrides
                self.conflicts += conflicts
                for conflict in conflicts:
                    first, *others = conflict.origins
                    warnings.warn_explicit(
                        f"The {conflict.kind} identifier {conflict.identifier!r} is registered twice: first at "
                        f"{first}, again at {', '.join(others)}. Neither is used: building it raises an error "
                        "naming both folders; remove or rename one of them.",
                        RuntimeWarning,
                        others[-1].rsplit(":", 1)[0],
                        int(others[-1].rsplit(":", 1)[1]) if others[-1].rsplit(":", 1)[1].isdigit() else 1,
                    )

    def _offline_factories(
        self, registry: Registry[Any], before: dict[str, Any], merged: dict[str, Any]
    ) -> dict[str, Any]:
        """``merged`` with each new model of a Brain-Score plugin folder built offline (:mod:`.offline`)."""
        if registry.folder != "models":
            return merged
        for identifier, registration in list(merged.items()):
            if before.get(identifier) is registration or isinstance(
                registration.factory, (OfflineFactory, ConflictingFactory)
            ):
                continue
            folder = Path(registration.origin.rsplit(":", 1)[0]).parent.resolve()
            if is_brainscore_plugin(folder):
                merged[identifier] = Registration(
                    identifier,
                    OfflineFactory(identifier, folder, registration.factory),
                    registration.origin,
                    registration.module,
                    registration.description,
                )
        return merged

    # --- the built-in example plugins ----------------------------------------------------------------
    def includes_examples(self) -> bool:
        """Whether the built-in example model plugins are discovered: not left out (:meth:`leave_out_builtin_plugins`)
        nor ``BRAINSCORE_NO_BUILTIN_PLUGINS``."""
        return self.examples and not _env_flag(ENV_NO_BUILTIN_PLUGINS)

    def leave_out_builtin_plugins(self) -> None:
        """Leave the built-in example *model* plugins (``example_plugins/models/``: alexnet, pixels ...) out, so a
        directory of Brain-Score model plugins is used alone; drop what they registered if discovery ran. The
        example benchmarks, data and metrics stay: models are scored on them."""
        self.examples = False
        root = builtin_plugin_root()
        if root is None:
            return
        root = (root / "models").resolve()
        for registry in self.registries.values():
            kept = registry.snapshot()
            registry.restore(
                {i: r for i, r in kept.items() if not Path(r.origin.rsplit(":", 1)[0]).resolve().is_relative_to(root)}
            )
        self.imported_folders = {f for f in self.imported_folders if not f.is_relative_to(root)}

    def plugin_notices(self) -> list[str]:
        """What the user should know about discovery: replaced built-ins, conflicts, left-out folders."""
        return (
            [override.describe() for override in self.overrides]
            + [conflict.describe() for conflict in self.conflicts]
            + list(self.notices)
        )

    def _load_entry_points(self, manager: pluggy.PluginManager) -> None:
        """Register every ``brainscore`` entry point on its own; a broken one (including a hook implementation
        that matches no hook, caught by ``check_pending``) is recorded under its distribution."""
        for distribution in importlib.metadata.distributions():
            for entry_point in distribution.entry_points:
                if entry_point.group != PROJECT_NAME:
                    continue
                if manager.get_plugin(entry_point.name) is not None or manager.is_blocked(entry_point.name):
                    continue
                name = distribution.metadata["Name"] or entry_point.value
                with self._isolated(f"Entry point {entry_point.name!r} of distribution {name!r}", name):
                    plugin = entry_point.load()
                    manager.register(plugin, name=entry_point.name)
                    try:
                        manager.check_pending()  # a misspelt hook (brainscore_registr) fails loudly
                    except pluggy.PluginValidationError:
                        manager.unregister(name=entry_point.name)
                        raise
                    self._distributions[entry_point.name] = name

    def _call_each(
        self, implementations: list[pluggy.HookImpl], hook: str, **kwargs: object
    ) -> list[tuple[object, str]]:
        """Call each of ``implementations`` of ``hook`` on its own, in pluggy's order: ``(result, distribution)``.

        A plugin whose hook raises is recorded under its distribution's name and left out. Each implementation
        receives the subset of the keyword arguments it names (pluggy's calling convention).
        """
        results: list[tuple[object, str]] = []
        for implementation in reversed(implementations):
            name = self._distributions.get(implementation.plugin_name, implementation.plugin_name)
            with self._isolated(f"Hook {hook} of distribution {name!r}", name):
                arguments = {arg: kwargs[arg] for arg in implementation.argnames}
                results.append((implementation.function(**arguments), name))
        return results

    def _import_hooked_directories(self, manager: pluggy.PluginManager) -> None:
        implementations = manager.hook.brainscore_plugin_directories.get_hookimpls()
        for directories, name in self._call_each(implementations, "brainscore_plugin_directories"):
            for directory in directories if isinstance(directories, (list, tuple)) else []:
                with self._isolated(f"Plugin directory {directory} (from distribution {name!r})", name):
                    self._import_folders(Path(directory))

    def _call_register(self, manager: pluggy.PluginManager) -> None:
        """Call ``brainscore_register`` once per plugin, like a historic hook: a plugin registered later is
        called at the next discovery. Each plugin is called on its own, so that a failure is recorded under its
        distribution and the others still register (pluggy's ``call_historic`` would stop at the first)."""
        pending = [
            implementation
            for implementation in manager.hook.brainscore_register.get_hookimpls()
            if implementation.plugin_name not in self._registered
        ]
        self._registered.update(implementation.plugin_name for implementation in pending)
        self._call_each(pending, "brainscore_register", registries=self.registries, **self.registries)

    # --- failures and notes --------------------------------------------------------------------------
    def failed_plugins(self) -> list[PluginFailure]:
        """Plugins that raised on import (their error is also issued as a warning)."""
        return list(self.failures)

    def missing_plugin_directory_note(self, option: str = _BOTH_FRONT_ENDS) -> str:
        """Why an identifier from a plugin folder may be missing: no plugin directory was given (else empty)."""
        if self.plugin_directories():
            return ""
        return (
            f"No plugin directory was given; pass {option} or set {ENV_PLUGINS_PATH} "
            "(the directory holding its plugin folder) if it comes from a plugin."
        )

    def failed_plugins_note(self) -> str:
        """A sentence for error messages when some plugins failed to load (else empty)."""
        if not self.failures:
            return ""
        names = ", ".join(Path(f.location).name for f in self.failures[:5])
        return (
            f"Note: {len(self.failures)} plugin(s) failed to load and may have provided it: {names} (see the warnings)."
        )

    def lookup_notes(self) -> LookupNotes:
        """What an unknown-identifier error should add: failed plugins, or that no plugin directory was given."""
        missing = self.missing_plugin_directory_note()
        return LookupNotes(plugin_directory_given=not missing, missing=missing, failed=self.failed_plugins_note())


# --- the default host, behind the module-level API ---------------------------------------------------------
_default = PluginHost()


def default_host() -> PluginHost:
    """The host that the module-level functions, ``brainscore`` and the pytest plugin use."""
    return _default


@contextlib.contextmanager
def use_host(host: PluginHost) -> Iterator[PluginHost]:
    """Make ``host`` the default host (the one the global registries consult) for the block's duration."""
    global _default  # noqa: PLW0603 - the swap is the point: tests use a fresh host each
    previous, _default = _default, host
    try:
        yield host
    finally:
        _default = previous


def plugin_directories() -> list[Path]:
    """Extra plugin directories of the default host (see :meth:`PluginHost.plugin_directories`)."""
    return _default.plugin_directories()


def add_plugin_directories(*directories: str | os.PathLike[str]) -> None:
    """Add extra plugin directories to the default host; if discovery already ran, import them now."""
    _default.add_plugin_directories(*directories)


def plugin_manager() -> pluggy.PluginManager:
    """The default host's pluggy PluginManager (see :meth:`PluginHost.plugin_manager`)."""
    return _default.plugin_manager()


def discover() -> None:
    """Run discovery now on the default host: built-in tree, extra directories, then entry-point plugins."""
    _default.discover()


def ensure_discovered() -> None:
    """Discover plugins (default host) unless that already happened."""
    _default.ensure_discovered()


def failed_plugins() -> list[PluginFailure]:
    """Plugins that raised on import in the default host (their error is also issued as a warning)."""
    return _default.failed_plugins()


def missing_plugin_directory_note(option: str = _BOTH_FRONT_ENDS) -> str:
    """Why an identifier from a plugin folder may be missing: no plugin directory was given (else empty)."""
    return _default.missing_plugin_directory_note(option)


def failed_plugins_note() -> str:
    """A sentence for error messages when some plugins failed to load (else empty)."""
    return _default.failed_plugins_note()


def _default_lookup_notes() -> LookupNotes:
    return _default.lookup_notes()


def plugin_notices() -> list[str]:
    """The default host's notices: replaced built-ins, conflicting identifiers, left-out folders."""
    return _default.plugin_notices()


def leave_out_builtin_plugins() -> None:
    """Leave the built-in example plugins out of the default host (dropping them if discovery already ran)."""
    _default.leave_out_builtin_plugins()


for _registry in REGISTRIES.values():  # the global registries consult whichever host is the default
    _registry.add_lookup_hook(ensure_discovered)
    _registry.set_notes_provider(_default_lookup_notes)
