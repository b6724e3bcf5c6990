"""``fetch``: the verified local files of a registered data set, downloaded once into ``$BRAINSCORE_HOME/data``.

Layout: ``$BRAINSCORE_HOME/data/<sha1>/<file name>`` (Brain-Score's ``~/.brainio`` layout, so one folder can serve
as the other's mirror). A file appears there only whole and verified: it is fetched into a private staging folder,
checked against its SHA-1 by pooch, then renamed into place. One lock per file (``data/.locks/<sha1>.lock``) makes
concurrent processes (pytest-xdist workers) download it once; the others wait and then find it.

Where a file comes from, in order: the data cache; an existing Brain-Score cache (``$BRAINIO_HOME``, ``~/.brainio``,
read only); ``BRAINSCORE_DATA_MIRROR`` (a local folder or an http(s) URL prefix, same file names); the file's own
URL (Brain-Score's public bucket), and for a URL with ``?versionId=`` that the server refuses, the same URL without
it (the SHA-1 still guards the content).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..cache._atomic import make_directories, publish_file, staging_directory, sweep_staging
from ..config import settings
from ..errors import DataError, DataUnavailableError, _size_text
from .catalog import RemoteFile, remote_data
from .download import DownloadFailed, LocalCopy, ResumingHTTPDownloader, fetch_settings

__all__ = [
    "BRAINIO_HOME_ENV",
    "DEFAULT_DOWNLOAD_LOCK_TIMEOUT",
    "MIRROR_ENV",
    "FileSource",
    "PlannedFile",
    "brainio_dirs",
    "cached_path",
    "data_dir",
    "fetch",
    "is_cached",
    "plan",
    "sources",
]

MIRROR_ENV = "BRAINSCORE_DATA_MIRROR"
BRAINIO_HOME_ENV = "BRAINIO_HOME"
DEFAULT_DOWNLOAD_LOCK_TIMEOUT = 3600.0  #: seconds; a download of a large file may take long


def data_dir() -> Path:
    """The data cache: ``<cache_dir>/data`` (``$BRAINSCORE_HOME/data``); used also when result caching is off."""
    return settings().cache_dir / "data"


def cached_path(file: RemoteFile) -> Path:
    """Where ``file`` lives once fetched: ``data/<sha1>/<name>``."""
    return data_dir() / file.sha1 / file.name


def is_cached(file: RemoteFile) -> bool:
    """Whether ``file`` is in the data cache (published files are complete and were verified)."""
    return cached_path(file).is_file()


def brainio_dirs() -> list[Path]:
    """Brain-Score download caches searched for files: ``$BRAINIO_HOME`` (when set) and ``~/.brainio``."""
    found: list[Path] = []
    home = os.environ.get(BRAINIO_HOME_ENV, "").strip()
    for candidate in ([Path(home).expanduser()] if home else []) + [Path.home() / ".brainio"]:
        if candidate not in found:
            found.append(candidate)
    return found


@dataclass(frozen=True)
class FileSource:
    """One place a file may come from: ``kind`` is ``brainio``, ``mirror`` or ``remote``; ``location`` a path
    (local kinds) or a URL."""

    kind: str
    location: str

    @property
    def local(self) -> bool:
        return "://" not in self.location


def _mirror_sources(file: RemoteFile) -> list[FileSource]:
    mirror = os.environ.get(MIRROR_ENV, "").strip()
    if not mirror:
        return []
    if mirror.startswith(("http://", "https://")):
        return [FileSource("mirror", f"{mirror.rstrip('/')}/{file.name}")]
    folder = Path(mirror.removeprefix("file://")).expanduser()
    # a flat folder of the file names, or a copy of a data cache (<sha1>/<name>)
    return [FileSource("mirror", str(folder / file.name)), FileSource("mirror", str(folder / file.sha1 / file.name))]


def _without_version(url: str) -> str | None:
    parts = urlsplit(url)
    if "versionId=" not in parts.query:
        return None
    query = "&".join(p for p in parts.query.split("&") if not p.startswith("versionId="))
    return urlunsplit(parts._replace(query=query))


def sources(file: RemoteFile) -> list[FileSource]:
    """Where ``file`` would be looked for when not in the data cache, in order (see the module docstring)."""
    found = [FileSource("brainio", str(folder / file.sha1 / file.name)) for folder in brainio_dirs()]
    found += _mirror_sources(file)
    found.append(FileSource("remote", file.url))
    plain = _without_version(file.url)
    if plain is not None:
        found.append(FileSource("remote", plain))
    return found


@dataclass(frozen=True)
class PlannedFile:
    """What ``brainscore fetch --dry-run`` prints for one file."""

    data_identifier: str
    file: RemoteFile
    url: str  #: the URL (or local path) the download would use
    path: Path  #: where the file lives once fetched
    state: str  #: ``cached``, ``in <Brain-Score cache path>`` or ``missing (<size>)``


def plan(identifier: str) -> list[PlannedFile]:
    """What :func:`fetch` would do for ``identifier``, without any network access or change on disk."""
    planned = []
    for file in remote_data(identifier).files:
        usable = [s for s in sources(file) if s.kind != "brainio" and (not s.local or Path(s.location).is_file())]
        url = usable[0].location  # a mirror when one is set (and holds the file), else the file's own URL
        if is_cached(file):
            state = "cached"
        else:
            brainio = next(
                (s.location for s in sources(file) if s.kind == "brainio" and Path(s.location).is_file()), ""
            )
            state = f"in {brainio}" if brainio else f"missing ({_size_text(file.size)})"
        planned.append(PlannedFile(identifier, file, url, cached_path(file), state))
    return planned


def fetch(identifier: str) -> dict[str, Path]:
    """The local files of the registered data set ``identifier``: ``{file name: verified local path}``.

    Files not yet in the data cache are fetched (see the module docstring). If any file cannot be had, raises
    :class:`~brainscore_core.errors.DataUnavailableError` naming the data set, its missing files and sizes, what
    was tried and the three ways out; the files that could be had stay cached.
    """
    data = remote_data(identifier)
    found: dict[str, Path] = {}
    missing: list[RemoteFile] = []
    reasons: list[str] = []
    for file in data.files:
        try:
            found[file.name] = _fetch_file(file)
        except DownloadFailed as error:
            missing.append(file)
            reasons.append(error.reason)
    if missing:
        raise DataUnavailableError(
            identifier,
            [(f.name, f.size) for f in missing],
            reasons,
            data_dir=str(data_dir()),
            brainio_dirs=[str(d) for d in brainio_dirs()],
        )
    return found


def _lock_timeout() -> float:
    from ..cache._lock import LOCK_TIMEOUT_ENV, lock_timeout

    return lock_timeout() if os.environ.get(LOCK_TIMEOUT_ENV, "").strip() else DEFAULT_DOWNLOAD_LOCK_TIMEOUT


def _fetch_file(file: RemoteFile) -> Path:
    final = cached_path(file)
    if final.is_file():
        return final
    from ..cache._lock import CacheLockTimeout, LockPurpose, file_lock

    locks = data_dir() / ".locks"
    try:
        make_directories(locks)
    except OSError as error:  # a read-only or misplaced cache: local copies can still be used where they are
        return _read_in_place(file, error)
    lock_path = locks / f"{file.sha1}.lock"
    timeout = _lock_timeout()
    purpose = LockPurpose(
        "download lock",
        f"fetching {file.name}",
        "Wait for it and run again; to wait longer set BRAINSCORE_LOCK_TIMEOUT=SECONDS (now {timeout:g}).",
        "BRAINSCORE_LOCK_TIMEOUT",
    )
    try:
        with file_lock(lock_path, timeout=timeout, purpose=purpose):
            if final.is_file():  # another process fetched it while this one waited
                return final
            try:
                return _fetch_unlocked(file, final)
            finally:  # leave no empty folders behind a failed fetch
                for folder in (final.parent, _partial_path(file).parent):
                    with contextlib.suppress(OSError):
                        folder.rmdir()
    except CacheLockTimeout:
        raise DataError(
            f"Gave up after {timeout:g} s waiting for the download lock {lock_path}: another process is fetching "
            f"{file.name}. Wait for it and run again; to wait longer set BRAINSCORE_LOCK_TIMEOUT=SECONDS; if no "
            f"such process runs any more, delete {lock_path}."
        ) from None


_VERIFIED_IN_PLACE: dict[tuple[str, int, int], bool] = {}  # (path, size, mtime) -> SHA-1 matched


def _read_in_place(file: RemoteFile, error: OSError) -> Path:
    """The data cache cannot be written: use a verified copy in a Brain-Score cache or a mirror folder where it
    is (read only, checked once per process), or say that nothing can be fetched."""
    for source in sources(file):
        path = Path(source.location)
        if not source.local or not path.is_file():
            continue
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        if key not in _VERIFIED_IN_PLACE:
            _VERIFIED_IN_PLACE[key] = _sha1_file(path) == file.sha1
        if _VERIFIED_IN_PLACE[key]:
            return path
    raise DownloadFailed(
        f"{file.name}: the data cache {data_dir()} cannot be written ({error}), so nothing can be downloaded, and "
        f"no Brain-Score cache or {MIRROR_ENV} folder holds a verified copy to read in place. Point BRAINSCORE_HOME "
        "(or --cache-dir) at a writable folder."
    )


def _sha1_file(path: Path) -> str:
    import hashlib

    digest = hashlib.sha1()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fetch_unlocked(file: RemoteFile, final: Path) -> Path:
    sweep_staging(final.parent)  # what a killed fetcher left
    reasons: list[str] = []
    refused_version = False
    for source in sources(file):
        plain = source.kind == "remote" and "versionId=" not in source.location and source.location != file.url
        if plain and not refused_version:  # the plain URL only stands in for a version id the server refused
            continue
        if source.local and not Path(source.location).is_file():
            continue
        try:
            _retrieve(file, source, final)
            return final
        except DownloadFailed as error:
            reasons.append(error.reason)
            refused_version = error.status in (400, 403) and "versionId=" in source.location
    raise DownloadFailed(f"{file.name}: " + " ".join([*reasons, *_local_notes(file)]))


def _local_notes(file: RemoteFile) -> list[str]:
    """Why the local places did not provide ``file``: the mirror folder and the Brain-Score caches."""
    notes = []
    mirror = os.environ.get(MIRROR_ENV, "").strip()
    if not mirror:
        notes.append(f"No {MIRROR_ENV} is set.")
    elif not mirror.startswith(("http://", "https://")):
        folder = Path(mirror.removeprefix("file://")).expanduser()
        if not folder.is_dir():
            notes.append(f"{MIRROR_ENV} folder {folder} does not exist.")
        elif not any(Path(s.location).is_file() for s in _mirror_sources(file)):
            notes.append(f"{MIRROR_ENV} folder {folder} holds neither {file.name} nor {file.sha1}/{file.name}.")
    if not any(Path(s.location).is_file() for s in sources(file) if s.kind == "brainio"):
        notes.append("No Brain-Score cache holds the file.")
    return notes


def _partial_path(file: RemoteFile) -> Path:
    return data_dir() / ".partial" / file.sha1 / file.name


_QUIET = threading.Lock()
_quiet = {"users": 0, "level": logging.NOTSET}  # fetchers inside _quiet_pooch, pooch's level before the first


@contextlib.contextmanager
def _quiet_pooch() -> Iterator[None]:
    """pooch logs each download at INFO on its own stderr handler; keep that out of test and CI output (the
    level is restored when the last of concurrent fetchers is done)."""
    import pooch

    logger = pooch.get_logger()
    with _QUIET:
        if _quiet["users"] == 0:
            _quiet["level"] = logger.level
            logger.setLevel(logging.WARNING)
        _quiet["users"] += 1
    try:
        yield
    finally:
        with _QUIET:
            _quiet["users"] -= 1
            if _quiet["users"] == 0:
                logger.setLevel(_quiet["level"])


def _retrieve(file: RemoteFile, source: FileSource, final: Path) -> None:
    """Fetch ``file`` from ``source`` through pooch (which checks the SHA-1 before the file is visible), then
    publish it at ``final`` with one rename. A resumed download that fails the check (the kept part was not a
    prefix of this file) is discarded and downloaded once more from the start."""
    make_directories(final.parent)
    for attempt in range(2):
        downloader: Any
        if source.local:
            downloader = LocalCopy(Path(source.location))
        else:
            downloader = ResumingHTTPDownloader(
                _partial_path(file), label=file.name, size=file.size, settings=fetch_settings()
            )
        try:
            _retrieve_once(file, source, final, downloader)
            return
        except _Mismatch as mismatch:
            if attempt == 0 and getattr(downloader, "resumed", False):
                continue  # pooch deleted the whole file, kept part included: the next attempt starts from zero
            where = f"{source.location}" if source.local else f"the file from {source.location}"
            if source.kind == "brainio":
                warnings.warn(
                    f"{where} has SHA-1 {mismatch.actual}, not {file.sha1}: that Brain-Score cache entry is damaged; "
                    "it was left as it is and not used.",
                    stacklevel=5,
                )
            raise DownloadFailed(
                f"{where} has SHA-1 {mismatch.actual}, not the registered {file.sha1}; nothing was kept."
            ) from None


class _Mismatch(Exception):
    def __init__(self, actual: str) -> None:
        super().__init__(actual)
        self.actual = actual


def _retrieve_once(file: RemoteFile, source: FileSource, final: Path, downloader: Any) -> None:
    import pooch

    with staging_directory(final.parent) as staging, _quiet_pooch():
        try:
            staged = pooch.retrieve(
                source.location if not source.local else Path(source.location).as_uri(),
                known_hash=f"sha1:{file.sha1}",
                fname=file.name,
                path=staging,
                downloader=downloader,
                progressbar=False,
            )
        except ValueError as error:  # pooch: the SHA-1 differs; its temporary file is already deleted
            raise _Mismatch(_actual_sha1(str(error))) from None
        publish_file(staged, final)


def _actual_sha1(message: str) -> str:
    """The digest pooch computed, from its message ``... expected sha1:<x> but got <y>. ...``."""
    found = re.search(r"but got ([0-9a-f]{40})", message)
    return found.group(1) if found else "(unknown)"
