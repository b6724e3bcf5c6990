"""Downloaders handed to :func:`pooch.retrieve`: HTTP(S) with resume, timeouts and retries; copies of local files.

pooch checks each file's SHA-1 before the file becomes visible (it streams into a temporary file, checks, then
renames). What pooch's own HTTP downloader lacks is done here: a partial download is kept in a file of its own
(``$BRAINSCORE_HOME/data/.partial/``) and resumed with an HTTP ``Range`` request, transient failures (refused or
reset connections, timeouts, truncated bodies, 5xx answers) are retried with exponential backoff, and permanent
ones (403, 404, a host name that does not resolve) fail at once with a reason written for people.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache._atomic import publish_file
from ..errors import _size_text

__all__ = [
    "BACKOFF_ENV",
    "RETRIES_ENV",
    "TIMEOUT_ENV",
    "DownloadFailed",
    "FetchSettings",
    "LocalCopy",
    "ResumingHTTPDownloader",
    "fetch_settings",
    "show_progress",
]

_CHUNK = 1 << 16  # what an interrupted transfer loses at most: the chunk being read
TIMEOUT_ENV = "BRAINSCORE_FETCH_TIMEOUT"
RETRIES_ENV = "BRAINSCORE_FETCH_RETRIES"
BACKOFF_ENV = "BRAINSCORE_FETCH_BACKOFF"


class DownloadFailed(Exception):
    """One source could not deliver a file; ``reason`` says why, for the :class:`DataUnavailableError`."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status  #: the HTTP status of a refusal (403, 404 ...), else None


@dataclass(frozen=True)
class FetchSettings:
    """Network behaviour: per-request timeout (s), retries of transient failures, first backoff pause (s)."""

    timeout: float = 60.0
    retries: int = 3
    backoff: float = 1.0


def _number(name: str, default: float, *, integer: bool = False) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        value = -1
    if value < 0 or (not integer and value == 0 and name == TIMEOUT_ENV):
        kind = "a whole number" if integer else "a positive number of seconds"
        raise ValueError(f"{name}={text!r} is not {kind}; e.g. {name}={int(default) if integer else default:g}.")
    return value


def fetch_settings() -> FetchSettings:
    """The settings in force: ``BRAINSCORE_FETCH_TIMEOUT`` (60 s), ``BRAINSCORE_FETCH_RETRIES`` (3) and
    ``BRAINSCORE_FETCH_BACKOFF`` (1 s, doubled after each retry)."""
    return FetchSettings(
        timeout=_number(TIMEOUT_ENV, 60.0),
        retries=int(_number(RETRIES_ENV, 3, integer=True)),
        backoff=_number(BACKOFF_ENV, 1.0),
    )


def show_progress() -> bool:
    """Progress bars: as ``BRAINSCORE_PROGRESS`` / ``configure(progress=...)`` say, else only on a terminal and
    never under CI (the ``CI`` environment variable) or pytest's capture (stderr is then not a terminal)."""
    from ..config import settings

    wanted = settings().progress
    if wanted is not None:
        return wanted
    return sys.stderr.isatty() and not os.environ.get("CI")


class LocalCopy:
    """A pooch downloader that provides a file from a local folder (a mirror or a Brain-Score cache): a hard link
    when the file system allows it (no space used, the source untouched), else a copy. The source is only read."""

    def __init__(self, source: Path) -> None:
        self.source = source

    def __call__(self, url: str, output_file: str, pooch: Any, check_only: bool = False) -> bool | None:
        if check_only:
            return self.source.is_file()
        if not self.source.is_file():
            raise DownloadFailed(f"{self.source} does not exist.")
        linked = Path(f"{output_file}.link")
        try:
            os.link(self.source, linked)
        except OSError:  # another file system, or links not allowed: copy the bytes
            shutil.copyfile(self.source, output_file)
        else:
            publish_file(linked, output_file)
        return None


