"""Brain-Score compatibility: the ``brainscore_vision`` names Brain-Score's model plugins import, built on
``brainscore_core``.

``_vision/`` is loaded *as* the package ``brainscore_vision`` by :class:`~._finder.CompatFinder` (only when no real
``brainscore_vision`` is installed); do not import ``brainscore_core.compat._vision`` directly. Importing
``brainscore_core`` installs the finder; so does loading the pytest plugin.
"""

from . import _finder  # noqa: F401  (bound here too when the pytest plugin loaded it by path)
from ._finder import (
    PACKAGE,
    CompatFinder,
    ForeignBrainscoreCoreWarning,
    add_models_path_provider,
    foreign_core_distributions,
    foreign_core_message,
    header_lines,
    install,
    models_path,
    real_vision_location,
    vision_in_use,
    warn_if_foreign_core,
)
from ._support import NotSupportedError

__all__ = [
    "PACKAGE",
    "CompatFinder",
    "ForeignBrainscoreCoreWarning",
    "NotSupportedError",
    "add_models_path_provider",
    "foreign_core_distributions",
    "foreign_core_message",
    "header_lines",
    "install",
    "models_path",
    "real_vision_location",
    "vision_in_use",
    "warn_if_foreign_core",
]
