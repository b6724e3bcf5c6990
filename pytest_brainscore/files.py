"""The plugin's one way to write a file (the baseline, the JSON report): atomically, keeping the file's mode.

The atomic write itself is brainscore_core's (:func:`brainscore_core.cache._atomic.atomic_write_bytes`: a
temporary file in the same folder, flushed, then ``os.replace``). That temporary file is private (mode 0600),
so the mode the file had (or, for a new file, the mode a plain ``open`` gives: 0666 less the umask) is put back
on it here: a baseline committed as 0644 stays 0644.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["write_text_atomically"]


def write_text_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) so that readers see the old file or the new one, never a mix.

    Creates the parent folders; an unwritable file or folder raises :class:`OSError`.
    """
    from brainscore_core.cache._atomic import atomic_write_bytes  # only when a file is written: imports stay light

    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else _default_mode()
    atomic_write_bytes(path, text.encode("utf-8"))
    os.chmod(path, mode)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
