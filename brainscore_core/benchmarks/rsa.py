"""Deprecated old path of the private module :mod:`._rsa`; import from :mod:`brainscore_core.benchmarks`."""

from .._deprecated import forward_to

__all__: list[str] = []

__getattr__ = forward_to(__name__, "brainscore_core.benchmarks._rsa", "brainscore_core.benchmarks")
