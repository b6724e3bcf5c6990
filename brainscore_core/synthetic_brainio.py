"""Small synthetic stand-ins for Brain-Score's public neural data files, in their real BrainIO layout.

For tests, mirrors and cross-checks that cannot download the real files: each writer produces the same file names,
netCDF dims (in the file's order), coordinate levels, data-variable name, CSV columns and flat zip of PNG images as
the real data (see ``/work/shared/research/brainscore_public_benchmarks.md`` §4 and §5), only tiny, with
responses that depend on the images (so models score above zero) plus trial noise.

- :func:`write_majajhong2015_public`: ``assy_dicarlo_MajajHong2015_public.nc`` (``neuroid x presentation x
  time_bin``, float32, one 70-170 ms bin; V4 and IT sites), ``stimulus_hvm-public.csv`` / ``.zip`` (256 x 256 RGB
  PNG, 8 objects, 4 to 6 repetitions per image).
- :func:`write_freemanziemba2013_public`: ``assy_movshon_FreemanZiemba2013_public.nc`` (``neuroid x time_bin x
  presentation``, float64 0/1 spikes in 300 one-ms bins; V1 and V2), ``stimulus_FreemanZiemba2013_aperture-public``
  ``.csv`` / ``.zip`` (320 x 320 single-channel PNG, noise and texture images in a grey aperture).

Each returns ``{file name: SyntheticFile}`` (path, SHA-1, size); :func:`synthetic_catalog` registers them in place
of the real catalog entries (serve their folder with ``BRAINSCORE_DATA_MIRROR``).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

__all__ = [
    "DATA_FILES",
    "FREEMANZIEMBA2013_FILES",
    "MAJAJHONG2015_FILES",
    "SyntheticFile",
    "grey_count_image",
    "synthetic_catalog",
    "write_freemanziemba2013_public",
    "write_majajhong2015_public",
]

MAJAJHONG2015_FILES = ("assy_dicarlo_MajajHong2015_public.nc", "stimulus_hvm-public.csv", "stimulus_hvm-public.zip")
FREEMANZIEMBA2013_FILES = (
    "assy_movshon_FreemanZiemba2013_public.nc",
    "stimulus_FreemanZiemba2013_aperture-public.csv",
    "stimulus_FreemanZiemba2013_aperture-public.zip",
)


@dataclass(frozen=True)
class SyntheticFile:
    """One written file: where it is, its SHA-1 (Brain-Score's checksum) and size in bytes."""

    name: str
    path: Path
    sha1: str
    size: int


def _described(path: Path) -> SyntheticFile:
    digest = hashlib.sha1(path.read_bytes(), usedforsecurity=False).hexdigest()
    return SyntheticFile(path.name, path, digest, path.stat().st_size)


def _png(pixels: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def _write_zip(path: Path, members: dict[str, bytes]) -> None:
    """A flat zip (no folders), as Brain-Score's stimulus zips are."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 7, 28, 0, 0, 0)), data)


def _write_netcdf(array: xr.DataArray, path: Path) -> None:
    """BrainIO's legacy writer: the flattened levels as plain variables, no dimension variables, uncompressed."""
    array.to_netcdf(path, engine="h5netcdf")


def _smooth_image(rng: np.random.Generator, size: int, channels: int, base: np.ndarray | None = None) -> np.ndarray:
    """A smooth random image (coarse noise upsampled), optionally mixed with ``base`` (shared by an object)."""
    coarse = rng.uniform(0, 255, (8, 8, channels))
    if base is not None:
        coarse = 0.6 * base + 0.4 * coarse
    image: np.ndarray = np.kron(coarse, np.ones((size // 8, size // 8, 1)))
    pixels: np.ndarray = np.clip(image, 0, 255).astype(np.uint8)
    return pixels


def _features(images: list[np.ndarray], grid: int = 4) -> np.ndarray:
    """Block-averaged grey levels: what the synthetic neurons respond to."""
    rows = []
    for image in images:
        grey = image.mean(axis=2) if image.ndim == 3 else image.astype(float)
        side = grey.shape[0] // grid
        rows.append(grey[: side * grid, : side * grid].reshape(grid, side, grid, side).mean(axis=(1, 3)).ravel())
    features = np.asarray(rows)
    standardised: np.ndarray = (features - features.mean(axis=0)) / (features.std(axis=0) + 1e-9)
    return standardised


def write_majajhong2015_public(
    directory: str | Path,
    *,
    n_objects: int = 8,
    images_per_object: int = 10,
    n_v4: int = 10,
    n_it: int = 14,
    repetitions: tuple[int, int] = (4, 6),
    seed: int = 0,
) -> dict[str, SyntheticFile]:
    """Write a tiny ``MajajHong2015.public`` assembly and its ``hvm-public`` stimulus set into ``directory``.

    Each image has between ``repetitions[0]`` and ``repetitions[1]`` repetitions (labels drawn from
    ``0 .. repetitions[1] - 1``); the real file averages 46.4 (148,480 presentations of 3,200 images, 88 V4 and 168 IT
    sites: ``n_objects=64, images_per_object=50, n_v4=88, n_it=168, repetitions=(44, 49)`` has its shape).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    objects = [f"object{i:02d}" for i in range(n_objects)]
    categories = [f"category{i % 4}" for i in range(n_objects)]
    rows: list[dict[str, object]] = []
    members: dict[str, bytes] = {}
    images: list[np.ndarray] = []
    for o, (object_name, category) in enumerate(zip(objects, categories, strict=True)):
        base = rng.uniform(0, 255, (8, 8, 3))
        for k in range(images_per_object):
            pixels = _smooth_image(rng, 256, 3, base)
            data = _png(pixels)
            image_id = hashlib.sha1(data, usedforsecurity=False).hexdigest()
            variation = 0 if k < images_per_object // 2 else 3
            filename = f"{object_name}_rx+{k:02d}.000_ry+00.000_rz+00.000_tx+00.000_ty+00.000_s+01.000_256x256.png"
            members[filename] = data
            images.append(pixels)
            rows.append(
                {
                    "id": len(rows),
                    "background_id": f"bg{k:03d}",
                    "s": 1.0,
                    "image_file_name": filename,
                    "filename": filename,
                    "rxy": float(k),
                    "tz": 0.0,
                    "category_name": category,
                    "rxz_semantic": 0.0,
                    "ty": 0.0,
                    "ryz": 0.0,
                    "object_name": object_name,
                    "variation": variation,
                    "size": 256.0,
                    "rxy_semantic": float(k),
                    "ryz_semantic": 0.0,
                    "rxz": float(o),
                    "image_id": image_id,
                }
            )
    table = pd.DataFrame(rows)
    table.to_csv(directory / MAJAJHONG2015_FILES[1], index=False)
    _write_zip(directory / MAJAJHONG2015_FILES[2], members)

    features = _features(images)
    n_sites = n_v4 + n_it
    weights = rng.standard_normal((features.shape[1], n_sites)) / np.sqrt(features.shape[1])
    signal = features @ weights
    image_index, repetition = [], []
    for i in range(len(images)):
        count = int(rng.integers(repetitions[0], repetitions[1] + 1))  # 4 to 6: each half of a split keeps one
        image_index += [i] * count
        repetition += sorted(rng.choice(repetitions[1], size=count, replace=False).tolist())
    image_index_array = np.asarray(image_index)
    order = rng.permutation(len(image_index_array))  # presentations in recording (not image) order
    image_index_array, repetition_array = image_index_array[order], np.asarray(repetition)[order]
    noise = rng.standard_normal((len(image_index_array), n_sites))
    values = (signal[image_index_array] + 1.2 * noise).T[:, :, np.newaxis].astype(np.float32)
    regions = ["V4"] * n_v4 + ["IT"] * n_it
    animals = ["Chabo", "Tito"]
    array = xr.DataArray(
        values,
        dims=("neuroid", "presentation", "time_bin"),
        coords={
            "neuroid_id": ("neuroid", [f"{animals[i % 2]}_L_M_{i // 10}_{i % 10}" for i in range(n_sites)]),
            "arr": ("neuroid", ["M" if i % 3 else "A" for i in range(n_sites)]),
            "col": ("neuroid", np.arange(n_sites) % 10),
            "row": ("neuroid", np.arange(n_sites) // 10),
            "hemisphere": ("neuroid", ["L"] * n_sites),
            "subregion": ("neuroid", [r if r == "V4" else ["cIT", "aIT", "pIT"][i % 3] for i, r in enumerate(regions)]),
            "animal": ("neuroid", [animals[i % 2] for i in range(n_sites)]),
            "y": ("neuroid", rng.uniform(0, 4, n_sites)),
            "x": ("neuroid", rng.uniform(0, 4, n_sites)),
            "region": ("neuroid", regions),
            "image_id": ("presentation", table["image_id"].to_numpy()[image_index_array]),
            "repetition": ("presentation", repetition_array),
            "stimulus": ("presentation", image_index_array),
            "time_bin_start": ("time_bin", [70]),
            "time_bin_end": ("time_bin", [170]),
        },
        name="dicarlo.MajajHong2015.public",
    )
    _write_netcdf(array, directory / MAJAJHONG2015_FILES[0])
    return {name: _described(directory / name) for name in MAJAJHONG2015_FILES}


def _aperture(pixels: np.ndarray) -> np.ndarray:
    """Grey (128) outside the central disc, as the aperture stimuli have."""
    side = pixels.shape[0]
    y, x = np.mgrid[:side, :side]
    outside = (x - side / 2 + 0.5) ** 2 + (y - side / 2 + 0.5) ** 2 > (0.45 * side) ** 2
    result = pixels.copy()
    result[outside] = 128
    return result


def write_freemanziemba2013_public(
    directory: str | Path,
    *,
    families: tuple[int, ...] = (13, 18, 23, 30),
    samples: int = 5,
    n_v1: int = 8,
    n_v2: int = 8,
    repetitions: int = 4,
    seed: int = 0,
) -> dict[str, SyntheticFile]:
    """Write a tiny ``FreemanZiemba2013.public`` assembly and its aperture stimulus set into ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    members: dict[str, bytes] = {}
    images: list[np.ndarray] = []
    for texture_type in ("noise", "texture"):
        for family in families:
            base = rng.uniform(0, 255, (8, 8, 1))
            for sample in range(1, samples + 1):
                pixels = _aperture(_smooth_image(rng, 320, 1, base if texture_type == "texture" else None)[:, :, 0])
                data = _png(pixels)
                file_sha1 = hashlib.sha1(data, usedforsecurity=False).hexdigest()
                filename = f"{texture_type}-320x320-im{family}-smp{sample}.png"
                members[filename] = data
                images.append(pixels)
                rows.append(
                    {
                        "id": len(rows),
                        "image_id": hashlib.sha1(f"aperture-{filename}".encode(), usedforsecurity=False).hexdigest(),
                        "image_file_sha1": file_sha1,
                        "image_file_name": filename,
                        "texture_type": texture_type,
                        "texture_family": family,
                        "sample": sample,
                        "resolution": "320x320",
                        "image_id_without_aperture": hashlib.sha1(filename.encode(), usedforsecurity=False).hexdigest(),
                        "filename": filename,
                    }
                )
    table = pd.DataFrame(rows)
    table.to_csv(directory / FREEMANZIEMBA2013_FILES[1], index=False)
    _write_zip(directory / FREEMANZIEMBA2013_FILES[2], members)

    features = _features(images)
    n_neurons = n_v1 + n_v2
    weights = rng.standard_normal((features.shape[1], n_neurons)) / np.sqrt(features.shape[1])
    rate = 0.04 * np.exp(0.5 * np.clip(features @ weights, -3, 3))  # spikes per ms, 50-200 ms after onset
    n_images = len(images)
    image_index = np.tile(np.arange(n_images), repetitions)
    repetition = np.repeat(np.arange(repetitions), n_images)
    time = np.arange(300)
    window = ((time >= 50) & (time < 200)).astype(float)[np.newaxis, :, np.newaxis]
    probability = 0.005 + window * rate[image_index].T[:, np.newaxis, :]  # (neuroid, time_bin, presentation)
    spikes = (rng.random(probability.shape) < probability).astype(np.float64)
    array = xr.DataArray(
        spikes,
        dims=("neuroid", "time_bin", "presentation"),
        coords={
            "neuroid_id": ("neuroid", np.arange(1, n_neurons + 1)),
            "region": ("neuroid", ["V1"] * n_v1 + ["V2"] * n_v2),
            "time_bin_start": ("time_bin", time),
            "time_bin_end": ("time_bin", time + 1),
            "image_id": ("presentation", table["image_id"].to_numpy()[image_index]),
            "repetition": ("presentation", repetition),
        },
        name="movshon.FreemanZiemba2013.public",
    )
    _write_netcdf(array, directory / FREEMANZIEMBA2013_FILES[0])
    return {name: _described(directory / name) for name in FREEMANZIEMBA2013_FILES}


#: which synthetic files make up each of Brain-Score's data identifiers
DATA_FILES: dict[str, tuple[str, ...]] = {
    "MajajHong2015.public": MAJAJHONG2015_FILES[:1],
    "hvm-public": MAJAJHONG2015_FILES[1:],
    "FreemanZiemba2013.public": FREEMANZIEMBA2013_FILES[:1],
    "FreemanZiemba2013.aperture-public": FREEMANZIEMBA2013_FILES[1:],
}


@contextlib.contextmanager
def synthetic_catalog(files: Mapping[str, SyntheticFile]) -> Iterator[None]:
    """Within the block, the data identifiers of :data:`DATA_FILES` whose files are all in ``files`` are registered
    with the synthetic files' SHA-1s and sizes instead of the real ones (point ``BRAINSCORE_DATA_MIRROR`` at their
    folder to serve them); the registry is restored afterwards."""
    from .fetching import brainio_file, register_remote_data, remote_data_registry

    remote_data_registry._prepare()  # the plugins' real entries first, so that they can be replaced
    snapshot = remote_data_registry.snapshot()
    try:
        for identifier, names in DATA_FILES.items():
            if all(name in files for name in names):
                if identifier in remote_data_registry:
                    del remote_data_registry[identifier]
                register_remote_data(
                    identifier,
                    [brainio_file(name, files[name].sha1, size=files[name].size) for name in names],
                    description=f"synthetic stand-in for {identifier}",
                )
        yield
    finally:
        remote_data_registry.restore(snapshot)


def grey_count_image(
    side: int, *, channels: int, grey_inside: int, grey_outside: int = 0, inner: int | None = None, seed: int = 0
) -> np.ndarray:
    """A ``side x side`` image (``channels`` 1 or 3, uint8) with exactly ``grey_inside`` pixels of grey 128 in the
    central ``inner x inner`` square and ``grey_outside`` outside it; every other pixel is not grey.

    Brain-Score pins the grey fraction of real images placed on screen (e.g. ``.25071`` for an hvm image shown at
    14 degrees); an image with the same size and grey pixel counts checks the same placement convention.
    """
    rng = np.random.default_rng(seed)
    inner = side if inner is None else inner
    start = round((side - inner) / 2)
    shape = (side, side) if channels == 1 else (side, side, channels)
    image = rng.integers(0, 256, shape, dtype=np.uint8)
    grey = image == 128 if channels == 1 else np.all(image == 128, axis=-1)
    image[grey] = 0  # no accidental grey
    central = np.zeros((side, side), dtype=bool)
    central[start : start + inner, start : start + inner] = True
    for mask, count in ((central, grey_inside), (~central, grey_outside)):
        positions = np.flatnonzero(mask.ravel())
        chosen = rng.choice(positions, size=count, replace=False)
        rows, columns = np.unravel_index(chosen, (side, side))
        image[rows, columns] = 128
    return image
