"""Build a registered object for the command line, with one-line errors for malformed factories."""

from __future__ import annotations

import inspect
from typing import Any

from ..errors import PluginError
from ..registry import REGISTRIES

__all__ = ["build_registered", "factory_problem"]


def factory_problem(factory: Any) -> str | None:
    """Why ``factory`` cannot be called without arguments (its required parameters), or None if it can."""
    try:
        signature = inspect.signature(factory)
    except (TypeError, ValueError):  # a builtin without a signature: let the call decide
        return None
    takes_argument = (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        inspect.Parameter.KEYWORD_ONLY,
    )
    required = [
        name
        for name, parameter in signature.parameters.items()
        if parameter.kind in takes_argument and parameter.default is inspect.Parameter.empty
    ]
    return f"needs the argument(s) {', '.join(required)}" if required else None


def build_registered(kind: str, identifier: str) -> Any:
    """Build ``identifier`` from the ``kind`` registry ("models", "benchmarks", ...).

    A factory that needs arguments or returns None raises :class:`~brainscore_core.errors.PluginError` naming
    the identifier, where it was registered and the fix; an unknown identifier raises
    :class:`~brainscore_core.errors.UnknownIdentifierError` with close matches.
    """
    registry = REGISTRIES[kind]
    registration = registry.registration(identifier)
    where = f"{registry.kind} {identifier!r} (registered at {registration.origin})"
    problem = factory_problem(registration.factory)
    if problem is not None:
        raise PluginError(
            f"The factory of {where} {problem}, but registries call factories without arguments. "
            f"Register a zero-argument callable, e.g. {_registry_name(kind)}[{identifier!r}] = lambda: build(...)."
        )
    built = registration.factory()
    if built is None:
        raise PluginError(
            f"The factory of {where} returned None. Make it return the built {registry.kind} (is a `return` missing?)."
        )
    return built


def _registry_name(kind: str) -> str:
    return {"data": "data_registry", "stimulus_sets": "stimulus_set_registry"}.get(kind, f"{kind[:-1]}_registry")
