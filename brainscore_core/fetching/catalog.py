"""The catalog of remote data: which files make up a data set, where they live, and which data a benchmark needs.

Registration is cheap and offline: a data plugin describes its files (:class:`RemoteFile`) with
:func:`register_remote_data`, a benchmark plugin names the data it needs with :func:`data_for_benchmark`. Nothing is
downloaded until :func:`~brainscore_core.fetching.fetch` is called.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..errors import UnknownIdentifierError
from ..registry import Registry, benchmark_registry

__all__ = [
    "BRAINIO_FOLDER",
    "BRAINSCORE_BUCKET",
    "RemoteData",
    "RemoteFile",
    "benchmark_data_ids",
    "brainio_file",
    "data_for_benchmark",
    "register_remote_data",
    "remote_data",
    "remote_data_registry",
    "resolve_data_ids",
]

#: Brain-Score's public S3 bucket (anonymous HTTPS at ``https://<bucket>.s3.amazonaws.com/<url_path>``).
BRAINSCORE_BUCKET = "brainscore-storage"
#: The folder (key prefix) of BrainIO files in :data:`BRAINSCORE_BUCKET`.
BRAINIO_FOLDER = "brainio-brainscore"
_SHA1 = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True)
class RemoteFile:
    """One file of a remote data set.

    ``name`` is the local file name (also the name a mirror holds it under), ``sha1`` its SHA-1 (hex), ``size`` its
    size in bytes when known, ``url_path`` its key under the bucket including any query such as
    ``?versionId=null``. ``bucket`` is an S3 bucket name (served at ``https://<bucket>.s3.amazonaws.com``) or, for
    a server of one's own and for tests, a base URL such as ``http://127.0.0.1:8000``.
    """

    name: str
    sha1: str
    size: int | None = None
    url_path: str = ""
    bucket: str = BRAINSCORE_BUCKET

    def __post_init__(self) -> None:
        if not self.name or "/" in self.name or "\\" in self.name or self.name in {".", ".."}:
            raise ValueError(f"RemoteFile name {self.name!r} must be a plain file name (no folders).")
        if not _SHA1.fullmatch(self.sha1):
            raise ValueError(
                f"RemoteFile {self.name!r}: sha1 {self.sha1!r} is not 40 lower-case hex digits (a SHA-1 digest)."
            )
        if self.size is not None and self.size < 0:
            raise ValueError(f"RemoteFile {self.name!r}: size {self.size} is negative.")

    @property
    def url(self) -> str:
        """The URL of the file on its server (the bucket or the base URL, then ``url_path``)."""
        base = self.bucket if "://" in self.bucket else f"https://{self.bucket}.s3.amazonaws.com"
        return f"{base.rstrip('/')}/{(self.url_path or self.name).lstrip('/')}"


def brainio_file(name: str, sha1: str, *, size: int | None = None, version_id: str | None = "null") -> RemoteFile:
    """A file of Brain-Score's public bucket: key ``brainio-brainscore/<name>``, with ``?versionId=<version_id>``
    unless ``version_id`` is None or empty (Brain-Score sends the literal ``null`` as a version id)."""
    query = f"?versionId={version_id}" if version_id else ""
    return RemoteFile(name=name, sha1=sha1, size=size, url_path=f"{BRAINIO_FOLDER}/{name}{query}")


@dataclass(frozen=True)
class RemoteData:
    """A registered data set: its identifier, its files and a one-line description."""

    identifier: str
    files: tuple[RemoteFile, ...]
    description: str = ""

    @property
    def size(self) -> int | None:
        """Total size in bytes, or None when a file's size is unknown."""
        sizes = [f.size for f in self.files]
        return None if any(s is None for s in sizes) else sum(s for s in sizes if s is not None)


#: identifier -> zero-argument factory of its :class:`RemoteData` (filled by :func:`register_remote_data`).
remote_data_registry: Registry[RemoteData] = Registry(
    "remote data set", cli_name="remote_data", variable="remote_data_registry"
)
_benchmark_data: dict[str, tuple[str, ...]] = {}


def _install_discovery() -> None:
    from ..plugins import ensure_discovered

    remote_data_registry.add_lookup_hook(ensure_discovered)


_install_discovery()


def register_remote_data(identifier: str, files: Sequence[RemoteFile], *, description: str = "") -> None:
    """Register the data set ``identifier`` (e.g. ``MajajHong2015.public``, ``hvm-public``) as ``files``.

    Cheap and offline; the files are downloaded by :func:`~brainscore_core.fetching.fetch` on first use.
    Registering the same identifier from another place raises :class:`DuplicateRegistrationError`.
    """
    files = tuple(files)
    if not files:
        raise ValueError(f"register_remote_data({identifier!r}): give at least one RemoteFile.")
    bad = [f for f in files if not isinstance(f, RemoteFile)]
    if bad:
        raise TypeError(f"register_remote_data({identifier!r}): files must be RemoteFile objects, got {bad[0]!r}.")
    names = [f.name for f in files]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"register_remote_data({identifier!r}): file name(s) {repeated} listed twice.")
    entry = RemoteData(identifier, files, description)
    caller = sys._getframe(1)  # the registering plugin, so that a second registration elsewhere is refused
    origin = f"{caller.f_code.co_filename}:{caller.f_lineno}"
    remote_data_registry._add(identifier, lambda: entry, origin, caller.f_globals.get("__name__"), description)


