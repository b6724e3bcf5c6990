"""Brain-Score's S3 weight helpers, offline first: ``load_file``, ``load_weight_file``, ``load_folder_from_s3``,
``load_file_from_s3`` and ``sha1_hash``, with Brain-Score's argument names.

A file is looked for, in order, at ``<root>/<folder>/<relative_path>`` for each root of :func:`local_roots`
(``$BRAINSCORE_HOME``, else our cache folder; Brain-Score's ``~/.brain-score``; ``$BRAINIO_HOME`` or
``~/.brainio``), where ``<folder>`` is ``folder_name``, else ``$BRAINSCORE_S3_WEIGHT_FOLDER``, else ``models``.
When a SHA-1 is given, the file found must have it.

Nothing is downloaded unless ``BRAINSCORE_DOWNLOAD_WEIGHTS=1`` is set: then the public bucket URL
(``https://<bucket>.s3.amazonaws.com/<folder>/<relative_path>``; ``BRAINSCORE_S3_ENDPOINT`` replaces the part
before the key, ``{bucket}`` standing for the bucket) is fetched into the first root, with a line on stderr saying
what goes where. Otherwise a missing file raises one :class:`WeightFileMissingError` naming the file, the path to
put it at and the URL to get it from.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from ...config import settings
from ...errors import ChecksumMismatchError, DataError

__all__ = [
    "DOWNLOAD_ENV",
    "ENDPOINT_ENV",
    "WeightFileMissingError",
    "bucket_url",
    "downloads_allowed",
    "load_file",
    "load_file_from_s3",
    "load_folder_from_s3",
    "load_weight_file",
    "local_roots",
    "sha1_hash",
]

DOWNLOAD_ENV = "BRAINSCORE_DOWNLOAD_WEIGHTS"  #: set to 1 to let these helpers download missing files
ENDPOINT_ENV = "BRAINSCORE_S3_ENDPOINT"  #: replaces ``https://{bucket}.s3.amazonaws.com`` (tests, mirrors)
_DEFAULT_ENDPOINT = "https://{bucket}.s3.amazonaws.com"
_CHUNK = 1 << 20


class WeightFileMissingError(DataError, FileNotFoundError):
    """A weight file a plugin needs is not on this machine, and downloading is not allowed (or failed)."""


def sha1_hash(file_path: str | os.PathLike[str]) -> str:
    """Hex SHA-1 of a file's bytes (read in chunks)."""
    digest = hashlib.sha1()
    with open(file_path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def downloads_allowed() -> bool:
    """Whether ``BRAINSCORE_DOWNLOAD_WEIGHTS`` allows downloading missing files (off by default)."""
    return os.environ.get(DOWNLOAD_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def local_roots() -> list[Path]:
    """Where weight folders are looked for, first to last; downloads go to the first."""
    roots = [settings().cache_dir]
    env_home = os.environ.get("BRAINSCORE_HOME")
    if env_home:
        roots.append(Path(env_home).expanduser())
    roots.append(Path("~/.brain-score").expanduser())
    roots.append(Path(os.environ.get("BRAINIO_HOME") or "~/.brainio").expanduser())
    unique: list[Path] = []
    for root in roots:
        if root not in unique:
            unique.append(root)
    return unique


def bucket_url(bucket: str, key: str, version_id: str | None = None) -> str:
    """The public HTTPS URL of ``key`` in ``bucket`` (with ``versionId`` when given)."""
    endpoint = os.environ.get(ENDPOINT_ENV) or _DEFAULT_ENDPOINT
    url = f"{endpoint.format(bucket=bucket).rstrip('/')}/{urllib.parse.quote(key)}"
    return f"{url}?versionId={urllib.parse.quote(version_id)}" if version_id else url


def _folder(folder_name: str | None) -> str:
    return folder_name if folder_name is not None else os.environ.get("BRAINSCORE_S3_WEIGHT_FOLDER", "models")


def _check_sha1(path: Path, sha1: str | None) -> Path:
    if sha1:
        actual = sha1_hash(path)
        if actual != sha1.lower():
            raise ChecksumMismatchError(path, f"sha1:{sha1}", f"sha1:{actual}")
    return path


def _download(url: str, target: Path) -> None:
    """Fetch ``url`` into ``target`` (published whole, never half-written); say what goes where on stderr."""
    print(f"brainscore: downloading {url} -> {target}", file=sys.stderr, flush=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with urllib.request.urlopen(url, timeout=60) as response, os.fdopen(handle, "wb") as stream:
            shutil.copyfileobj(response, stream, _CHUNK)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(partial, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)


def _fetch(
    bucket: str, key: str, candidates: Sequence[Path], version_id: str | None, sha1: str | None, caller: str
) -> Path:
    """The first existing candidate (SHA-1 checked), else the download into ``candidates[0]`` when allowed."""
    for candidate in candidates:
        if candidate.is_file():
            return _check_sha1(candidate, sha1)
    url = bucket_url(bucket, key, version_id)
    target = candidates[0]
    if not downloads_allowed():
        raise WeightFileMissingError(
            f"{caller}: the weight file {key!r} (bucket {bucket!r}) is not on this machine, and nothing is "
            f"downloaded without permission. Put it at {target} (download it from {url}), or set "
            f"{DOWNLOAD_ENV}=1 to let pytest-brainscore download it there. Looked in: "
            + ", ".join(str(c) for c in candidates)
            + "."
        )
    try:
        _download(url, target)
    except (urllib.error.URLError, OSError) as error:
        raise WeightFileMissingError(
            f"{caller}: downloading the weight file {url} to {target} failed ({error}). Download it yourself and "
            f"put it at {target}."
        ) from error
    return _check_sha1(target, sha1)


def load_file(bucket: str, relative_path: str, version_id: str | None, folder_name: str | None = None) -> Path:
    """The local path of ``<folder>/<relative_path>`` from ``bucket`` (see the module docstring for where it is
    looked for and when it is downloaded)."""
    folder = _folder(folder_name)
    candidates = [root / folder / relative_path for root in local_roots()]
    return _fetch(bucket, f"{folder}/{relative_path}", candidates, version_id, None, "load_file")


def load_weight_file(
    bucket: str, relative_path: str, version_id: str | None, sha1: str | None, folder_name: str | None = None
) -> Path:
    """:func:`load_file`, and the file must have SHA-1 ``sha1`` (when given)."""
    folder = _folder(folder_name)
    candidates = [root / folder / relative_path for root in local_roots()]
    return _fetch(bucket, f"{folder}/{relative_path}", candidates, version_id, sha1, "load_weight_file")


def load_file_from_s3(
    bucket: str,
    path: str,
    local_filepath: str | os.PathLike[str],
    sha1: str | None = None,
    version_id: str | None = None,
) -> None:
    """Make ``local_filepath`` hold ``path`` from ``bucket``: kept when it exists (SHA-1 checked), else
    downloaded when allowed, else :class:`WeightFileMissingError`."""
    _fetch(bucket, path, [Path(local_filepath)], version_id, sha1, "load_file_from_s3")


def load_folder_from_s3(
    bucket: str,
    folder_path: str,
    filename_version_sha: Sequence[tuple[str, str | None, str | None]],
    save_directory: str | os.PathLike[str],
) -> None:
    """:func:`load_file_from_s3` for each ``(filename, version_id, sha1)`` of ``folder_path`` into
    ``save_directory`` (Brain-Score's ``brainscore_vision.model_helpers.download_weights``)."""
    for filename, version_id, sha1 in filename_version_sha:
        load_file_from_s3(
            bucket, f"{folder_path}/{filename}", Path(save_directory) / filename, sha1=sha1, version_id=version_id
        )
