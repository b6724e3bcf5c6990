"""``pytest --brainscore-list``: print the registered models and benchmarks, then exit (like ``--markers``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from _pytest.config import create_terminal_writer  # what pytest's own --markers and --fixtures write with

if TYPE_CHECKING:
    from _pytest._io import TerminalWriter

from .options import BrainscoreOptions, Option
from .session import BrainscoreSession, is_brainscore_error

__all__ = ["OPTIONS", "list_and_exit", "print_listing"]

OPTIONS = (Option("list", "flag", "List the registered models and benchmarks (filtered by the selection), then exit."),)


def list_and_exit(config: pytest.Config, options: BrainscoreOptions) -> int:
    """Write the listing through a terminal writer (``pytest_cmdline_main``); the exit code is 0.

    brainscore_core's settings are restored when pytest cleans up ``config``.
    """
    session = BrainscoreSession(options)
    config.add_cleanup(session.close)
    try:
        writer = create_terminal_writer(config)
        print_listing(session, writer)
        writer.flush()
    except Exception as error:
        if is_brainscore_error(error):  # e.g. a BRAINSCORE_PLUGINS_PATH entry that is not a directory
            raise pytest.UsageError(str(error)) from None
        raise
    return 0


def print_listing(session: BrainscoreSession, writer: TerminalWriter) -> None:
    """List models and benchmarks with their descriptions, filtered by the model/benchmark options if given."""
    selections = (("model", "Models", session.options.models), ("benchmark", "Benchmarks", session.options.benchmarks))
    for kind, heading, patterns in selections:
        registry = session.registry(kind)
        descriptions: dict[str, str] = registry.describe()
        if patterns:  # an unknown identifier, or a glob matching nothing, raises with the closest identifiers
            chosen = set(registry.select(patterns))
            descriptions = {identifier: text for identifier, text in descriptions.items() if identifier in chosen}
        writer.line(f"{heading} ({len(descriptions)}):")
        width = max((len(identifier) for identifier in descriptions), default=0)
        for identifier, text in descriptions.items():
            writer.line(f"  {identifier.ljust(width)}  {text}".rstrip())
        writer.line()
