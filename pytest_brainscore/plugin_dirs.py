"""Plugin folders in the pytest run: ``--brainscore-no-builtin-plugins``, and the header lines that say which
built-in example plugins a user's folder replaced, which identifiers conflict and what discovery left out.

brainscore_core is imported only when the switch is on or plugin directories were given (the notices need
discovery); a run that uses neither pays nothing.
"""

from __future__ import annotations

import os

import pytest

from .options import BrainscoreOptions, Option, key

__all__ = ["OPTIONS", "configure", "header_lines", "no_builtin_plugins"]

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


def header_lines(config: pytest.Config, options: BrainscoreOptions) -> list[str]:
    """The header lines about plugin folders: empty unless plugin directories were given (then discovery runs)."""
    lines = []
    if no_builtin_plugins(config) or os.environ.get(_ENV, "").strip().lower() in {"1", "true", "yes", "on"}:
        lines.append("brainscore: built-in example model plugins left out")
    if not options.plugins and not os.environ.get("BRAINSCORE_PLUGINS_PATH"):
        return lines
    from brainscore_core.errors import BrainScoreError
    from brainscore_core.plugins import add_plugin_directories, ensure_discovered, plugin_notices

    try:
        if options.plugins:
            add_plugin_directories(*options.plugins)
        ensure_discovered()
    except BrainScoreError:  # e.g. a BRAINSCORE_PLUGINS_PATH entry that is not a directory: the session says so
        return lines
    lines += [f"brainscore: {notice}" for notice in plugin_notices()]
    return lines
