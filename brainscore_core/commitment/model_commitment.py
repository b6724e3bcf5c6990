"""Deprecated old path of the private module :mod:`._model_commitment`.

Import from :mod:`brainscore_core.commitment`.
"""

from .._deprecated import forward_to

__all__: list[str] = []

__getattr__ = forward_to(__name__, "brainscore_core.commitment._model_commitment", "brainscore_core.commitment")
