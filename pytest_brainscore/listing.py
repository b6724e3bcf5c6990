"""``pytest --brainscore-list``: print the registered models and benchmarks, then exit (like ``--markers``)."""

from __future__ import annotations

import sys
from typing import TextIO

from .session import BrainscoreSession

__all__ = ["print_listing"]


def print_listing(session: BrainscoreSession, out: TextIO = sys.stdout) -> None:
    """List models and benchmarks with their descriptions, filtered by the model/benchmark options if given."""
    selections = (("model", "Models", session.options.models), ("benchmark", "Benchmarks", session.options.benchmarks))
    for kind, heading, patterns in selections:
        registry = session.registry(kind)
        descriptions = registry.describe()
        if patterns:  # an unknown identifier, or a glob matching nothing, raises with the closest identifiers
            chosen = set(registry.select(patterns))
            descriptions = {identifier: text for identifier, text in descriptions.items() if identifier in chosen}
        out.write(f"{heading} ({len(descriptions)}):\n")
        width = max((len(identifier) for identifier in descriptions), default=0)
        for identifier, text in descriptions.items():
            out.write(f"  {identifier.ljust(width)}  {text}".rstrip() + "\n")
        out.write("\n")
