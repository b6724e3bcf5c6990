"""Plugin discovery and the pluggy hooks for entry-point plugins."""

from ._discovery import (
    ENV_PLUGINS_PATH,
    KINDS,
    PluginFailure,
    PluginHost,
    add_plugin_directories,
    builtin_plugin_root,
    default_host,
    discover,
    ensure_discovered,
    failed_plugins,
    failed_plugins_note,
    import_plugin_folder,
    iter_plugin_folders,
    missing_plugin_directory_note,
    plugin_directories,
    plugin_manager,
    use_host,
)
from ._hookspecs import hookimpl, hookspec

__all__ = [
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
    "hookimpl",
    "hookspec",
    "import_plugin_folder",
    "iter_plugin_folders",
    "missing_plugin_directory_note",
    "plugin_directories",
    "plugin_manager",
    "use_host",
]
