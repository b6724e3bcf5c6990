"""Deprecated old path of the private module :mod:`._preprocessing`; import from :mod:`brainscore_core.activations`."""

from .._deprecated import forward_to

__all__: list[str] = []

__getattr__ = forward_to(__name__, "brainscore_core.activations._preprocessing", "brainscore_core.activations")