def data_for_benchmark(benchmark_identifier: str, data_identifiers: Sequence[str]) -> None:
    """Declare that the benchmark ``benchmark_identifier`` needs the remote data sets ``data_identifiers``.

    Used by ``brainscore fetch <benchmark id>``; the data identifiers are checked when they are resolved, so the
    declaration may come before the data's registration.
    """
    if isinstance(data_identifiers, str):
        raise TypeError(
            f"data_for_benchmark({benchmark_identifier!r}, ...): give a list of data identifiers, "
            f"e.g. [{data_identifiers!r}]."
        )
    _benchmark_data[benchmark_identifier] = tuple(data_identifiers)


def benchmark_data_ids(benchmark_identifier: str) -> tuple[str, ...]:
    """The remote data sets declared for ``benchmark_identifier`` (empty when it declared none)."""
    remote_data_registry._prepare()  # plugin discovery fills both the declarations and the registry
    return _benchmark_data.get(benchmark_identifier, ())


def remote_data(identifier: str) -> RemoteData:
    """The registered :class:`RemoteData` ``identifier``; an unknown one raises with the closest identifiers."""
    try:
        registration = remote_data_registry.registration(identifier)
    except UnknownIdentifierError as error:
        raise UnknownIdentifierError(
            error.kind,
            identifier,
            error.suggestions,
            error.note or "Run `brainscore fetch --dry-run '*'` to see every registered data file.",
        ) from None
    return registration.factory()


def resolve_data_ids(patterns: Iterable[str]) -> list[str]:
    """The data identifiers named by ``patterns``: remote data identifiers, benchmark identifiers (their declared
    data) or globs of either, in order, each once.

    A pattern matching neither raises :class:`UnknownIdentifierError` with the closest data and benchmark
    identifiers.
    """
    chosen: list[str] = []
    for pattern in patterns:
        found: list[str] = []
        try:
            found = remote_data_registry.select([pattern])
        except UnknownIdentifierError as data_error:
            try:
                benchmarks = benchmark_registry.select([pattern])
            except UnknownIdentifierError as benchmark_error:
                raise _unknown(pattern, data_error, benchmark_error) from None
            without = [b for b in benchmarks if not benchmark_data_ids(b)]
            if without and len(without) == len(benchmarks):
                raise UnknownIdentifierError(
                    "remote data set",
                    pattern,
                    [],
                    f"Benchmark(s) {', '.join(repr(b) for b in without)} declare no remote data (their data ship "
                    "with their plugin); nothing to fetch.",
                ) from None
            for benchmark in benchmarks:
                found += benchmark_data_ids(benchmark)
        for identifier in found:
            if identifier not in chosen:
                chosen.append(identifier)
    return chosen


def _unknown(
    pattern: str, data_error: UnknownIdentifierError, benchmark_error: UnknownIdentifierError
) -> UnknownIdentifierError:
    suggestions = list(dict.fromkeys(data_error.suggestions + benchmark_error.suggestions))[:5]
    return UnknownIdentifierError(
        "data set or benchmark",
        pattern,
        suggestions,
        "" if suggestions else "Run `brainscore list benchmarks` to see the benchmarks.",
        pattern=data_error.pattern,
    )
