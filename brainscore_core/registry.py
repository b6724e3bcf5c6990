"""Registries: identifier -> zero-argument factory, filled by plugins and loaded lazily.

The Brain-Score idiom works unchanged in a plugin's ``__init__.py``::

    model_registry['myalexnet'] = lambda: ModelCommitment(identifier='myalexnet', ...)

Nothing is built at registration; :func:`load_model` and friends call the factory on demand, after plugin
discovery has run (see :mod:`brainscore_core.plugins`).
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .errors import DuplicateRegistrationError, UnknownIdentifierError

__all__ = [
    "REGISTRIES",
    "STRONG_MATCH",
    "Registration",
    "Registry",
    "benchmark_registry",
    "ceiling_registry",
    "close_matches",
    "data_registry",
    "metric_registry",
    "model_registry",
    "stimulus_set_registry",
    "suggest",
]

T = TypeVar("T")


@dataclass(frozen=True)
class Registration:
    """Where and how an identifier was registered."""

    identifier: str
    factory: Callable[[], Any]
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

    def __init__(self, kind: str, listing: str | None = None) -> None:
        self.kind = kind
        self.listing = listing or f"{kind}s"  #: the name to pass to ``brainscore list``
        self._entries: dict[str, Registration] = {}
        self._before_lookup: list[Callable[[], None]] = []

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
                f"{self.kind}_registry[{identifier!r}] must be a zero-argument callable (e.g. a lambda) that builds "
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
    def snapshot(self) -> dict[str, Registration]:
        """A copy of the current registrations (no discovery is triggered)."""
        return dict(self._entries)

    def restore(self, snapshot: dict[str, Registration]) -> None:
        """Put back the registrations of ``snapshot``, dropping any made since."""
        self._entries = dict(snapshot)

    # --- lookup --------------------------------------------------------------------------------------
    def add_lookup_hook(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` (e.g. plugin discovery) before the first lookup or listing."""
        self._before_lookup.append(hook)

    def _prepare(self) -> None:
        for hook in list(self._before_lookup):
            hook()

    def registration(self, identifier: str) -> Registration:
        """The :class:`Registration` of ``identifier``; an unknown one raises with the closest matches."""
        self._prepare()
        try:
            return self._entries[identifier]
        except KeyError:
            raise self._unknown(identifier) from None

    def _unknown(self, identifier: str) -> UnknownIdentifierError:
        """The error for an unknown identifier: close matches, or why its plugin may not have been loaded."""
        from .plugins import failed_plugins_note, missing_plugin_directory_note

        missing = missing_plugin_directory_note()
        suggestions = suggest(identifier, list(self._entries), plugin_directory_given=not missing)
        notes = [note for note in (failed_plugins_note(), "" if suggestions else missing) if note]
        return UnknownIdentifierError(self.kind, identifier, suggestions, " ".join(notes), listing=self.listing)

    def load(self, identifier: str) -> T:
        """Build the object registered as ``identifier``."""
        return self.registration(identifier).factory()

    def describe(self) -> dict[str, str]:
        """``{identifier: one-line description}`` for every registered identifier."""
        self._prepare()
        return {identifier: self._entries[identifier].description for identifier in sorted(self._entries)}


model_registry: Registry[Any] = Registry("model")
benchmark_registry: Registry[Any] = Registry("benchmark")
metric_registry: Registry[Any] = Registry("metric")
ceiling_registry: Registry[Any] = Registry("ceiling")
data_registry: Registry[Any] = Registry("dataset", listing="data")
stimulus_set_registry: Registry[Any] = Registry("stimulus set", listing="stimulus_sets")

REGISTRIES: dict[str, Registry[Any]] = {
    "models": model_registry,
    "benchmarks": benchmark_registry,
    "metrics": metric_registry,
    "ceilings": ceiling_registry,
    "data": data_registry,
    "stimulus_sets": stimulus_set_registry,
}
