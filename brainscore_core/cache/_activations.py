"""The on-disk activations store: one verified ``.npy`` + JSON entry per (model, stimuli, preprocessing, layer).

Layout: ``<cache_dir>/activations/<model>/<key>/{values.npy, meta.json}``. ``key`` is a SHA-256 over everything
that changes the numbers (see :meth:`ActivationsCache.entry_key`), so a changed weight, preprocessing, image size,
visual degrees or stimulus image can never hit an old entry. Entries are written to a staging directory and
renamed into place, so readers never see half an entry, and removed by first renaming them out of sight, so
readers never see half a removal either; a reader reads ``meta.json`` and ``values.npy`` from the one directory it
opened, so it never pairs the metadata of one entry with the values of its replacement. ``meta.json`` carries a
CRC-32 checksum of the values (fast enough to verify on every read), so a truncated or corrupted entry is detected
on read, reported with a warning, removed and recomputed; an entry that was only being removed or replaced by
another process while it was read is a plain miss, without warning. No pickle. Values can be written all at once
(:meth:`ActivationsCache.store`) or streamed batch by batch while they are computed (:meth:`ActivationsCache.writer`).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import warnings
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Self

import numpy as np

from ..config import settings
from ._atomic import (
    FileIdentity,
    file_identity,
    publish_directory,
    remove_tree,
    same_file,
    staging_directory,
    sweep_staging,
    write_new_file,
)
from ._keys import FORMAT_VERSION, safe_name, stable_hash
from ._lock import acquire_lock, release_lock

__all__ = [
    "META_FILE",
    "VALUES_FILE",
    "ActivationsCache",
    "CacheCorruptionWarning",
    "CacheUnwritableWarning",
    "EntryWriter",
    "is_unwritable_error",
    "note_unwritable",
    "sweep_once",
    "unwritable",
]

VALUES_FILE = "values.npy"
META_FILE = "meta.json"
_LOCKS = ".locks"
_CHUNK_BYTES = 64 << 20
_READ_ATTEMPTS = 3  # an entry replaced while read is read again, a few times at most, before it counts as a miss
_DIRECTORY_FDS = os.open in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")


class CacheCorruptionWarning(UserWarning):
    """A cache entry was unreadable or failed its checksum; it was discarded and will be recomputed."""


class CacheUnwritableWarning(UserWarning):
    """The cache location cannot be written (read-only, no permission, not a folder): scoring goes on without
    storing; entries already there are still read."""


_UNWRITABLE_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EEXIST}
_UNWRITABLE: set[Path] = set()  # cache locations found unwritable in this process (warned about once)
_SWEPT: set[Path] = set()  # folders whose abandoned staging folders were swept in this process


def is_unwritable_error(error: OSError) -> bool:
    """Whether ``error`` means the cache location cannot be written (rather than a transient race)."""
    return isinstance(error, PermissionError) or error.errno in _UNWRITABLE_ERRNOS


def unwritable(location: Path) -> bool:
    """Whether ``location`` was found unwritable earlier in this process."""
    return location in _UNWRITABLE


def note_unwritable(location: Path, error: OSError) -> None:
    """Remember that ``location`` cannot be written; warn the first time (one warning per location)."""
    if location in _UNWRITABLE:
        return
    _UNWRITABLE.add(location)
    warnings.warn(
        f"The cache at {location} cannot be written ({error}); scoring continues without storing results there "
        "(entries already cached are still used). Make the folder writable, point BRAINSCORE_HOME or "
        "--brainscore-cache-dir to a writable folder, or pass --brainscore-no-cache.",
        CacheUnwritableWarning,
        stacklevel=5,
    )


def sweep_once(folder: Path) -> None:
    """Remove writers' leftovers (see :func:`~._atomic.sweep_staging`) in ``folder``, once per process."""
    if folder not in _SWEPT:
        _SWEPT.add(folder)
        sweep_staging(folder)


def _row_chunks(n_rows: int, row_bytes: int) -> Iterator[slice]:
    step = max(1, _CHUNK_BYTES // max(row_bytes, 1))
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))


def _checksum_name(crc: int) -> str:
    return f"crc32:{crc:08x}"


