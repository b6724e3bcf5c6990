"""Read (and write) Brain-Score's BrainIO format, so users can bring the data they already have.

BrainIO stores

* an **assembly** as a netCDF file holding one DataArray whose pandas MultiIndex coords (``presentation``,
  ``neuroid``) were flattened into plain per-dimension coords. Neural assemblies are often stored as
  ``(neuroid, presentation[, time_bin])``; older files name the stimulus coord ``image_id``.
* a **stimulus set** as a CSV (one row per stimulus: ``stimulus_id`` or the older ``image_id``, metadata
  columns, and ``filename``: the image's path inside the store) plus a folder or zip with the images.

:func:`load_assembly` returns an assembly of this project's data model (dims reordered, ``image_id`` renamed);
:func:`load_stimulus_set` returns a :class:`~brainscore_core.stimuli.StimulusSet`. The ``write_*`` functions
produce files in the same format (used to round-trip and to hand data back to Brain-Score users).

Large files (Brain-Score's public assemblies are 0.2-1.3 GB) are read without loading them whole:
:func:`open_assembly` opens a file lazily (coords read, values not), with the stimulus set's columns joined onto
``presentation`` by ``stimulus_id`` as Brain-Score does (:func:`join_stimulus_set`); select with ``isel`` (a region,
time bins) and read the selection with :func:`load_in_blocks`, which reads a bounded block at a time and can reduce
each block (e.g. average time bins) before the next is read.
"""

from __future__ import annotations

import functools
import glob
import io
import math
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import xarray as xr

from .assemblies import validate_behavioral_assembly, validate_neuroid_assembly
from .checksums import contained_path
from .config import settings
from .errors import DataError, StimulusError
from .stimuli import StimulusSet, sha256_file, stimulus_set, verify_sha256

__all__ = [
    "brainscore_average_order",
    "join_stimulus_set",
    "load_assembly",
    "load_in_blocks",
    "load_stimulus_set",
    "open_assembly",
    "write_assembly",
    "write_stimulus_set",
]

_FILENAME_COLUMNS = ("filename", "stimulus_path_within_store", "image_file_name", "image_path_within_store")
AssemblyKind = Literal["auto", "neural", "behavioral"]


def _rename_legacy_ids(array: xr.DataArray) -> xr.DataArray:
    if "stimulus_id" not in array.coords and "image_id" in array.coords:
        array = array.rename({"image_id": "stimulus_id"})
    return array


def _decode_strings(array: xr.DataArray) -> xr.DataArray:
    """netCDF returns text coords as bytes or objects; make them str."""
    updates = {}
    for name, coord in array.coords.items():
        if coord.dtype.kind in "SO" and coord.ndim == 1:
            values = [v.decode() if isinstance(v, bytes) else v for v in coord.values]
            if all(isinstance(v, str) for v in values):
                updates[name] = (coord.dims, np.asarray(values, dtype=str))
    return array.assign_coords(updates) if updates else array


def load_assembly(
    path: str | os.PathLike[str], *, kind: AssemblyKind = "auto", sha256: str | None = None
) -> xr.DataArray:
    """Load a BrainIO netCDF assembly into this project's data model.

    ``kind='auto'`` treats an assembly with a ``neuroid`` dim as neural, else as behavioural. With ``sha256`` the
    file is verified first. Raises :class:`DataError` naming the file when it is unreadable or malformed.
    """
    path = Path(path)
    if sha256:
        verify_sha256(path, sha256)
    if not path.is_file():
        raise DataError(f"Assembly file {path} does not exist.")
    with _open_data_array(path) as opened:
        array = opened.load()
    array = _decode_strings(_rename_legacy_ids(array))
    # dimension coords left over from the flattened MultiIndex carry no information
    array = array.drop_vars([d for d in array.dims if d in array.coords and d not in ("choice",)], errors="ignore")
    if kind == "auto":
        kind = "neural" if "neuroid" in array.dims else "behavioral"
    try:
        if kind == "neural":
            order = [d for d in ("presentation", "neuroid", "time_bin") if d in array.dims]
            extra = [d for d in array.dims if d not in order]
            if extra:
                raise DataError(f"Assembly file {path} has unexpected dimensions {extra} for a neural assembly.")
            return validate_neuroid_assembly(array.transpose(*order))
        behavioral_order = [d for d in ("presentation", "choice") if d in array.dims]
        return validate_behavioral_assembly(array.transpose(*behavioral_order, ...))
    except DataError:
        raise
    except ValueError as error:
        raise DataError(f"Assembly file {path} is not a valid {kind} assembly: {error}") from error


