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
"""

from __future__ import annotations

import functools
import glob
import io
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import xarray as xr

from .assemblies import validate_behavioral_assembly, validate_neuroid_assembly
from .checksums import contained_path
from .config import settings
from .errors import DataError, StimulusError
from .stimuli import StimulusSet, sha256_file, stimulus_set, verify_sha256

__all__ = ["load_assembly", "load_stimulus_set", "write_assembly", "write_stimulus_set"]

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
    try:
        with xr.open_dataarray(path) as opened:
            array = opened.load()
    except (OSError, ValueError) as error:
        raise DataError(f"Cannot read assembly file {path} as netCDF: {error}") from error
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
