"""Registries: identifier -> zero-argument factory, filled by plugins and loaded lazily.

The Brain-Score idiom works unchanged in a plugin's ``__init__.py``::

    model_registry['myalexnet'] = lambda: ModelCommitment(identifier='myalexnet', ...)

or, importing the implementation only when the factory is called::

    metric_registry['my_rdm'] = lazy('my_package.metric', 'MyRDM', distance='euclidean')

Nothing is built at registration; :func:`load_model` and friends call the factory on demand. This module knows
nothing of plugin discovery: the discovery layer (:mod:`brainscore_core.plugins`) installs a lookup hook that
fills the registries before the first lookup, and a notes provider that explains a failed lookup.
"""

from __future__ import annotations

import difflib
import fnmatch
import importlib
import importlib.util
import sys
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .errors import DuplicateRegistrationError, UnknownIdentifierError

if TYPE_CHECKING:
    from .benchmarks import Benchmark
    from .brain_model import BrainModel
    from .stimuli import StimulusSet

__all__ = [
    "REGISTRIES",
    "STRONG_MATCH",
    "Lazy",
    "LookupNotes",
    "Registration",
    "Registry",
    "benchmark_registry",
    "ceiling_registry",
    "close_matches",
    "data_registry",
    "is_glob",
    "lazy",
    "metric_registry",
    "model_registry",
    "stimulus_set_registry",
    "suggest",
]

T = TypeVar("T")


@dataclass(frozen=True)
class LookupNotes:
    """What the layer that fills the registries (plugin discovery) adds to an unknown-identifier error."""

    #: False when no plugin directory was given: then only likely typos are suggested (see :func:`suggest`)
    plugin_directory_given: bool = True
    #: why the identifier may be missing (e.g. no plugin directory was given), shown when nothing is close
    missing: str = ""
    #: e.g. that some plugins failed to load and may have provided it, always shown
    failed: str = ""


def is_glob(pattern: str) -> bool:
    """Whether ``pattern`` is a glob (``*``, ``?`` or ``[``) rather than an exact identifier."""
    return any(character in pattern for character in "*?[")


