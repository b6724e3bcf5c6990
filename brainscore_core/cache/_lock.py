"""The one inter-process lock of the project, on :mod:`filelock` (``flock`` on POSIX, ``msvcrt`` on Windows).

What it adds to filelock: it never waits silently. The holder writes who it is (pid, host, time) into the lock
file; a waiter reports the holder after a few seconds (:class:`CacheLockWarning`), takes over a lock whose holder
on this host is gone (e.g. an inherited descriptor kept it locked), and gives up after a bound
(:class:`CacheLockTimeout`, naming the lock file, the holder and ``BRAINSCORE_LOCK_TIMEOUT``). Used for the
activation and result caches and for baseline updates (``pytest_brainscore.baselines``).
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from ..errors import BrainScoreError
from ._atomic import FileIdentity, file_identity, make_directories, same_file
from ._process import HOST, pid_state

__all__ = [
    "CACHE_LOCK",
    "DEFAULT_LOCK_TIMEOUT",
    "LOCK_REPORT_AFTER",
    "LOCK_TIMEOUT_ENV",
    "CacheLockTimeout",
    "CacheLockWarning",
    "HeldLock",
    "LockPurpose",
    "acquire_lock",
    "describe_holder",
    "file_lock",
    "lock_timeout",
    "release_lock",
]

LOCK_TIMEOUT_ENV = "BRAINSCORE_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 300.0  #: seconds
LOCK_REPORT_AFTER = 5.0  #: seconds of waiting for a lock before saying who holds it
_TAKE_OVER_AFTER = 1.0  #: seconds a gone holder's record must be seen before its lock is taken over
_POLL = 0.05
_NO_LOCK_ERRNOS = {errno.ENOLCK, errno.ENOSYS, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}
_NO_LOCKING: set[Path] = set()
_log = logging.getLogger("brainscore_core.cache")


@dataclass(frozen=True)
class LockPurpose:
    """What a lock protects, for the messages about it: its ``name``, what its holder is ``doing``, how to
    ``wait_longer`` (a format string with ``{timeout}``) and the ``setting`` its timeout comes from, if any."""

    name: str
    doing: str
    wait_longer: str
    setting: str = ""


CACHE_LOCK = LockPurpose(
    "cache lock",
    "computing the same entries",
    f"To wait longer set {LOCK_TIMEOUT_ENV}=SECONDS (now {{timeout:g}}); to score without the cache pass "
    "--brainscore-no-cache or set BRAINSCORE_NO_CACHE=1.",
    LOCK_TIMEOUT_ENV,
)


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


def _read_holder(path: Path) -> tuple[dict[str, Any], FileIdentity | None]:
    """What the holder wrote into the lock file (``{"pid", "host", "since"}``, or {} when unknown) and the file's
    identity when it was read."""
    try:
        with open(path, "rb") as stream:
            identity = file_identity(os.fstat(stream.fileno()))
            holder = json.loads(stream.read(4096) or b"{}")
    except (OSError, ValueError):
        return {}, None
    return (holder if isinstance(holder, dict) else {}), identity


def _write_holder(path: Path, record: dict[str, Any] | None) -> None:
    """Write (or, with None, clear) the holder record in the lock file this process holds. Best effort: where the
    locked file cannot be written through a second handle (Windows), waiters see an unknown holder."""
    with contextlib.suppress(OSError), open(path, "r+b") as stream:
        stream.truncate(0)
        if record is not None:
            stream.write(json.dumps(record).encode())
        stream.flush()


def describe_holder(holder: dict[str, Any]) -> str:
    """``pid 12 on host h since 17:01:02 UTC (stopped)``, for messages about a lock."""
    pid, host = holder.get("pid"), holder.get("host")
    if not isinstance(pid, int) or not isinstance(host, str):
        return "an unknown process (it wrote no pid into the lock file)"
    since = holder.get("since")
    when = time.strftime(" since %H:%M:%S UTC", time.gmtime(since)) if isinstance(since, (int, float)) else ""
    state = pid_state(pid) if host == HOST else "on another host: state unknown"
    return f"pid {pid} on host {host}{when} ({state})"


class CacheLockWarning(UserWarning):
    """Waiting long for a lock, taking over a lock whose holder is gone, or a file system without locks."""


class CacheLockTimeout(BrainScoreError):
    """Gave up waiting for a lock (see ``BRAINSCORE_LOCK_TIMEOUT``)."""

    def __init__(self, path: Path, holder: dict[str, Any], timeout: float, purpose: LockPurpose = CACHE_LOCK) -> None:
        pid = holder.get("pid", "PID")
        super().__init__(
            f"Gave up after {timeout:g} s waiting for the {purpose.name} {path}, held by {describe_holder(holder)}. "
            f"Another process is {purpose.doing}. If that process is stopped (Ctrl-Z, a debugger) or hung, resume "
            f"or end it (kill {pid}); if no such process runs any more, delete {path}. "
            + purpose.wait_longer.format(timeout=timeout)
        )
        self.path, self.holder, self.timeout = path, holder, timeout


class _Waiting:
    """Book-keeping of one wait for a lock: when to report, when a gone holder may be taken over, the deadline."""

    def __init__(self, path: Path, timeout: float, report_after: float, purpose: LockPurpose) -> None:
        self.path, self.timeout, self.report_after, self.purpose = path, timeout, report_after, purpose
        self.started = time.monotonic()
        self.reported = False
        self.gone_since: dict[str, float] = {}  # holder record -> when first seen held by a gone process

    def holder_is_gone(self, holder: dict[str, Any]) -> bool:
        """Whether ``holder`` is a process on this host that no longer runs, seen so for a while (a new holder
        writes its record right after locking, so a record seen for :data:`_TAKE_OVER_AFTER` is not a race)."""
        pid = holder.get("pid")
        if holder.get("host") != HOST or not isinstance(pid, int) or pid_state(pid) != "gone":
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
                f"Waiting for the {self.purpose.name} {self.path}, held by {describe_holder(holder)}: another "
                f"process is {self.purpose.doing}. Giving up after {self.timeout:g} s"
                + (f" ({self.purpose.setting})." if self.purpose.setting else ".")
            )
            _log.warning(message)
            warnings.warn(message, CacheLockWarning, stacklevel=5)
        if waited >= self.timeout:
            raise CacheLockTimeout(self.path, holder, self.timeout, self.purpose)


def _unsupported_locking(path: Path, error: BaseException) -> None:
    if path.parent in _NO_LOCKING:
        return
    _NO_LOCKING.add(path.parent)
    warnings.warn(
        f"The file system of {path.parent} refuses file locks ({error}); it is used without locks there, so "
        "concurrent processes may compute the same entries twice (entries stay consistent: they are published "
        "atomically).",
        CacheLockWarning,
        stacklevel=4,
    )


@dataclass
class HeldLock:
    """A lock taken by :func:`acquire_lock`; give it to :func:`release_lock`."""

    path: Path
    lock: FileLock


def _take_over(path: Path, holder: dict[str, Any], identity: FileIdentity | None, purpose: LockPurpose) -> None:
    """Remove the lock file of a gone holder (only the very file read), so that the next attempt locks a fresh one."""
    if identity is not None and same_file(path, identity):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
    warnings.warn(
        f"Took over the {purpose.name} {path} from {describe_holder(holder)}.", CacheLockWarning, stacklevel=4
    )


def acquire_lock(
    path: Path,
    *,
    timeout: float | None = None,
    report_after: float = LOCK_REPORT_AFTER,
    purpose: LockPurpose = CACHE_LOCK,
) -> HeldLock | None:
    """Take the exclusive inter-process lock ``path`` (created, with its folder, if needed) and write the holder
    (pid, host, time) into it; return it for :func:`release_lock`.

    Never waits silently: after ``report_after`` seconds a :class:`CacheLockWarning` (and a log line) names the
    holder; a holder on this host that is gone is taken over; after ``timeout`` (default :func:`lock_timeout`)
    :class:`CacheLockTimeout` says who holds it and what to do. A lock file removed (``cache clear``) while this
    process waited is not trusted (filelock locks the file now at ``path``). Returns None, without locking, on a
    file system that refuses locks (one warning per folder).
    """
    waiting = _Waiting(path, lock_timeout() if timeout is None else timeout, report_after, purpose)
    lock = FileLock(str(path))
    while True:
        make_directories(path.parent)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            holder, identity = _read_holder(path)
            if waiting.holder_is_gone(holder):
                _take_over(path, holder, identity, purpose)
                continue
            waiting.check(holder)
            time.sleep(_POLL)
            continue
        except NotImplementedError as error:  # filelock's word for a file system without flock
            _unsupported_locking(path, error)
            return None
        except FileNotFoundError:  # the folder was removed between the two calls (``cache clear``): again
            waiting.check({})
            continue
        except OSError as error:
            if error.errno in _NO_LOCK_ERRNOS:
                _unsupported_locking(path, error)
                return None
            raise
        _write_holder(path, {"pid": os.getpid(), "host": HOST, "since": time.time()})
        return HeldLock(path, lock)


def release_lock(held: HeldLock | None) -> None:
    """Release a lock taken by :func:`acquire_lock` (clearing the holder record first)."""
    if held is None:
        return
    _write_holder(held.path, None)
    held.lock.release()


@contextlib.contextmanager
def file_lock(
    path: Path,
    *,
    timeout: float | None = None,
    report_after: float = LOCK_REPORT_AFTER,
    purpose: LockPurpose = CACHE_LOCK,
) -> Iterator[None]:
    """Hold the lock ``path`` for the ``with`` block (see :func:`acquire_lock`)."""
    held = acquire_lock(path, timeout=timeout, report_after=report_after, purpose=purpose)
    try:
        yield
    finally:
        release_lock(held)