_DATA_VARIABLE_NAMES = ("__xarray_dataarray_variable__", "data")
_BLOCK_BYTES = 64 * 2**20


def _data_variable(dataset: xr.Dataset, path: Path) -> str:
    """The name of the one variable holding the values (BrainIO: exactly one; its name varies between writers)."""
    names = [str(name) for name in dataset.data_vars]
    if len(names) == 1:
        return names[0]
    for name in _DATA_VARIABLE_NAMES:
        if name in names:
            return name
    most = max((dataset[name].ndim for name in names), default=0)
    widest = [name for name in names if dataset[name].ndim == most]
    if len(widest) == 1 and most > 1:
        return widest[0]
    raise DataError(
        f"Assembly file {path} holds {len(names)} variables {names} and none is marked as the data (a BrainIO "
        f"assembly has one data variable, named after the assembly, {' or '.join(_DATA_VARIABLE_NAMES)}). "
        "Rewrite the file with one data variable, e.g. with brainscore_core.brainio.write_assembly."
    )


def _is_hdf5(path: Path) -> bool:
    """Whether ``path`` is an HDF5 (netCDF-4) file: its signature at offset 0, 512, 1024 ... (a user block)."""
    with open(path, "rb") as handle:
        for offset in (0, 512, 1024, 2048, 4096):
            handle.seek(offset)
            if handle.read(8) == b"\x89HDF\r\n\x1a\n":
                return True
    return False


def _open_data_array(path: Path) -> xr.DataArray:
    """``path`` opened lazily as one DataArray (values read on access); every other variable lying on its
    dimensions becomes a coord; a legacy ``<dim>_`` level (xarray's old ``reset_index``) is renamed ``<dim>``."""
    if not path.is_file():
        raise DataError(f"Assembly file {path} does not exist.")
    try:
        engine = "h5netcdf" if _is_hdf5(path) else None
        dataset = xr.open_dataset(path, engine=engine, cache=False)
    except (OSError, ValueError) as error:
        raise DataError(f"Cannot read assembly file {path} as netCDF: {error}") from error
    name = _data_variable(dataset, path)
    extra = [v for v in dataset.data_vars if v != name and set(dataset[v].dims) <= set(dataset[name].dims)]
    array = dataset.set_coords(extra)[name]
    renames = {
        f"{dim}_": dim
        for dim in array.dims
        if f"{dim}_" in array.coords and array.coords[f"{dim}_"].dims == (dim,) and dim not in array.coords
    }
    for old, dim in renames.items():  # as the dimension's index, as it was before the legacy reset_index
        array = array.assign_coords({dim: (dim, array[old].values)}).drop_vars(old)
    return array


def _decode_object_strings(array: xr.DataArray) -> xr.DataArray:
    """Text coords as ``str`` objects (netCDF may return bytes); object arrays keep one pointer per row."""
    updates = {}
    for name, coord in array.coords.items():
        if coord.dtype.kind in "SO" and coord.ndim == 1:
            values = np.asarray(coord.values)
            if any(isinstance(v, bytes) for v in values[:1].tolist()) or coord.dtype.kind == "S":
                values = np.array([v.decode() if isinstance(v, bytes) else v for v in values.tolist()], dtype=object)
                updates[name] = (coord.dims, values)
    return array.assign_coords(updates) if updates else array


def open_assembly(
    path: str | os.PathLike[str],
    *,
    stimuli: StimulusSet | None = None,
    identifier: str | None = None,
) -> xr.DataArray:
    """A BrainIO netCDF assembly opened lazily: coords are read, values only when selected and loaded.

    Dims keep the file's order (Brain-Score's files are often ``(neuroid, presentation, time_bin)``). Levels
    stored as plain 1-D variables become coords of their dimension; dimension variables without values are
    dropped. As Brain-Score's loader does, a ``stimulus_id`` coord is added as a copy of ``image_id`` when the
    file has only ``image_id``, and with ``stimuli`` every column of the stimulus set is joined onto
    ``presentation`` by ``stimulus_id`` (:func:`join_stimulus_set`). ``attrs`` get ``identifier``,
    ``stimulus_set_identifier`` and ``source_file``. Read values with :func:`load_in_blocks` (or ``.load()`` for a
    small selection). Raises :class:`DataError` naming the file when it is unreadable or has no data variable.
    """
    path = Path(path)
    array = _open_data_array(path)
    array = array.drop_vars([d for d in ("presentation", "neuroid", "time_bin") if d in array.coords])
    array = _decode_object_strings(array)
    if "presentation" in array.dims and "stimulus_id" not in array.coords and "image_id" in array.coords:
        array = array.assign_coords(stimulus_id=("presentation", np.asarray(array["image_id"].values)))
    array.attrs = {"identifier": identifier or path.stem, "source_file": str(path)}
    if stimuli is not None:
        array = join_stimulus_set(array, stimuli, where=str(path))
    return array


