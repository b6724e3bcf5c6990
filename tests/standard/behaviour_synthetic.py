"""Tiny synthetic stand-ins for Brain-Score's public behavioural files, in their real BrainIO layout.

Same file names, netCDF layout (one data variable named after the assembly, presentation levels as plain 1-D
variables, no dimension variable: BrainIO's legacy writer), coordinate names, CSV columns and flat zip of PNGs as
the real files (research notes §6.3, §7.2); small, with human answers that depend on the image so that patterns
and ceilings are meaningful. Each writer returns ``{file name: (path, sha1)}`` for a test catalog.

- :func:`write_rajalingham2018_public`: ``assy_dicarlo_Rajalingham2018_public.nc`` and
  ``stimulus_objectome_public.csv`` / ``.zip`` (24 objects in the real data; here ``objects``).
- :func:`write_geirhos2021`: ``assy_brendel_Geirhos2021_<name>.nc`` and ``stimulus_Geirhos2021_<name>.csv`` /
  ``.zip`` (16 classes, conditions as strings or numbers, 4 subjects who each see every image once).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

__all__ = ["GEIRHOS_CLASSES", "write_geirhos2021", "write_rajalingham2018_public"]

GEIRHOS_CLASSES = (
    "airplane", "bear", "bicycle", "bird", "boat", "bottle", "car", "cat", "chair", "clock", "dog", "elephant",
    "keyboard", "knife", "oven", "truck",
)  # fmt: skip
OBJECTS = ("bear", "ELEPHANT_M", "face0001", "alfa155", "breed_pug", "TURTLE_L", "Apple_Fruit_obj", "f16")


def _sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes(), usedforsecurity=False).hexdigest()


def _png(pixels: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def _image(rng: np.random.Generator, colour: np.ndarray, size: int = 32) -> np.ndarray:
    noise = rng.normal(0, 40, size=(size, size, 3))
    return np.clip(colour[None, None, :] + noise, 0, 255).astype(np.uint8)


def _write_files(
    folder: Path,
    assembly: xr.DataArray,
    table: pd.DataFrame,
    images: dict[str, bytes],
    stem: str,
    assy: str,
    compressed: bool = False,
) -> dict[str, tuple[Path, str]]:
    folder.mkdir(parents=True, exist_ok=True)
    nc, csv, archive = folder / f"assy_{assy}.nc", folder / f"stimulus_{stem}.csv", folder / f"stimulus_{stem}.zip"
    if compressed:  # BrainIO's newer writer: data variable "data", zlib level 9, the identifier as a global attr
        dataset = assembly.to_dataset(name="data", promote_attrs=True)
        dataset.attrs["stimulus_set_identifier"] = stem
        dataset.to_netcdf(nc, engine="h5netcdf", encoding={"data": {"zlib": True, "complevel": 9}})
    else:
        assembly.to_netcdf(nc, engine="h5netcdf")  # legacy writer: data variable named after the assembly
    table.to_csv(csv, index=False)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as store:
        for name, data in images.items():
            store.writestr(zipfile.ZipInfo(name, date_time=(2020, 7, 28, 0, 0, 0)), data)
    return {path.name: (path, _sha1(path)) for path in (nc, csv, archive)}


def write_rajalingham2018_public(
    folder: Path, *, objects: int = 6, images_per_object: int = 8, offers: int = 10, seed: int = 0
) -> dict[str, tuple[Path, str]]:
    """Match-to-sample trials: each image shown ``offers`` times with each other object as the distractor;
    P(correct) = logistic(image ease + pair ease), so patterns repeat across halves of the trials."""
    rng = np.random.default_rng(seed)
    names = (*OBJECTS, *(f"object{i:02d}" for i in range(len(OBJECTS), objects)))[:objects]
    colours = rng.uniform(40, 215, size=(objects, 3))
    rows, images, trials = [], {}, []
    pair_ease = rng.normal(1.0, 0.8, size=(objects, objects))
    for o, name in enumerate(names):
        for k in range(images_per_object):
            image_id = hashlib.sha1(f"{name}-{k}".encode(), usedforsecurity=False).hexdigest()
            ease = rng.normal(0, 1.0)
            images[f"{image_id}.png"] = _png(_image(rng, colours[o] + 30 * ease))
            rows.append({"id": len(rows), "image_id": image_id, "image_label": name, "image_sample_obj": name,
                         "filename": f"{image_id}.png"})  # fmt: skip
            for d, distractor in enumerate(names):
                if d == o:
                    continue
                p_correct = 1 / (1 + np.exp(-(ease + pair_ease[o, d])))
                for _ in range(offers):
                    chosen = name if rng.random() < p_correct else distractor
                    trials.append((image_id, name, distractor, chosen))
    order = rng.permutation(len(trials))
    image_id, sample, dist, choice = (np.array([trials[i][j] for i in order], dtype=object) for j in range(4))
    n = len(order)
    assembly = xr.DataArray(
        choice,
        dims=("presentation",),
        coords={
            "sample_obj": ("presentation", sample),
            "dist_obj": ("presentation", dist),
            "choice": ("presentation", choice),
            "image_id": ("presentation", image_id),
            "WorkerID": ("presentation", np.array([f"W{i % 37:03d}" for i in range(n)], dtype=object)),
            "AssignmentID": ("presentation", np.array([f"A{i // 50:05d}" for i in range(n)], dtype=object)),
            "truth": ("presentation", sample),
        },
        name="dicarlo.Rajalingham2018.public",
    )
    return _write_files(
        Path(folder), assembly, pd.DataFrame(rows), images, "objectome_public", "dicarlo_Rajalingham2018_public"
    )


def write_geirhos2021(
    folder: Path,
    name: str = "colour",
    *,
    conditions: tuple[object, ...] = ("cr", "bw"),
    images_per_class: int = 2,
    subjects: int = 4,
    seed: int = 0,
    compressed: bool = False,
) -> dict[str, tuple[Path, str]]:
    """16-way trials: every subject sees every image once; P(correct) depends on the image and the condition.
    ``compressed`` writes the assembly with BrainIO's newer writer (whether Brain-Score's Geirhos files use it is
    not known), else with the legacy one."""
    rng = np.random.default_rng(seed)
    colours = rng.uniform(40, 215, size=(len(GEIRHOS_CLASSES), 3))
    rows, images = [], {}
    for c, condition in enumerate(conditions):
        for t, truth in enumerate(GEIRHOS_CLASSES):
            for k in range(images_per_class):
                number = len(rows) + 1
                image_id = f"{number:04d}_{name[:3]}_{condition}_{truth}_{k:02d}"
                images[f"{image_id}.png"] = _png(_image(rng, colours[t]))
                rows.append({
                    "image_id": image_id, "image_id_long": f"{image_id}_long", "image_number": number,
                    "experiment_code": name, "condition": condition, "truth": truth, "category_ground_truth": truth,
                    "random_number": int(rng.integers(1000)), "wordnet_a": "n00000000", "wordnet_b": "n00000001",
                    "filename": f"{image_id}.png", "ease": rng.normal(0.5 + 0.8 * c, 1.0),
                })  # fmt: skip
    table = pd.DataFrame(rows)
    trials = []
    for s in range(subjects):
        subject = f"subject-{s + 1:02d}"
        for trial, row in enumerate(table.sample(frac=1, random_state=seed + s).itertuples(), start=1):
            correct = rng.random() < 1 / (1 + np.exp(-row.ease))
            wrong = [c for c in GEIRHOS_CLASSES if c != row.truth]
            answer = row.truth if correct else wrong[int(rng.integers(len(wrong)))]
            trials.append((row.image_id, row.image_id_long, row.truth, answer, row.condition, trial, subject))
    columns = list(zip(*trials, strict=True))
    n = len(trials)
    assembly = xr.DataArray(
        np.array(columns[3], dtype=object),
        dims=("presentation",),
        coords={
            "image_id": ("presentation", np.array(columns[0], dtype=object)),
            "image_id_long": ("presentation", np.array(columns[1], dtype=object)),
            "truth": ("presentation", np.array(columns[2], dtype=object)),
            "choice": ("presentation", np.array(columns[3], dtype=object)),
            "category": ("presentation", np.array(columns[2], dtype=object)),
            "condition": ("presentation", np.array(columns[4])),
            "response_time": ("presentation", rng.uniform(0.3, 1.2, size=n)),
            "trial": ("presentation", np.array(columns[5])),
            "subject": ("presentation", np.array(columns[6], dtype=object)),
            "session": ("presentation", np.ones(n, dtype=int)),
        },
        name=f"brendel.Geirhos2021_{name}",
    )
    table = table.drop(columns=["ease"])
    stem, assy = f"Geirhos2021_{name}", f"brendel_Geirhos2021_{name}"
    return _write_files(Path(folder), assembly, table, images, stem, assy, compressed)
