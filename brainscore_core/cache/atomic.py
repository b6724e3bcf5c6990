"""Deprecated: renamed :mod:`brainscore_core.cache._atomic` (its locks: :mod:`brainscore_core.cache._lock`)."""

from typing import Any

from .._deprecated import forward_to

__all__: list[str] = []

_LOCK_NAMES = frozenset(
    {
        "DEFAULT_LOCK_TIMEOUT",
        "LOCK_TIMEOUT_ENV",
        "LOCK_REPORT_AFTER",
        "CacheLockTimeout",
        "CacheLockWarning",
        "acquire_lock",
        "describe_holder",
        "file_lock",
        "lock_timeout",
        "release_lock",
    }
)
_to_atomic = forward_to(__name__, "brainscore_core.cache._atomic", "brainscore_core.cache")
_to_lock = forward_to(__name__, "brainscore_core.cache._lock", "brainscore_core.cache")


def __getattr__(name: str) -> Any:
    return (_to_lock if name in _LOCK_NAMES else _to_atomic)(name)