def _read_verified_into(stream: IO[bytes], out: np.ndarray) -> str:
    """Read a ``.npy`` stream row by row straight into ``out`` (2-D, each row contiguous: e.g. a column block of a
    larger array) with no intermediate copy; return the checksum of what was read.

    Raises ValueError when the header does not describe ``out``'s shape and dtype or the file is truncated.
    """
    if out.ndim != 2 or (out.shape[1] > 1 and out.strides[1] != out.itemsize):
        raise ValueError(f"cannot read into an array of shape {out.shape} and strides {out.strides}")
    version = np.lib.format.read_magic(stream)
    read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, fortran_order, dtype = read_header(stream)
    if tuple(shape) != out.shape or dtype != out.dtype or fortran_order:
        raise ValueError(f"stored array is {shape} {dtype}, expected {out.shape} {out.dtype}")
    crc = 0
    for row in out:
        target = memoryview(row).cast("B")
        _read_exactly(stream, target)
        crc = zlib.crc32(target, crc)
    return _checksum_name(crc)


def _read_exactly(stream: Any, target: memoryview) -> None:
    filled = 0
    while filled < len(target):
        count = stream.readinto(target[filled:])
        if not count:
            raise ValueError("file is truncated")
        filled += count


def _is_shape(value: Any) -> bool:
    return isinstance(value, list) and all(type(n) is int and n >= 0 for n in value)


def _meta_problem(meta: Any, key: str, required: tuple[str, ...]) -> str | None:
    """What is wrong with an entry's parsed metadata, or None when it is sound."""
    if not isinstance(meta, dict):
        return "unreadable metadata (not an object)"
    if meta.get("format") != FORMAT_VERSION or meta.get("key") != key:
        return "metadata of another format or key"
    missing = [name for name in ("shape", "dtype", "checksum", *required) if name not in meta]
    if missing:
        return f"metadata lacks {missing}"
    shape = meta["shape"]
    if not _is_shape(shape) or len(shape) != 2 or not isinstance(meta["checksum"], str):
        return f"metadata has a malformed shape {shape!r} or checksum"
    feature_shape = meta.get("feature_shape", [shape[1]])
    if not _is_shape(feature_shape) or int(np.prod(feature_shape)) != shape[1]:
        return f"metadata feature_shape {feature_shape!r} does not match {shape[1]} values per row"
    return None