class ResumingHTTPDownloader:
    """A pooch downloader for HTTP(S) that resumes: bytes go to ``partial`` (kept across failures and runs), and a
    later attempt asks the server for the rest with a ``Range`` header. When complete, ``partial`` is moved onto
    pooch's temporary file, which pooch then checks against the SHA-1."""

    def __init__(
        self,
        partial: Path,
        *,
        label: str,
        size: int | None = None,
        settings: FetchSettings | None = None,
        progress: bool | None = None,
    ) -> None:
        self.partial = partial
        self.label = label
        self.size = size
        self.settings = settings or fetch_settings()
        self.progress = show_progress() if progress is None else progress
        self.requests = 0  #: GET requests sent (for tests and the log)
        self.resumed = False  #: whether some bytes came from an earlier, interrupted attempt

    def __call__(self, url: str, output_file: str, pooch: Any, check_only: bool = False) -> bool | None:
        import requests

        with requests.Session() as session:
            if check_only:
                response = session.head(url, timeout=self.settings.timeout, allow_redirects=True)
                return response.ok
            self._download(session, url)
        publish_file(self.partial, output_file)
        return None

    def _have(self) -> int:
        try:
            have = self.partial.stat().st_size
        except FileNotFoundError:
            return 0
        if self.size is not None and have > self.size:  # not a prefix of this file: start again
            self.partial.unlink()
            return 0
        return have

    def _download(self, session: Any, url: str) -> None:
        import requests

        self.partial.parent.mkdir(parents=True, exist_ok=True)
        failures = 0
        while True:
            have = self._have()
            if self.size is not None and have == self.size and have:
                self.resumed = True  # complete from an earlier run; pooch checks the SHA-1
                return
            try:
                if self._attempt(session, url, have):
                    return
                reason = "the connection closed before the whole file arrived"
            except requests.exceptions.Timeout:
                reason = f"no answer within {self.settings.timeout:g} s ({TIMEOUT_ENV})"
            except requests.exceptions.RequestException as error:
                if _unresolvable(error):
                    raise DownloadFailed(
                        f"{url}: the host name does not resolve (DNS failure or no network)."
                    ) from None
                reason = _connection_reason(error)
            failures += 1
            if failures > self.settings.retries:
                got = self._have()
                kept = f"; {_size_text(got)} kept, to resume next time" if got else ""
                raise DownloadFailed(
                    f"{url}: {reason}, {failures} time(s) ({self.settings.retries} retries, {RETRIES_ENV}){kept}."
                )
            time.sleep(self.settings.backoff * 2 ** (failures - 1))

    def _attempt(self, session: Any, url: str, have: int) -> bool:
        """One GET; True when the file is complete in ``partial``. Raises requests' errors for transient
        failures and :class:`DownloadFailed` for permanent ones."""
        import requests

        headers = {"Range": f"bytes={have}-"} if have else {}
        timeout = self.settings.timeout
        self.requests += 1
        with session.get(url, headers=headers, stream=True, timeout=(timeout, timeout)) as response:
            status = response.status_code
            if status == 416 and have:  # the partial file is at least as long as the file: the SHA-1 decides
                whole = _content_range_total(response.headers.get("Content-Range", ""))
                if whole == have:
                    return True
                self.partial.unlink()
                return False
            if 400 <= status < 500:
                raise DownloadFailed(f"{url}: HTTP {status} {response.reason or ''}".rstrip() + ".", status)
            if status >= 500:
                raise requests.exceptions.HTTPError(f"HTTP {status} {response.reason or ''}".rstrip())
            if status == 206 and _content_range_start(response.headers.get("Content-Range", "")) != have:
                self.partial.unlink(missing_ok=True)  # another range than asked for: start again from zero
                return False
            if status != 206:  # the server ignored the Range: the whole file comes again
                have = 0
            length = response.headers.get("Content-Length")
            total: int | None = have + int(length) if length and length.isdigit() else self.size
            if have:
                self.resumed = True
            with open(self.partial, "ab" if have else "wb") as stream, _bar(self, total, have) as bar:
                for chunk in response.iter_content(_CHUNK):
                    stream.write(chunk)
                    bar.update(len(chunk))
        got = self._have()
        expected = self.size if self.size is not None else total
        return expected is None or got == expected


@contextlib.contextmanager
def _bar(downloader: ResumingHTTPDownloader, total: int | None, initial: int) -> Any:
    from tqdm.auto import tqdm

    with tqdm(
        total=total,
        initial=initial,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=downloader.label,
        disable=not downloader.progress,
        file=sys.stderr,
        leave=True,  # on a terminal the finished bar stays: size and speed of each file
    ) as bar:
        yield bar


def _content_range_start(header: str) -> int:
    """``bytes 100-199/200`` -> 100 (-1 when absent or malformed)."""
    try:
        return int(header.split()[1].split("-")[0])
    except (IndexError, ValueError):
        return -1


def _content_range_total(header: str) -> int:
    """``bytes */200`` -> 200 (-1 when absent or malformed)."""
    try:
        return int(header.rsplit("/", 1)[1])
    except (IndexError, ValueError):
        return -1


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    stack: list[Any] = [error]
    while stack:
        current = stack.pop()
        if isinstance(current, BaseException) and current not in seen:
            seen.append(current)
            stack += [current.__cause__, current.__context__, *current.args]
    return seen


def _unresolvable(error: BaseException) -> bool:
    return any(
        type(e).__name__ == "NameResolutionError" or "Name or service not known" in str(e) for e in _chain(error)
    )


def _connection_reason(error: BaseException) -> str:
    text = " ".join(str(e) for e in _chain(error))
    if "Connection refused" in text or "ConnectionRefused" in text:
        return "connection refused (server down or gone)"
    if "IncompleteRead" in text or "ChunkedEncodingError" in text or "Connection broken" in text:
        return "the connection broke before the whole file arrived"
    if "HTTP 5" in text:
        return f"server error ({error!s})"
    return f"{type(error).__name__}: {str(error)[:200]}"