class Lazy:
    """A zero-argument factory: imports ``module`` and returns ``module.name(*args, **kwargs)`` when called.

    Arguments that are themselves :class:`Lazy` are built first, so a factory can take a lazily built part
    (``lazy("m", "Metric", lazy("m.solvers", "PLS", n_components=25))``). Made by :func:`lazy`.
    """

    __slots__ = ("args", "kwargs", "module", "name")

    def __init__(self, module: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.module = module
        self.name = name
        self.args = args
        self.kwargs = kwargs

    def __call__(self) -> Any:
        target = getattr(importlib.import_module(self.module), self.name)
        args = [_built(argument) for argument in self.args]
        return target(*args, **{key: _built(value) for key, value in self.kwargs.items()})

    def __repr__(self) -> str:
        arguments = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"lazy({', '.join([repr(self.module), repr(self.name), *arguments])})"


def _built(value: Any) -> Any:
    return value() if isinstance(value, Lazy) else value


def lazy(module: str, name: str, /, *args: Any, **kwargs: Any) -> Lazy:
    """A zero-argument factory that imports ``module`` and builds ``module.name(*args, **kwargs)`` when called.

    Registering ``metric_registry["x"] = lazy("my_plugin.metric", "MyMetric", k=1)`` keeps importing the
    registering module cheap: the implementation (and whatever heavy package it imports) is imported only when
    the object is built. A relative ``module`` (``".metric"``) is resolved against the calling module's package.
    """
    if module.startswith("."):
        package = sys._getframe(1).f_globals.get("__package__")
        module = importlib.util.resolve_name(module, package)
    return Lazy(module, name, args, kwargs)


@dataclass(frozen=True)
class Registration(Generic[T]):
    """Where and how an identifier was registered."""

    identifier: str
    factory: Callable[[], T]
    origin: str  # "path/to/file.py:line"
    module: str | None  # the registering module (the plugin), when known
    description: str


#: How similar (difflib ratio) an identifier must be to count as a likely typo rather than a loose resemblance.
STRONG_MATCH = 0.75


def close_matches(identifier: str, candidates: list[str], n: int = 5, *, cutoff: float = 0.5) -> list[str]:
    """Registered identifiers close to ``identifier``: case-insensitive prefix/substring hits, then fuzzy ones.

    With ``cutoff=STRONG_MATCH`` only likely typos are returned (and substring hits of at least 4 characters).
    """
    lowered = identifier.lower()
    shortest = 4 if cutoff >= STRONG_MATCH else 1
    contains = [
        c
        for c in candidates
        if lowered
        and ((lowered in c.lower() and len(lowered) >= shortest) or (c.lower() in lowered and len(c) >= shortest))
    ]
    fuzzy = difflib.get_close_matches(identifier, candidates, n=n, cutoff=cutoff)
    fuzzy_lower = difflib.get_close_matches(lowered, [c.lower() for c in candidates], n=n, cutoff=cutoff)
    by_lower = {c.lower(): c for c in candidates}
    ordered: list[str] = []
    for candidate in fuzzy + [by_lower[c] for c in fuzzy_lower] + sorted(contains, key=len):
        if candidate not in ordered:
            ordered.append(candidate)
    return ordered[:n]


def suggest(identifier: str, candidates: list[str], *, plugin_directory_given: bool) -> list[str]:
    """The close matches to show for an unknown ``identifier``.

    Without any plugin directory, a loose resemblance is more likely an unrelated identifier than the one meant
    (which probably lives in a plugin folder that was not given): then matches are shown only if at least one is
    a likely typo (:data:`STRONG_MATCH`).
    """
    if not plugin_directory_given and not close_matches(identifier, candidates, cutoff=STRONG_MATCH):
        return []
    return close_matches(identifier, candidates)


def _caller(depth: int) -> tuple[str, str | None]:
    frame = sys._getframe(depth)
    return f"{frame.f_code.co_filename}:{frame.f_lineno}", frame.f_globals.get("__name__")


def _module_description(module_name: str | None) -> str:
    module = sys.modules.get(module_name or "")
    doc = (getattr(module, "__doc__", None) or "").strip()
    return doc.splitlines()[0].strip() if doc else ""


class Registry(MutableMapping[str, Callable[[], T]], Generic[T]):
    """A mapping from identifier to zero-argument factory for one kind of object.

    Assigning an identifier records where it happened. Registering the same identifier again from the same
    place (a plugin imported twice) replaces it; from a different place it raises
    :class:`DuplicateRegistrationError` naming both places.
    """

    def __init__(
        self,
        kind: str,
        plural: str | None = None,
        *,
        cli_name: str | None = None,
        variable: str | None = None,
        loader: str | None = None,
        folder: str | None = None,
    ) -> None:
        snake = kind.replace(" ", "_")
        self.kind = kind  #: singular, for messages: "model", "dataset", "stimulus set"
        self.plural = plural or f"{kind}s"  #: plural, for messages: "models", "datasets", "stimulus sets"
        self.cli_name = cli_name or self.plural.replace(" ", "_")  #: ``REGISTRIES`` key, ``brainscore list`` name
        self.variable = variable or f"{snake}_registry"  #: its name in ``brainscore_core``: "model_registry"
        self.loader = loader or f"load_{snake}"  #: the ``brainscore_core`` function building one: "load_model"
        self.folder = folder  #: the kind folder in a plugin directory ("models"), or None if it has none
        self._entries: dict[str, Registration[T]] = {}
        self._before_lookup: list[Callable[[], None]] = []
        self._notes: Callable[[], LookupNotes] | None = None

    @property
    def listing(self) -> str:
        """The name to pass to ``brainscore list`` (the same as :attr:`cli_name`)."""
        return self.cli_name

    # --- MutableMapping ------------------------------------------------------------------------------
    def __setitem__(self, identifier: str, factory: Callable[[], T]) -> None:
        origin, module = _caller(2)
        self._add(identifier, factory, origin, module, description=None)

    def __getitem__(self, identifier: str) -> Callable[[], T]:
        return self.registration(identifier).factory

    def __delitem__(self, identifier: str) -> None:
        del self._entries[identifier]

    def __iter__(self) -> Iterator[str]:
        self._prepare()
        return iter(sorted(self._entries))

    def __len__(self) -> int:
        self._prepare()
        return len(self._entries)

    def __contains__(self, identifier: object) -> bool:
        self._prepare()
        return identifier in self._entries

    def __repr__(self) -> str:
        return f"<Registry {self.kind}: {len(self._entries)} identifiers>"

    # --- registration --------------------------------------------------------------------------------
    def register(
        self, identifier: str, factory: Callable[[], T] | None = None, *, description: str | None = None
    ) -> Any:
        """Register ``factory`` under ``identifier``; without ``factory``, return a decorator."""
        origin, module = _caller(2)
        if factory is None:

            def decorator(function: Callable[[], T]) -> Callable[[], T]:
                self._add(identifier, function, origin, module, description)
                return function

            return decorator
        self._add(identifier, factory, origin, module, description)
        return factory

    def _add(
        self,
        identifier: str,
        factory: Callable[[], T],
        origin: str,
        module: str | None,
        description: str | None,
    ) -> None:
        if not isinstance(identifier, str) or not identifier:
            raise TypeError(f"A {self.kind} identifier must be a non-empty string, got {identifier!r}.")
        if not callable(factory):
            raise TypeError(
                f"{self.variable}[{identifier!r}] must be a zero-argument callable (e.g. a lambda) that builds "
                f"the {self.kind}, got {type(factory).__name__}. Write `lambda: ...` so nothing is built on import."
            )
        existing = self._entries.get(identifier)
        if existing is not None and existing.origin != origin:
            raise DuplicateRegistrationError(
                f"The {self.kind} identifier {identifier!r} is registered twice: first at {existing.origin}, "
                f"again at {origin}. Identifiers must be unique; rename one of them."
            )
        if description is None:
            description = _module_description(module)
        self._entries[identifier] = Registration(identifier, factory, origin, module, description)

    # --- snapshots (plugin discovery rolls back what a failed plugin registered) ----------------------------------
    def snapshot(self) -> dict[str, Registration[T]]:
        """A copy of the current registrations (no discovery is triggered)."""
        return dict(self._entries)

    def restore(self, snapshot: dict[str, Registration[T]]) -> None:
        """Put back the registrations of ``snapshot``, dropping any made since."""
        self._entries = dict(snapshot)

    # --- lookup --------------------------------------------------------------------------------------
    def add_lookup_hook(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` (e.g. plugin discovery) before the first lookup or listing."""
        self._before_lookup.append(hook)

    def _prepare(self) -> None:
        for hook in list(self._before_lookup):
            hook()

    def registration(self, identifier: str) -> Registration[T]:
        """The :class:`Registration` of ``identifier``; an unknown one raises with the closest matches."""
        self._prepare()
        try:
            return self._entries[identifier]
        except KeyError:
            raise self._unknown(identifier) from None

    def set_notes_provider(self, provider: Callable[[], LookupNotes] | None) -> None:
        """Use ``provider`` to explain unknown identifiers (e.g. plugins that failed to load); None removes it."""
        self._notes = provider

    def _unknown(self, identifier: str) -> UnknownIdentifierError:
        """The error for an unknown identifier or a glob matching nothing: close matches, or why its plugin may
        not have been loaded (from the notes provider)."""
        notes = self._notes() if self._notes is not None else LookupNotes()
        glob = is_glob(identifier)
        wanted = identifier.replace("*", "").replace("?", "") if glob else identifier
        suggestions = suggest(wanted, list(self._entries), plugin_directory_given=notes.plugin_directory_given)
        text = " ".join(note for note in (notes.failed, "" if suggestions else notes.missing) if note)
        return UnknownIdentifierError(self.kind, identifier, suggestions, text, listing=self.cli_name, pattern=glob)

    def select(self, patterns: Iterable[str]) -> list[str]:
        """The identifiers named by ``patterns``: exact identifiers or ``fnmatchcase`` globs (case-sensitive).

        Identifiers come in the order of the patterns (a glob's matches sorted), each once. An unknown identifier,
        or a glob matching nothing, raises :class:`UnknownIdentifierError` with the closest identifiers.
        """
        self._prepare()
        known = sorted(self._entries)
        chosen: list[str] = []
        for pattern in patterns:
            if pattern in self._entries:
                matches = [pattern]
            elif is_glob(pattern):
                matches = [identifier for identifier in known if fnmatch.fnmatchcase(identifier, pattern)]
            else:
                matches = []
            if not matches:
                raise self._unknown(pattern)
            chosen += [identifier for identifier in matches if identifier not in chosen]
        return chosen

    def load(self, identifier: str) -> T:
        """Build the object registered as ``identifier``."""
        return self.registration(identifier).factory()

    def describe(self) -> dict[str, str]:
        """``{identifier: one-line description}`` for every registered identifier."""
        self._prepare()
        return {identifier: self._entries[identifier].description for identifier in sorted(self._entries)}


model_registry: Registry[BrainModel] = Registry("model", folder="models")
benchmark_registry: Registry[Benchmark] = Registry("benchmark", folder="benchmarks")
metric_registry: Registry[Any] = Registry("metric", folder="metrics")
ceiling_registry: Registry[Any] = Registry("ceiling")
data_registry: Registry[Any] = Registry("dataset", cli_name="data", variable="data_registry", folder="data")
stimulus_set_registry: Registry[StimulusSet] = Registry("stimulus set")

#: Every registry by its :attr:`Registry.cli_name`: the ``brainscore list`` choices, in this order.
REGISTRIES: dict[str, Registry[Any]] = {
    registry.cli_name: registry
    for registry in (
        model_registry,
        benchmark_registry,
        metric_registry,
        ceiling_registry,
        data_registry,
        stimulus_set_registry,
    )
}
