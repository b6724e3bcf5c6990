"""Deprecated old path of the private module :mod:`._normalisation`; import from :mod:`brainscore_core.score`."""

from .._deprecated import forward_to

__all__: list[str] = []

__getattr__ = forward_to(__name__, "brainscore_core.benchmarks._normalisation", "brainscore_core.score")
