"""The on-disk cache: activations (``.npy`` + JSON, checksummed) and small JSON results (ceilings, layer selection).

Location and on/off switch come from :func:`brainscore_core.config.settings` (``BRAINSCORE_HOME``,
``BRAINSCORE_NO_CACHE``, or ``configure(cache_dir=..., cache_enabled=...)``). Importing this package does not
import torch.
"""

from ._activations import ActivationsCache, CacheCorruptionWarning, CacheUnwritableWarning
from ._keys import (
    FORMAT_VERSION,
    array_hash,
    assembly_hash,
    callable_identity,
    canonical_json,
    code_identity,
    safe_name,
    stable_hash,
)
from ._lock import DEFAULT_LOCK_TIMEOUT, LOCK_TIMEOUT_ENV, CacheLockTimeout, CacheLockWarning
from ._maintenance import clear, info
from ._results import ResultCache

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "FORMAT_VERSION",
    "LOCK_TIMEOUT_ENV",
    "ActivationsCache",
    "CacheCorruptionWarning",
    "CacheLockTimeout",
    "CacheLockWarning",
    "CacheUnwritableWarning",
    "ResultCache",
    "array_hash",
    "assembly_hash",
    "callable_identity",
    "canonical_json",
    "clear",
    "code_identity",
    "info",
    "safe_name",
    "stable_hash",
]
