"""Writing a rendered view to disk: atomically, with the permissions a plain ``open`` would give."""

from __future__ import annotations

import os
from pathlib import Path

from ..cache._atomic import atomic_write_bytes
from .data import ReportError

__all__ = ["write_view"]


def write_view(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` so that readers see the old file or the whole new one; returns the path.

    A file that cannot be written raises :class:`ReportError` naming the path and the reason.
    """
    path = Path(path)
    umask = os.umask(0)
    os.umask(umask)
    try:
        atomic_write_bytes(path, text.encode("utf-8"), mode=0o666 & ~umask)
    except OSError as error:
        raise ReportError(f"cannot write the report {path}: {error.strerror or error}.") from None
    return path
