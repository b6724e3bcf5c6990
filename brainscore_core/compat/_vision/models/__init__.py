"""``brainscore_vision.models``: each model plugin folder found by discovery, as ``brainscore_vision.models.<name>``.

The package's ``__path__`` is recomputed on every lookup from :func:`brainscore_core.compat.models_path` (plugin
directories given to pytest-brainscore), so relative imports inside plugin folders and sibling imports
(``from brainscore_vision.models.<other> import ...``) resolve.
"""

from brainscore_core.compat._finder import DynamicPath, models_path

__all__: list[str] = []

# the package's static path is replaced by one recomputed on every lookup
__path__ = DynamicPath(models_path)  # type: ignore[assignment]
