"""Deprecated old path of the private module :mod:`._discovery`; import from :mod:`brainscore_core.plugins`."""

from .._deprecated import forward_to

__all__: list[str] = []

__getattr__ = forward_to(__name__, "brainscore_core.plugins._discovery", "brainscore_core.plugins")
