"""Deprecated old path of the private module :mod:`._neuroids`; import from :mod:`brainscore_core.activations`."""

from .._deprecated import forward_to

__all__: list[str] = []

__getattr__ = forward_to(__name__, "brainscore_core.activations._neuroids", "brainscore_core.activations")