#: StimulusSet columns this project adds (file locations, checksums): not part of the CSV, never joined
_LOCAL_COLUMNS = ("image_path", "sha256")


def join_stimulus_set(array: xr.DataArray, stimuli: StimulusSet, *, where: str = "the assembly") -> xr.DataArray:
    """``array`` with every column of ``stimuli`` added on ``presentation``, matched by ``stimulus_id``.

    As Brain-Score's loader: a column the assembly already has keeps the assembly's values. Unlike it, a
    presentation whose ``stimulus_id`` is not in the stimulus set is an error (naming ``where`` and the ids), not
    a row of missing values. ``attrs['stimulus_set_identifier']`` is set to the set's identifier.
    """
    if "stimulus_id" not in array.coords or array["stimulus_id"].dims != ("presentation",):
        raise DataError(f"{where} has no 'stimulus_id' (or 'image_id') coordinate on 'presentation' to join on.")
    ids = np.asarray(array["stimulus_id"].values).astype(str)
    known, inverse = np.unique(ids, return_inverse=True)
    table = stimuli.table
    row_of = pd.Index(table["stimulus_id"].astype(str))
    rows = row_of.get_indexer(known)
    missing = known[rows < 0]
    if len(missing):
        raise DataError(
            f"{where}: {len(missing)} stimulus ids are not in stimulus set {stimuli.identifier!r} "
            f"(e.g. {missing[:5].tolist()}); the data and the stimulus set do not belong together. Check the "
            "catalog's file names and checksums."
        )
    positions = rows[inverse]
    updates: dict[str, Any] = {}
    for column in table.columns:
        if column in _LOCAL_COLUMNS or column in array.coords:
            continue
        values = table[column].to_numpy()
        if values.dtype.kind in "OUT":
            values = np.asarray(values, dtype=object)
        updates[str(column)] = ("presentation", values[positions])
    joined = array.assign_coords(updates)
    joined.attrs["stimulus_set_identifier"] = stimuli.identifier
    return joined


