"""Deprecated old path of the private module :mod:`._layer_selection`; import from :mod:`brainscore_core.commitment`."""

from .._deprecated import forward_to

__all__: list[str] = []

__getattr__ = forward_to(__name__, "brainscore_core.commitment._layer_selection", "brainscore_core.commitment")
