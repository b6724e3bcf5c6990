"""Which process is this, and is another local one still running: for lock holders and staging folders."""

from __future__ import annotations

import hashlib
import os
import socket
import sys

__all__ = ["HOST", "HOST_TAG", "pid_state"]

HOST = socket.gethostname()
HOST_TAG = hashlib.sha256(HOST.encode()).hexdigest()[:8]  #: a short, file-name-safe tag of this host


def pid_state(pid: int) -> str:
    """``"running"``, ``"stopped"`` (SIGSTOP, Ctrl-Z, a debugger), ``"gone"`` or ``"unknown"`` for a local pid.

    Always ``"unknown"`` on Windows, where ``os.kill(pid, 0)`` would end the process instead of probing it.
    """
    if sys.platform == "win32":  # pragma: no cover - Windows
        return "unknown"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return "gone"
    except (PermissionError, OverflowError, ValueError):
        return "unknown"
    try:
        with open(f"/proc/{pid}/stat", "rb") as stream:
            state = stream.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "running"
    return {b"T": "stopped", b"t": "stopped", b"Z": "gone", b"X": "gone"}.get(state, "running")