def load_in_blocks(
    array: xr.DataArray,
    *,
    dim: str = "presentation",
    reduce: Callable[[xr.DataArray], xr.DataArray] | None = None,
    max_block_bytes: int = _BLOCK_BYTES,
) -> xr.DataArray:
    """The values of a lazily opened ``array`` (e.g. a selection of :func:`open_assembly`), read one block of
    ``dim`` at a time (at most ``max_block_bytes`` of the file's values per block) into one result.

    ``reduce`` (e.g. ``lambda block: block.mean("time_bin")``) is applied to each block as soon as it is read and
    must keep ``dim``, so a file larger than memory can be reduced; peak memory is the result plus one block.
    """
    if dim not in array.dims:
        raise DataError(f"Cannot read {array.name or 'the assembly'} in blocks of {dim!r}: dims are {array.dims}.")
    n = array.sizes[dim]
    row_bytes = array.dtype.itemsize * math.prod(size for name, size in array.sizes.items() if name != dim)
    rows = max(1, max_block_bytes // max(row_bytes, 1))
    result: np.ndarray | None = None
    template: xr.DataArray | None = None
    for start in range(0, n, rows):
        block = array.isel({dim: slice(start, start + rows)}).load()
        if reduce is not None:
            block = reduce(block)
        if dim not in block.dims:
            raise DataError(f"The reduction applied while reading dropped the dimension {dim!r}; it must keep it.")
        if result is None:
            template = block
            shape = [n if name == dim else size for name, size in block.sizes.items()]
            result = np.empty(shape, dtype=block.dtype)
        axis = block.get_axis_num(dim)
        index = [slice(None)] * block.ndim
        index[axis] = slice(start, start + block.sizes[dim])
        result[tuple(index)] = block.values
        del block
    if result is None or template is None:  # an empty dimension
        empty = array.load()
        return empty if reduce is None else reduce(empty)
    coords = {}
    for name, coord in template.coords.items():
        if dim in coord.dims:
            coords[name] = (coord.dims, np.asarray(array.coords[name].values))
        else:
            coords[name] = coord
    return xr.DataArray(result, dims=template.dims, coords=coords, attrs=dict(array.attrs), name=array.name)


def brainscore_average_order(assembly: xr.DataArray, *, repetition_coord: str = "repetition") -> xr.DataArray:
    """``assembly``'s presentations reordered so that averaging its repetitions in order of first appearance
    (:func:`~brainscore_core.assemblies.average_repetitions`) gives the rows in Brain-Score's order.

    Brain-Score 2.4's ``average_repetition`` groups presentations by every presentation coord except
    ``repetition`` and its xarray sorts the groups: by the tuple of those coords' values, coords in the
    assembly's order (the file's levels, then ``stimulus_id``, then the stimulus set's columns). Its
    cross-validation draws splits over that row order. Every such coord must be constant within a stimulus (else
    Brain-Score would keep several rows per stimulus): a coord that varies raises :class:`DataError`.
    """
    names = [str(n) for n, c in assembly.coords.items() if c.dims == ("presentation",) and n != repetition_coord]
    ids = np.asarray(assembly["stimulus_id"].values)
    unique, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    keys: list[list[Any]] = [[] for _ in unique]
    for name in names:
        values = np.asarray(assembly[name].values)
        firsts = values[first]
        varying = firsts[inverse] != values
        if np.any(varying):
            example = ids[np.flatnonzero(varying)[0]]
            raise DataError(
                f"{assembly.attrs.get('source_file', 'The assembly')}: coord {name!r} varies within stimulus "
                f"{example!r}, so repetitions cannot be averaged per stimulus as Brain-Score does (it groups by every "
                f"presentation coord except {repetition_coord!r})."
            )
        for key, value in zip(keys, firsts.tolist(), strict=True):
            key.append(value)
    rank = np.empty(len(unique), dtype=np.intp)
    rank[sorted(range(len(unique)), key=lambda i: tuple(keys[i]))] = np.arange(len(unique))
    return assembly.isel(presentation=np.argsort(rank[inverse], kind="stable"))


def write_assembly(assembly: xr.DataArray, path: str | os.PathLike[str]) -> str:
    """Write ``assembly`` as a BrainIO-style netCDF file (plain per-dim coords); return the file's SHA-256."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    array = assembly.copy()
    for name, coord in array.coords.items():
        if coord.dtype.kind == "O":
            array = array.assign_coords({name: (coord.dims, coord.values.astype(str))})
    array.to_netcdf(path, engine="h5netcdf")
    return sha256_file(path)


def _extract_zip(zip_path: Path) -> Path:
    """Extract ``zip_path`` once into the cache (keyed by its SHA-256); the extraction is atomic."""
    digest = sha256_file(zip_path)
    target = settings().cache_dir / "brainio" / digest
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(dir=target.parent, prefix=".extract-"))
    try:
        with zipfile.ZipFile(zip_path) as archive:
            for member in archive.namelist():
                resolved = (temporary / member).resolve()
                if not resolved.is_relative_to(temporary.resolve()):
                    raise DataError(f"Zip file {zip_path} has an unsafe member path {member!r}.")
            archive.extractall(temporary)
        try:
            temporary.rename(target)
        except OSError:  # another process finished first
            if not target.is_dir():
                raise
    except zipfile.BadZipFile as error:
        raise DataError(f"Cannot read stimulus zip {zip_path}: {error}") from error
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
    return target


class _ImageStore:
    """The folder (or extracted zip) a stimulus CSV names its files in, and how its files are laid out."""

    def __init__(self, csv_path: Path, images: Path, root: Path) -> None:
        self.csv_path, self.images, self.root = csv_path, images, root

    @functools.cached_property
    def top_folder(self) -> Path | None:
        """The one folder the store holds when it holds nothing else (a zip that wraps its files in a folder;
        hidden entries and the ``__MACOSX`` metadata folder of zips made on macOS do not count)."""
        entries = [e for e in self.root.iterdir() if not e.name.startswith(".") and e.name != "__MACOSX"]
        return entries[0] if len(entries) == 1 and entries[0].is_dir() else None

    @functools.cached_property
    def flat(self) -> bool:
        """True when the store has no sub-folders at all."""
        return not any(entry.is_dir() for entry in self.root.iterdir())

    def alternatives(self, path: Path) -> list[Path]:
        """Where else the CSV's ``path`` may be: inside the single top folder of a wrapped zip; and, in a flat store,
        at its file name when the CSV names sub-folders. Never a same-named file in another sub-folder."""
        relative = path.relative_to(self.root)
        locations = [] if self.top_folder is None else [self.top_folder / relative]
        if len(relative.parts) > 1 and self.flat:
            locations.append(self.root / path.name)
        return locations

    def resolve(self, line: int, stimulus_id: str, name: str) -> Path:
        """The file CSV line ``line`` names: inside the store and existing, else an error naming it."""
        where = f"Stimulus set CSV {self.csv_path} line {line} (stimulus {stimulus_id!r})"
        path = contained_path(self.root, name)
        if path is None:
            raise DataError(
                f"{where} names the image file {name!r}, which is not inside the image store {self.images}: file "
                "names must be relative paths within the store (no '..', no absolute paths). Fix the CSV's file name."
            )
        if path.is_file():
            return path
        for location in self.alternatives(path):
            if location.is_file():
                return location
        matches = self.root.rglob(glob.escape(path.name))
        same_name = sorted(str(p.relative_to(self.root)) for p in matches if p.is_file())[:3]
        hint = f" Files of the same name elsewhere in the store (not used): {same_name}." if same_name else ""
        raise StimulusError(
            f"{where} names the image file {name!r}, which does not exist in the image store {self.images}.{hint} "
            "Fix the CSV's file name or add the missing image."
        )


def load_stimulus_set(
    csv_path: str | os.PathLike[str],
    images: str | os.PathLike[str],
    *,
    identifier: str | None = None,
    csv_sha256: str | None = None,
    images_sha256: str | None = None,
) -> StimulusSet:
    """Load a BrainIO stimulus set: its CSV and the image folder or zip.

    ``identifier`` defaults to the CSV's stem. Optional SHA-256 sums verify the CSV and the zip. Each file name
    must be a relative path inside the store (else :class:`DataError` naming the CSV line, stimulus and name). It
    is looked up at that path; in a zip that wraps everything in one top folder, inside that folder; in a flat
    store (no sub-folders), by its file name when the CSV names sub-folders. A file found nowhere raises
    :class:`StimulusError` naming it; a same-named file in another sub-folder is never used in its place.
    """
    csv_path, images = Path(csv_path), Path(images)
    if csv_sha256:
        verify_sha256(csv_path, csv_sha256)
    if images_sha256 and images.is_file():
        verify_sha256(images, images_sha256)
    if not csv_path.is_file():
        raise StimulusError(f"Stimulus set CSV {csv_path} does not exist.")
    table = pd.read_csv(csv_path)
    if "stimulus_id" not in table.columns and "image_id" in table.columns:
        table = table.rename(columns={"image_id": "stimulus_id"})
    column = next((c for c in _FILENAME_COLUMNS if c in table.columns), None)
    if column is None:
        raise StimulusError(
            f"Stimulus set CSV {csv_path} names no image files: it needs one of the columns {list(_FILENAME_COLUMNS)}."
        )
    if images.is_file() and zipfile.is_zipfile(images):
        root = _extract_zip(images)
    elif images.is_dir():
        root = images
    else:
        raise StimulusError(f"Stimulus images {images} are neither a folder nor a zip file.")
    ids = table["stimulus_id"] if "stimulus_id" in table.columns else pd.Series(["?"] * len(table))
    store = _ImageStore(csv_path, images, root)
    paths = [
        store.resolve(line, str(stimulus_id), str(name))
        for line, (stimulus_id, name) in enumerate(zip(ids, table[column], strict=True), start=2)
    ]
    return stimulus_set(identifier or csv_path.stem, table, image_paths=paths)


def write_stimulus_set(
    stimuli: StimulusSet, csv_path: str | os.PathLike[str], zip_path: str | os.PathLike[str]
) -> tuple[str, str]:
    """Write ``stimuli`` as a BrainIO CSV plus image zip; return both files' SHA-256."""
    csv_path, zip_path = Path(csv_path), Path(zip_path)
    table = stimuli.table.drop(columns=[c for c in ("image_path", "sha256") if c in stimuli.table.columns])
    names: list[str] = []
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_STORED) as archive:
        for stimulus_id in stimuli.stimulus_ids:
            path = stimuli.image_path(stimulus_id)
            if path is None:
                name = f"{stimulus_id}.png"
                buffer = io.BytesIO()
                stimuli.load_image(stimulus_id).save(buffer, format="PNG")
                archive.writestr(name, buffer.getvalue())
            else:
                name = f"{stimulus_id}{path.suffix}"
                archive.write(path, name)
            names.append(name)
    table = table.assign(filename=names)
    table.to_csv(csv_path, index=False)
    return sha256_file(csv_path), sha256_file(zip_path)
