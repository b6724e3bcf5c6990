"""Deprecated old path of the private module :mod:`._splits`; import from :mod:`brainscore_core.metrics`."""

from .._deprecated import forward_to

__all__: list[str] = []

__getattr__ = forward_to(__name__, "brainscore_core.metrics._splits", "brainscore_core.metrics")
