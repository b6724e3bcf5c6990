"""Crash- and race-safe file operations: atomic writes, atomic directory publication and removal (inter-process
locks: :mod:`._lock`).

The protocol that keeps concurrent readers safe: a directory that is visible under its final name is complete and
is never modified in place. It appears whole (:func:`publish_directory`, one ``rename``) and disappears whole
(:func:`remove_tree` first renames it to a private ``.trash-*`` name, then deletes that). So a reader that finds
files missing or damaged in a directory which is *still* under its final name (see :func:`same_file`) has found
genuine corruption, while a reader whose directory was renamed away meanwhile has only lost a race.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from ._process import HOST_TAG, pid_state

__all__ = [
    "FileIdentity",
    "atomic_write_bytes",
    "detach",
    "file_identity",
    "make_directories",
    "publish_directory",
    "publish_file",
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
_STALE_STAGING_AGE = 24 * 3600.0  #: seconds after which a staging folder of another host counts as abandoned

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
    return f"{_STAGING_PREFIX}{os.getpid()}-{HOST_TAG}-"


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
    if len(parts) == 3 and parts[0].isdigit() and parts[1] == HOST_TAG and pid_state(int(parts[0])) == "gone":
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


def publish_file(complete: str | os.PathLike[str], path: str | os.PathLike[str]) -> None:
    """Put the complete, already flushed file ``complete`` at ``path`` with one rename (same file system), so that
    readers see either the old file or the new one; for files written elsewhere (a download, a verified part)."""
    os.replace(complete, path)


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
