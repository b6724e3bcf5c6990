"""Identifier collisions between plugin folders, decided by one rule.

- A user's plugin folder registering an identifier that a built-in example plugin (``example_plugins/``) also
  registers replaces the built-in one, and the replacement is recorded as an :class:`Override` (shown in the
  pytest header, in the listings' descriptions and in ``brainscore list``).
- Two user plugin folders registering the same identifier: neither is picked. The identifier stays listed, and
  building it raises :class:`~brainscore_core.errors.PluginError` naming both folders (a :class:`Conflict`).
- brainscore_core's own registrations (the built-in metrics and ceilings) are never replaced: registering one of
  their identifiers again fails that plugin, as before.

:func:`merge` applies the rule to one plugin folder's registrations, made while every non-core identifier was
hidden from the registries (so the folder's ``__init__.py`` ran to its end).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import PluginError
from ..registry import Registration

__all__ = ["Conflict", "ConflictingFactory", "Override", "merge", "origin_folder"]


def origin_folder(origin: str) -> str:
    """The folder of a registration's ``"path/to/file.py:line"`` origin."""
    return str(Path(origin.rsplit(":", 1)[0]).parent)


@dataclass(frozen=True)
class Override:
    """A user's plugin folder replaced a built-in example plugin's identifier."""

    kind: str  #: the registry, e.g. "model"
    identifier: str
    origin: str  #: the user's registration
    builtin_origin: str  #: the built-in registration it replaced

    def describe(self) -> str:
        return (
            f"{self.kind} {self.identifier!r} from {origin_folder(self.origin)} replaces the built-in example "
            f"plugin's ({origin_folder(self.builtin_origin)})"
        )


@dataclass(frozen=True)
class Conflict:
    """Two or more user plugin folders registered the same identifier."""

    kind: str
    identifier: str
    origins: tuple[str, ...]

    def describe(self) -> str:
        places = " and ".join(f"{origin_folder(o)} ({o})" for o in self.origins)
        return f"the {self.kind} identifier {self.identifier!r} is registered by more than one plugin folder: {places}"

    def message(self) -> str:
        return (
            f"Cannot build: {self.describe()}. pytest-brainscore does not pick one of them: remove or rename one "
            "of the folders, or leave its directory out of --brainscore-plugins / --plugins / "
            "BRAINSCORE_PLUGINS_PATH."
        )


class ConflictingFactory:
    """The factory registered for a conflicting identifier: it raises, naming every folder that registered it."""

    def __init__(self, conflict: Conflict) -> None:
        self.conflict = conflict

    def __call__(self) -> Any:
        raise PluginError(self.conflict.message())


def _is_under(origin: str, root: Path | None) -> bool:
    return root is not None and Path(origin.rsplit(":", 1)[0]).resolve().is_relative_to(root)


def merge(
    kind: str,
    before: dict[str, Registration[Any]],
    visible: dict[str, Registration[Any]],
    after: dict[str, Registration[Any]],
    examples_root: Path | None,
) -> tuple[dict[str, Registration[Any]], list[Override], list[Conflict]]:
    """The registrations once a plugin folder's (``after`` minus ``visible``) are merged into ``before``.

    ``visible``: what the registry held while the folder was imported (brainscore_core's own registrations).
    ``examples_root``: the built-in example plugins' directory, whose identifiers a user's folder may replace.
    """
    merged = dict(before)
    overrides: list[Override] = []
    conflicts: list[Conflict] = []
    for identifier, registration in after.items():
        if visible.get(identifier) is registration:
            continue
        previous = before.get(identifier)
        if previous is None or previous.origin == registration.origin:
            merged[identifier] = registration
        elif _is_under(previous.origin, examples_root):
            override = Override(kind, identifier, registration.origin, previous.origin)
            overrides.append(override)
            merged[identifier] = Registration(
                identifier,
                registration.factory,
                registration.origin,
                registration.module,
                f"{registration.description} (replaces the built-in example plugin)".strip(),
            )
        else:
            earlier = previous.factory.conflict.origins if isinstance(previous.factory, ConflictingFactory) else ()
            conflict = Conflict(kind, identifier, (*(earlier or (previous.origin,)), registration.origin))
            conflicts.append(conflict)
            merged[identifier] = Registration(
                identifier,
                ConflictingFactory(conflict),
                previous.origin,
                previous.module,
                "CONFLICT: registered by " + " and ".join(origin_folder(o) for o in conflict.origins),
            )
    return merged, overrides, conflicts
