"""Deprecated old path of the private module :mod:`._fingerprint`; import from :mod:`brainscore_core.activations`."""

from .._deprecated import forward_to

__all__: list[str] = []

__getattr__ = forward_to(__name__, "brainscore_core.activations._fingerprint", "brainscore_core.activations")
