"""File integrity: SHA-256 of files and ``SHA256SUMS`` manifests (the ``sha256sum`` format) of data folders."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path, PurePosixPath, PureWindowsPath

from .errors import ChecksumMismatchError, DataError

__all__ = ["MANIFEST", "contained_path", "read_sha256sums", "sha256_file", "verified_file", "verify_sha256"]

MANIFEST = "SHA256SUMS"
_CHUNK = 1 << 20


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_sha256(path: str | Path, expected: str) -> None:
    """Raise :class:`ChecksumMismatchError` (naming ``path``) when the file's SHA-256 is not ``expected``."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"File {path} does not exist.")
    actual = sha256_file(path)
    if actual.lower() != expected.lower():
        raise ChecksumMismatchError(path, expected, actual)


@functools.lru_cache(maxsize=32)
def _read_manifest(path: Path, mtime_ns: int) -> dict[str, str]:
    sums: dict[str, str] = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        digest, _, name = line.strip().partition("  ")
        if len(digest) != 64 or not name:
            raise DataError(f"{path} line {number} is not '<sha256>  <file>': {line!r}.")
        sums[name.removeprefix("./")] = digest
    return sums


def read_sha256sums(root: str | Path) -> dict[str, str]:
    """``{relative path: sha256}`` from ``root/SHA256SUMS`` (``./`` prefixes dropped; re-read when it changes)."""
    path = Path(root).resolve() / MANIFEST
    if not path.is_file():
        raise DataError(f"Checksum manifest {path} is missing; restore it from the project repository.")
    return dict(_read_manifest(path, path.stat().st_mtime_ns))


def contained_path(root: str | Path, name: str) -> Path | None:
    """``root/name`` when ``name`` is a relative path that stays inside ``root``, else None.

    The check is on the path as written (``..`` segments, absolute paths, drive letters), not on where symbolic
    links inside ``root`` point: links the folder's owner placed there (e.g. git-annex) keep working.
    """
    text = str(name).replace("\\", "/")
    relative = PurePosixPath(text)
    if not text or relative.is_absolute() or PureWindowsPath(text).drive or PureWindowsPath(text).root:
        return None
    depth = 0
    for part in relative.parts:
        depth += -1 if part == ".." else (0 if part == "." else 1)
        if depth < 0:
            return None
    return Path(root).joinpath(*relative.parts)


def verified_file(root: str | Path, relative: str, sums: dict[str, str] | None = None) -> Path:
    """``root/relative`` after checking its SHA-256 against the folder's manifest (a mismatch names the file).

    ``relative`` must stay inside ``root`` (:func:`contained_path`), else :class:`DataError`.
    """
    sums = read_sha256sums(root) if sums is None else sums
    path = contained_path(root, relative)
    if path is None:
        raise DataError(
            f"Data file {relative!r} is not a relative path inside the data folder {root}; name files by their "
            "path within the folder."
        )
    if relative not in sums:
        raise DataError(f"{relative} is not listed in {Path(root) / MANIFEST}, so it cannot be verified.")
    verify_sha256(path, sums[relative])
    return path
