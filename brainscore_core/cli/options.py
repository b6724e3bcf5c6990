"""Checks of the run options (``--device``, ``--cache-dir``, ``demo --output``) before any work starts.

Each check raises :class:`CommandLineError` with one line naming the option (or environment variable), the
value and the fix, so a typo costs a second, not a scored run and a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import BrainScoreError

__all__ = ["CommandLineError", "check_cache_dir", "check_device", "check_output_file"]


class CommandLineError(BrainScoreError):
    """A command-line option or the environment variable behind it has an unusable value."""


def check_device(device: str | None, source: str) -> None:
    """Refuse a torch device string that torch cannot parse or that this machine does not have."""
    if device is None:
        return
    import torch

    try:
        parsed = torch.device(device)
    except (RuntimeError, ValueError) as error:
        raise CommandLineError(
            f"{source} {device!r} is not a torch device ({error}). Use e.g. cpu, cuda, cuda:1 or mps."
        ) from None
    if parsed.type == "cuda":
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if count == 0:
            raise CommandLineError(f"{source} {device!r}: CUDA is not available on this machine. Use cpu.")
        if parsed.index is not None and parsed.index >= count:
            raise CommandLineError(
                f"{source} {device!r}: this machine has {count} CUDA device(s) (cuda:0 to cuda:{count - 1})."
            )
    elif parsed.type == "mps" and not torch.backends.mps.is_available():
        raise CommandLineError(f"{source} {device!r}: MPS is not available on this machine. Use cpu.")


def _first_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if os.path.lexists(candidate):
            return candidate
    return Path(path.anchor or ".")


def check_cache_dir(path: Path, source: str) -> None:
    """Refuse a cache location that is a file, or lies under one, or cannot be created."""
    existing = _first_existing(path)
    if existing.is_dir():
        return
    if existing == path:
        raise CommandLineError(
            f"{source} {str(path)!r} is a file, not a folder. Give a folder (it is created if missing)."
        )
    raise CommandLineError(
        f"{source} {str(path)!r} cannot be created: {str(existing)!r} is a file, not a folder. "
        "Give a folder (it is created if missing)."
    )


def check_output_file(path: Path, option: str = "--output") -> None:
    """Refuse an output file path that is a folder or lies under a file, before any scoring starts."""
    if path.is_dir():
        raise CommandLineError(
            f"{option} {str(path)!r} is a folder. Give a file name, e.g. {str(path / 'demo_results.json')!r}."
        )
    existing = _first_existing(path.parent if str(path.parent) else Path("."))
    if not existing.is_dir():
        raise CommandLineError(f"{option} {str(path)!r} cannot be written: {str(existing)!r} is a file, not a folder.")