class _OpenEntry:
    """One entry directory as it was when opened: both of its files are read from that very directory, even when
    it is removed, or replaced by a newer one under the same name, while they are read.

    Raises FileNotFoundError when there is no entry. Where directories cannot be opened (Windows), files are
    opened by path and only :meth:`still_published` guards against a concurrent replacement.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._fd: int | None = None
        if _DIRECTORY_FDS:
            self._fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
            self.identity: FileIdentity = file_identity(os.fstat(self._fd))
        else:  # pragma: no cover - Windows
            self.identity = file_identity(os.stat(directory))

    def open(self, name: str) -> IO[bytes]:
        if self._fd is None:  # pragma: no cover - Windows
            return open(self.directory / name, "rb", buffering=0)
        fd = self._fd
        return open(name, "rb", buffering=0, opener=lambda path, flags: os.open(path, flags, dir_fd=fd))

    def still_published(self) -> bool:
        """Whether the directory read is still the one under the entry's name. Published directories are never
        changed in place, so a failed read of one still published is genuine corruption; of one no longer
        published, a race with its removal or replacement."""
        return same_file(self.directory, self.identity)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class EntryWriter:
    """Writes one entry's values row block by row block into a staging directory; :meth:`publish` makes the
    complete entry visible atomically. Used through :meth:`ActivationsCache.writer`."""

    def __init__(self, staging: Path, shape: tuple[int, ...], dtype: np.dtype) -> None:
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self.rows_written = 0
        self.published = False  #: True once this writer's entry became visible (False if another won the race)
        self._crc = 0
        self._stream = open(staging / VALUES_FILE, "wb")  # noqa: SIM115 - open across write_rows(); see close()
        header = {"descr": np.lib.format.dtype_to_descr(self.dtype), "fortran_order": False, "shape": self.shape}
        np.lib.format.write_array_header_1_0(self._stream, header)

    def write_rows(self, block: np.ndarray) -> None:
        """Append rows (shape ``(k, *shape[1:])``) in order."""
        block = np.ascontiguousarray(block, dtype=self.dtype)
        if block.shape[1:] != self.shape[1:] or self.rows_written + len(block) > self.shape[0]:
            raise ValueError(f"rows of shape {block.shape} do not continue an entry of shape {self.shape}")
        self._crc = zlib.crc32(block.data, self._crc)
        self._stream.write(block.data)
        self.rows_written += len(block)

    @property
    def complete(self) -> bool:
        return self.rows_written == self.shape[0]

    @property
    def checksum(self) -> str:
        return _checksum_name(self._crc)

    def close(self) -> None:
        self._stream.close()


class ActivationsCache:
    """Verified on-disk storage of per-layer activations.

    ``root`` and ``enabled`` default to :func:`brainscore_core.config.settings` (read at every use, so
    ``configure(cache_dir=..., cache_enabled=False)`` takes effect immediately).
    """

    def __init__(self, root: str | Path | None = None, enabled: bool | None = None) -> None:
        self._root = None if root is None else Path(root)
        self._enabled = enabled

    @property
    def root(self) -> Path:
        return self._root if self._root is not None else settings().cache_dir / "activations"

    @property
    def enabled(self) -> bool:
        return self._enabled if self._enabled is not None else settings().cache_enabled

    # --- keys -------------------------------------------------------------------------------------------
    @staticmethod
    def entry_key(
        *,
        model: str,
        weights: str,
        preprocessing: Any,
        model_visual_degrees: float | None,
        stimulus_visual_degrees: float | None,
        stimuli: str,
        layer: str,
    ) -> str:
        """The key of one layer's activations: hashes every input that changes the numbers."""
        return stable_hash(
            {
                "format": FORMAT_VERSION,
                "model": model,
                "weights": weights,
                "preprocessing": preprocessing,
                "model_visual_degrees": model_visual_degrees,
                "stimulus_visual_degrees": stimulus_visual_degrees,
                "stimuli": stimuli,
                "layer": layer,
            }
        )

    def model_directory(self, model: str) -> Path:
        return self.root / safe_name(model)

    def entry_directory(self, model: str, key: str) -> Path:
        return self.model_directory(model) / key

    # --- reading ----------------------------------------------------------------------------------------
    def read_meta(self, model: str, key: str, required: tuple[str, ...] = ()) -> dict[str, Any] | None:
        """The metadata of an entry, or None when it is absent, unreadable, or caching is off.

        ``required`` names further fields the caller reads; an entry lacking one is discarded as corrupted.
        ``feature_shape``, when present, must be a list of positive integers whose product is the row length.
        """
        if not self.enabled:
            return None
        return self._read(model, key, None, required)

    def load_into(self, model: str, key: str, out: np.ndarray) -> bool:
        """Copy a verified entry into ``out`` (a preallocated ``(presentation, neuroid)`` view).

        Returns False on a miss (also when the entry was removed by another process while it was read); a
        corrupted or truncated entry warns, is removed, and also returns False.
        """
        if not self.enabled:
            return False
        return self._read(model, key, out) is not None

    def _read(
        self, model: str, key: str, out: np.ndarray | None, required: tuple[str, ...] = ()
    ) -> dict[str, Any] | None:
        """The verified metadata of an entry (with its values copied into ``out`` unless None), or None."""
        directory = self.entry_directory(model, key)
        for _ in range(_READ_ATTEMPTS):
            try:
                entry = _OpenEntry(directory)
            except FileNotFoundError:
                return None
            except OSError as error:  # e.g. a file where the entry directory should be
                if not directory.parent.is_dir():  # no folder for this model (e.g. the cache path is a file)
                    return None
                self._discard(model, key, f"unreadable entry ({error})", None)
                return None
            with entry:
                meta, problem = self._verify(entry, key, out, required)
                if problem is None:
                    return meta
                if entry.still_published():
                    self._discard(model, key, problem, entry.identity)
                    return None
            # removed or replaced by another process while we read it: not corruption; read what is there now
        return None

    @staticmethod
    def _verify(
        entry: _OpenEntry, key: str, out: np.ndarray | None, required: tuple[str, ...] = ()
    ) -> tuple[dict[str, Any] | None, str | None]:
        """``(metadata, None)`` for a sound entry, ``(None, what is wrong)`` otherwise. Whatever a damaged file
        makes the parsers raise (numpy's header parser raises tokenize.TokenError or SyntaxError for some bit
        flips) is a reason to discard, never a crash."""
        try:
            with entry.open(META_FILE) as stream:
                meta = json.loads(stream.read())
        except FileNotFoundError:
            return None, "metadata file missing"
        except Exception as error:  # noqa: BLE001 - any failure to read means a damaged entry
            return None, f"unreadable metadata ({type(error).__name__}: {error})"
        problem = _meta_problem(meta, key, required)
        if problem is not None:
            return None, problem
        if out is None:
            return meta, None
        if list(out.shape) != meta["shape"]:
            return None, f"metadata describes shape {meta['shape']}, expected {list(out.shape)}"
        try:
            with entry.open(VALUES_FILE) as stream:
                digest = _read_verified_into(stream, out)
        except FileNotFoundError:
            return None, "values file missing"
        except Exception as error:  # noqa: BLE001 - any failure to read means a damaged entry
            return None, f"unreadable values ({type(error).__name__}: {error})"
        if digest != meta["checksum"]:
            return None, "checksum mismatch (truncated or corrupted values)"
        return meta, None

    # --- writing ----------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def writer(
        self, model: str, key: str, shape: tuple[int, ...], meta: dict[str, Any], dtype: Any = np.float32
    ) -> Iterator[EntryWriter | None]:
        """Stream one entry: ``with cache.writer(...) as w: w.write_rows(block) ...``.

        Yields None when caching is off or the entry already exists. The entry is published when the block ends
        with every row written; on an exception, with rows missing, or when the cache is cleared meanwhile
        (``brainscore cache clear`` in another process), nothing becomes visible.
        """
        final = self.entry_directory(model, key)
        location = self.root.parent
        if not self.enabled or unwritable(location) or (final / META_FILE).is_file():
            yield None
            return
        with contextlib.ExitStack() as stack:
            try:
                sweep_once(final.parent)
                staging = stack.enter_context(staging_directory(final.parent))
                writer: EntryWriter | None = EntryWriter(staging, shape, dtype)
            except FileNotFoundError:  # the cache was cleared just now: compute without caching
                writer = None
            except OSError as error:
                if not is_unwritable_error(error):
                    raise
                note_unwritable(location, error)
                writer = None
            if writer is None:
                yield None
                return
            try:
                yield writer
            finally:
                writer.close()
            if writer.complete:
                record = {
                    **meta,
                    "format": FORMAT_VERSION,
                    "key": key,
                    "model": model,
                    "shape": list(writer.shape),
                    "dtype": writer.dtype.str,
                    "checksum": writer.checksum,
                }
                try:
                    write_new_file(staging / META_FILE, json.dumps(record, indent=1).encode())
                except FileNotFoundError:  # the cache was cleared while we wrote: publish nothing
                    return
                writer.published = publish_directory(staging, final)

    def store(self, model: str, key: str, values: np.ndarray, meta: dict[str, Any]) -> bool:
        """Write one whole entry atomically. Returns False when caching is off or the entry exists already."""
        with self.writer(model, key, values.shape, meta, values.dtype) as writer:
            if writer is None:
                return False
            for rows in _row_chunks(values.shape[0], values[:1].nbytes):
                writer.write_rows(values[rows])
        return writer.published

    @contextlib.contextmanager
    def lock(self, model: str, group: str) -> Iterator[None]:
        """Serialise computation of one group of entries across processes (e.g. pytest-xdist workers).

        Never waits silently (see :func:`~._lock.acquire_lock`); an unwritable cache is used without a lock.
        """
        location = self.root.parent
        if not self.enabled or unwritable(location):
            yield
            return
        try:
            handle = acquire_lock(self.model_directory(model) / _LOCKS / f"{group}.lock")
        except OSError as error:
            if not is_unwritable_error(error):
                raise
            note_unwritable(location, error)
            handle = None
        try:
            yield
        finally:
            release_lock(handle)

    # --- maintenance ------------------------------------------------------------------------------------
    def _discard(self, model: str, key: str, reason: str, identity: FileIdentity | None) -> None:
        """Warn about a corrupted entry and remove it: only the very directory found corrupted (``identity``),
        never a sound one that another process published under the same name meanwhile."""
        directory = self.entry_directory(model, key)
        warnings.warn(
            f"Discarding corrupted activations cache entry {directory} of model {model!r}: {reason}. "
            "It will be recomputed.",
            CacheCorruptionWarning,
            stacklevel=4,
        )
        with contextlib.suppress(OSError):  # e.g. a read-only cache: the entry stays, and is never trusted
            remove_tree(directory, identity)

    def entries(self) -> Iterator[tuple[str, Path]]:
        """``(model identifier, entry directory)`` of every complete entry."""
        try:
            model_directories = sorted(self.root.iterdir())
        except (FileNotFoundError, NotADirectoryError):
            return
        for model_directory in model_directories:
            if model_directory.name.startswith("."):
                continue
            try:
                directory_entries = sorted(model_directory.iterdir())
            except (FileNotFoundError, NotADirectoryError):  # not a folder, or removed meanwhile
                continue
            for entry in directory_entries:
                meta = entry / META_FILE
                if entry.name.startswith(".") or not meta.is_file():
                    continue
                try:
                    model = json.loads(meta.read_text()).get("model", model_directory.name)
                except (OSError, ValueError):
                    model = model_directory.name
                yield str(model), entry
