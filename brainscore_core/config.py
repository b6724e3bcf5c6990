"""Run-time settings: cache location and switch, compute device, progress bars.

Defaults come from the environment (``BRAINSCORE_HOME``, ``BRAINSCORE_NO_CACHE``, ``BRAINSCORE_DEVICE``,
``BRAINSCORE_PROGRESS``); :func:`configure` overrides them for the process, or within a ``with`` block.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

__all__ = ["Settings", "configure", "settings"]


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    cache_dir: Path  #: root of the on-disk cache (activations, ceilings, layer selection)
    cache_enabled: bool  #: False turns every cache read and write off
    device: str | None  #: torch device for models ("cpu", "cuda", "cuda:1"); None picks CUDA when present
    progress: bool | None  #: show progress bars; None = only on a terminal


def _from_environment() -> Settings:
    home = os.environ.get("BRAINSCORE_HOME") or os.path.join(Path.home(), ".cache", "brainscore")
    progress_env = os.environ.get("BRAINSCORE_PROGRESS")
    return Settings(
        cache_dir=Path(home).expanduser(),
        cache_enabled=not _env_flag("BRAINSCORE_NO_CACHE"),
        device=os.environ.get("BRAINSCORE_DEVICE") or None,
        progress=None if progress_env is None else _env_flag("BRAINSCORE_PROGRESS"),
    )


_overrides: dict[str, Any] = {}  # Settings field name -> value (checked by configure)


def settings() -> Settings:
    """The settings in force: environment defaults with :func:`configure` overrides applied."""
    current = _from_environment()
    return replace(current, **_overrides) if _overrides else current


@contextlib.contextmanager
def _restore(previous: dict[str, object]) -> Iterator[Settings]:
    try:
        yield settings()
    finally:
        _overrides.clear()
        _overrides.update(previous)


def configure(**changes: object) -> contextlib.AbstractContextManager[Settings]:
    """Override settings (``cache_dir``, ``cache_enabled``, ``device``, ``progress``) for this process.

    Returns a context manager; used in a ``with`` block the previous settings come back at its end.
    """
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise TypeError(f"Unknown setting(s) {unknown}; known: {sorted(known)}.")
    previous = dict(_overrides)
    for key, value in changes.items():
        if key == "cache_dir" and value is not None:
            value = Path(str(value)).expanduser()
        _overrides[key] = value
    return _restore(previous)
