"""Crash- and race-safe file operations: atomic writes, atomic directory publication and removal, inter-process
locks.

The protocol that keeps concurrent readers safe: a directory that is visible under its final name is complete and
is never modified in place. It appears whole (:func:`publish_directory`, one ``rename``) and disappears whole
(:func:`remove_tree` first renames it to a private ``.trash-*`` name, then deletes that). So a reader that finds
files missing or damaged in a directory which is *still* under its final name (see :func:`same_file`) has found
genuine corruption, while a reader whose directory was renamed away meanwhile has only lost a race.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import itertools
import json
import logging
import os
import shutil
import socket
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import BrainScoreError

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "LOCK_TIMEOUT_ENV",
    "CacheLockTimeout",
    "CacheLockWarning",
    "FileIdentity",
    "acquire_lock",
    "atomic_write_bytes",
    "describe_holder",
    "detach",
    "file_identity",
    "file_lock",
    "lock_timeout",
    "make_directories",
    "publish_directory",
    "release_lock",
    "remove_tree",
    "same_file",
    "staging_directory",
    "sweep_staging",
    "sweep_trash",
    "write_new_file",
]

_STAGING_PREFIX = ".staging-"
_TRASH_PREFIX = ".trash-"
_ATTEMPTS = 5
_LOCK_ATTEMPTS = 100
_HOST = socket.gethostname()
_HOST_TAG = hashlib.sha256(_HOST.encode()).hexdigest()[:8]
_STALE_STAGING_AGE = 24 * 3600.0  #: seconds after which a staging folder of another host counts as abandoned
LOCK_TIMEOUT_ENV = "BRAINSCORE_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 300.0  #: seconds
LOCK_REPORT_AFTER = 5.0  #: seconds of waiting for a lock before saying who holds it
_TAKE_OVER_AFTER = 1.0
_POLL = 0.05
_NO_LOCK_ERRNOS = {errno.ENOLCK, errno.ENOSYS, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}
_NO_LOCKING: set[Path] = set()
_log = logging.getLogger("brainscore_core.cache")

FileIdentity = tuple[int, int]


def file_identity(stat: os.stat_result) -> FileIdentity:
    """What tells one file or directory from another (also after a rename): device and inode.

    Inode numbers are reused once a file is deleted, so compare identities only while holding the file open
    (as readers do), which keeps its inode from being reused.
    """
    return stat.st_dev, stat.st_ino


def same_file(path: Path, identity: FileIdentity) -> bool:
    """Whether ``path`` still names the file or directory of ``identity``."""
    try:
        return file_identity(os.stat(path)) == identity
    except OSError:
        return False


def _staging_prefix() -> str:
    """``.staging-<pid>-<host tag>-``: lets a later run tell a killed writer's leftovers from a live writer's."""
    return f"{_STAGING_PREFIX}{os.getpid()}-{_HOST_TAG}-"


def _latest_change(path: Path) -> float:
    latest = path.lstat().st_mtime
    if path.is_dir() and not path.is_symlink():
        for child in path.iterdir():
            with contextlib.suppress(FileNotFoundError):
                latest = max(latest, child.lstat().st_mtime)
    return latest


def _abandoned(path: Path, now: float) -> bool:
    """A staging folder or file whose writer is gone: its pid no longer runs on this host, or (any host, or an
    unnamed writer) nothing in it changed for :data:`_STALE_STAGING_AGE`."""
    parts = path.name[len(_STAGING_PREFIX) :].split("-", 2)
    if len(parts) == 3 and parts[0].isdigit() and parts[1] == _HOST_TAG and _pid_state(int(parts[0])) == "gone":
        return True
    try:
        return now - _latest_change(path) > _STALE_STAGING_AGE
    except FileNotFoundError:
        return False


def sweep_staging(parent: Path) -> int:
    """Remove the ``.staging-*`` folders and files in ``parent`` left by killed writers (see :func:`_abandoned`);
    a live writer's are left alone. Returns how many were removed."""
    try:
        candidates = [p for p in parent.iterdir() if p.name.startswith(_STAGING_PREFIX)]
    except OSError:
        return 0
    removed, now = 0, time.time()
    for path in candidates:
        if not _abandoned(path, now):
            continue
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed += 1
    return removed


def make_directories(path: Path) -> None:
    """``path.mkdir(parents=True, exist_ok=True)`` that tolerates a concurrent removal of the folder or of one of
    its parents (``cache clear``), which makes the plain call fail with FileExistsError or FileNotFoundError."""
    for attempt in range(_ATTEMPTS):
        try:
            path.mkdir(parents=True, exist_ok=True)
            return
        except (FileExistsError, FileNotFoundError):
            if attempt == _ATTEMPTS - 1 or (path.exists() and not path.is_dir()):
                raise


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` so that readers see either the old file or the complete new one.

    The one atomic file write of the project: a temporary file in the same folder (created, with its parents, if
    missing), flushed to disk, then renamed over ``path``; the temporary file is removed if anything fails. The
    file gets permission bits ``mode`` when given, else those of :func:`tempfile.mkstemp` (0600).
    """
    make_directories(path.parent)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=_staging_prefix() + path.name + ".")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_new_file(path: Path, data: bytes) -> None:
    """Create ``path`` (which must not exist) in an existing private directory, e.g. a staging directory.

    Never creates the directory: when a staging directory was removed under its writer (``cache clear``), this
    raises FileNotFoundError instead of recreating a staging directory that holds only part of an entry.
    """
    with open(path, "xb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


@contextlib.contextmanager
def staging_directory(parent: Path) -> Iterator[Path]:
    """A fresh private directory under ``parent`` to fill before :func:`publish_directory`; removed if left over."""
    for attempt in range(_ATTEMPTS):
        make_directories(parent)
        try:
            staging = Path(tempfile.mkdtemp(dir=parent, prefix=_staging_prefix()))
            break
        except FileNotFoundError:  # ``parent`` was removed between the two calls (``cache clear``): again
            if attempt == _ATTEMPTS - 1:
                raise
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # private: no reader looks inside


def publish_directory(staging: Path, final: Path) -> bool:
    """Atomically rename the filled ``staging`` directory to ``final``.

    Returns False (and leaves ``final`` untouched) when another writer published ``final`` first, so an entry
    is never overwritten half-way nor counted twice, and also when ``staging`` itself was removed meanwhile
    (``cache clear`` while the entry was written): then nothing is published.
    """
    for _ in range(_ATTEMPTS):
        try:
            os.rename(staging, final)
            return True
        except FileNotFoundError:
            if not staging.is_dir():
                return False
            raise
        except OSError as error:
            if final.exists():
                return False
            if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
            # ``final`` was there at the rename but was removed since: try again
    return False


def detach(path: Path, identity: FileIdentity | None = None) -> Path | None:
    """Atomically move ``path`` out of readers' sight to a private ``.trash-*`` sibling and return that name.

    With ``identity``, only the very directory of that identity is moved: a newer one published under the same
    name meanwhile is left alone. Returns None when there was nothing (of that identity) to move.
    """
    if identity is not None and not same_file(path, identity):
        return None
    trash = path.parent / f"{_TRASH_PREFIX}{path.name}-{os.getpid()}-{os.urandom(6).hex()}"
    try:
        os.rename(path, trash)
    except FileNotFoundError:
        return None
    if identity is not None and not same_file(trash, identity):
        # a newer directory replaced ours between the check and the rename: put it back if the name is still free
        with contextlib.suppress(OSError):
            os.rename(trash, path)
            return None
    return trash


def remove_tree(path: Path, identity: FileIdentity | None = None) -> None:
    """Remove a directory tree if it exists, atomically as readers see it (see :func:`detach`); a concurrent
    removal is not an error."""
    trash = detach(path, identity)
    if trash is None:
        return
    if trash.is_dir() and not trash.is_symlink():
        _delete_tree(trash)
    else:
        trash.unlink(missing_ok=True)


def _delete_tree(trash: Path) -> None:
    """Delete a detached tree; a writer still filling a staging folder inside it can make one pass miss files."""
    for _ in range(_ATTEMPTS):
        shutil.rmtree(trash, ignore_errors=True)
        if not trash.exists():
            return
        time.sleep(0.01)


def sweep_trash(parent: Path) -> None:
    """Delete the ``.trash-*`` folders in ``parent`` that an earlier removal could not finish."""
    if parent.is_dir():
        for trash in list(parent.glob(_TRASH_PREFIX + "*")):
            if trash.is_dir() and not trash.is_symlink():
                _delete_tree(trash)


def lock_timeout() -> float:
    """Seconds to wait for a cache lock before giving up: ``BRAINSCORE_LOCK_TIMEOUT``, else
    :data:`DEFAULT_LOCK_TIMEOUT`."""
    text = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise ValueError(
            f"{LOCK_TIMEOUT_ENV}={text!r} is not a positive number of seconds; e.g. {LOCK_TIMEOUT_ENV}=600."
        )
    return value


def _pid_state(pid: int) -> str:
    """``"running"``, ``"stopped"`` (SIGSTOP, Ctrl-Z, a debugger), ``"gone"`` or ``"unknown"`` for a local pid."""
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


def _read_holder(handle: IO[bytes]) -> dict[str, Any]:
    """What the holder wrote into the lock file: ``{"pid", "host", "since"}``, or {} when unknown."""
    try:
        handle.seek(0)
        holder = json.loads(handle.read(4096) or b"{}")
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def describe_holder(holder: dict[str, Any]) -> str:
    """``pid 12 on host h since 17:01:02 UTC (stopped)``, for messages about a lock."""
    pid, host = holder.get("pid"), holder.get("host")
    if not isinstance(pid, int) or not isinstance(host, str):
        return "an unknown process (it wrote no pid into the lock file)"
    since = holder.get("since")
    when = time.strftime(" since %H:%M:%S UTC", time.gmtime(since)) if isinstance(since, (int, float)) else ""
    state = _pid_state(pid) if host == _HOST else "on another host: state unknown"
    return f"pid {pid} on host {host}{when} ({state})"


class _Waiting:
    """Book-keeping of one wait for a lock: when to report, when a gone holder may be taken over, the deadline."""

    def __init__(self, path: Path, timeout: float, report_after: float) -> None:
        self.path, self.timeout, self.report_after = path, timeout, report_after
        self.started = time.monotonic()
        self.reported = False
        self.gone_since: dict[str, float] = {}  # holder record -> when first seen held by a gone process

    def holder_is_gone(self, holder: dict[str, Any]) -> bool:
        """Whether ``holder`` is a process on this host that no longer runs, seen so for a while (a new holder
        writes its record right after locking, so a record seen for :data:`_TAKE_OVER_AFTER` is not a race)."""
        pid = holder.get("pid")
        if holder.get("host") != _HOST or not isinstance(pid, int) or _pid_state(pid) != "gone":
            return False
        record = json.dumps(holder, sort_keys=True)
        first = self.gone_since.setdefault(record, time.monotonic())
        return time.monotonic() - first >= _TAKE_OVER_AFTER

    def check(self, holder: dict[str, Any]) -> None:
        """Report once after ``report_after`` seconds; raise :class:`CacheLockTimeout` after ``timeout``."""
        waited = time.monotonic() - self.started
        if not self.reported and waited >= self.report_after:
            self.reported = True
            message = (
                f"Waiting for the cache lock {self.path}, held by {describe_holder(holder)}: another process is "
                f"computing the same entries. Giving up after {self.timeout:g} s ({LOCK_TIMEOUT_ENV})."
            )
            _log.warning(message)
            warnings.warn(message, CacheLockWarning, stacklevel=5)
        if waited >= self.timeout:
            raise CacheLockTimeout(self.path, holder, self.timeout)


class CacheLockWarning(UserWarning):
    """Waiting long for a cache lock, taking over a lock whose holder is gone, or a file system without locks."""


class CacheLockTimeout(BrainScoreError):
    """Gave up waiting for a cache lock (see ``BRAINSCORE_LOCK_TIMEOUT``)."""

    def __init__(self, path: Path, holder: dict[str, Any], timeout: float) -> None:
        pid = holder.get("pid", "PID")
        super().__init__(
            f"Gave up after {timeout:g} s waiting for the cache lock {path}, held by {describe_holder(holder)}. "
            f"Another process is computing the same entries. If that process is stopped (Ctrl-Z, a debugger) or "
            f"hung, resume or end it (kill {pid}); if no such process runs any more, delete {path}. To wait "
            f"longer set {LOCK_TIMEOUT_ENV}=SECONDS (now {timeout:g}); to score without the cache pass "
            "--brainscore-no-cache or set BRAINSCORE_NO_CACHE=1."
        )
        self.path, self.holder = path, holder


def _unsupported_locking(path: Path, error: OSError) -> None:
    if path.parent in _NO_LOCKING:
        return
    _NO_LOCKING.add(path.parent)
    warnings.warn(
        f"The file system of {path.parent} refuses file locks ({error}); the cache is used without locks there, so "
        "concurrent processes may compute the same entries twice (entries stay consistent: they are published "
        "atomically).",
        CacheLockWarning,
        stacklevel=4,
    )


def _try_lock(path: Path, waiting: _Waiting) -> IO[bytes] | None:
    """One attempt: the open, locked handle of ``path``, or None (held by another; reported/taken over/timed out
    as due). Raises OSError for file systems that refuse locks (see :func:`acquire_lock`)."""
    import fcntl

    make_directories(path.parent)
    try:
        handle = open(path, "a+b")  # noqa: SIM115 - returned to the caller, closed by release_lock
    except FileNotFoundError:  # the folder was removed between the two calls: again
        return None
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _read_holder(handle)
        identity = file_identity(os.fstat(handle.fileno()))
        handle.close()
        if waiting.holder_is_gone(holder):
            if same_file(path, identity):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)  # the next attempt locks a fresh file; the gone holder's file is abandoned
            warnings.warn(
                f"Took over the cache lock {path} from {describe_holder(holder)}.", CacheLockWarning, stacklevel=4
            )
            return None
        waiting.check(holder)
        time.sleep(_POLL)
        return None
    except BaseException:
        handle.close()
        raise
    return handle


def acquire_lock(
    path: Path, *, timeout: float | None = None, report_after: float = LOCK_REPORT_AFTER
) -> IO[bytes] | None:
    """Take the exclusive inter-process lock ``path`` (created if needed) and write the holder (pid, host, time)
    into it; return the handle for :func:`release_lock`.

    Never waits silently: after ``report_after`` seconds a :class:`CacheLockWarning` (and a log line) names the
    holder; a holder on this host that is gone is taken over; after ``timeout`` (default :func:`lock_timeout`)
    :class:`CacheLockTimeout` says who holds it and what to do. A lock file removed (``cache clear``) while this
    process waited is not trusted: the lock is taken again on the file now at ``path``. Returns None, without
    locking, where locks are unavailable: Windows, or a file system that refuses them (one warning).
    """
    try:
        import fcntl  # noqa: F401
    except ImportError:  # pragma: no cover - Windows
        return None
    waiting = _Waiting(path, lock_timeout() if timeout is None else timeout, report_after)
    for attempt in itertools.count():
        try:
            handle = _try_lock(path, waiting)
        except OSError as error:
            if error.errno in _NO_LOCK_ERRNOS:
                _unsupported_locking(path, error)
                return None
            raise
        if handle is None:
            continue
        stale = not same_file(path, file_identity(os.fstat(handle.fileno())))
        if stale and attempt < _LOCK_ATTEMPTS:  # (bounded, for file systems without stable inode numbers)
            handle.close()  # closing releases the stale lock
            continue
        handle.truncate(0)
        handle.write(json.dumps({"pid": os.getpid(), "host": _HOST, "since": time.time()}).encode())
        handle.flush()
        return handle
    raise AssertionError("unreachable")  # pragma: no cover


def release_lock(handle: IO[bytes] | None) -> None:
    """Release a lock taken by :func:`acquire_lock` (clearing the holder record first)."""
    if handle is None:
        return
    import fcntl

    with contextlib.suppress(OSError):
        handle.truncate(0)
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


@contextlib.contextmanager
def file_lock(path: Path, *, timeout: float | None = None, report_after: float = LOCK_REPORT_AFTER) -> Iterator[None]:
    """Hold the lock ``path`` for the ``with`` block (see :func:`acquire_lock`)."""
    handle = acquire_lock(path, timeout=timeout, report_after=report_after)
    try:
        yield
    finally:
        release_lock(handle)
