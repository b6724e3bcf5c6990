"""Cross-check whole standard benchmarks against Brain-Score 2.4.2's own benchmark classes (run on demand).

Same four steps as ``crosscheck_brainscore.py`` (which checks single metrics), each reading and writing one
directory:

    .venv/bin/python       benchmarks/crosscheck_benchmarks.py --write      /tmp/xb   # synthetic files + features
    .venv/bin/python       benchmarks/crosscheck_benchmarks.py --ours       /tmp/xb   # ours.json
    cd /tmp && /tmp/bsvenv/bin/python /path/to/benchmarks/crosscheck_benchmarks.py --brainscore /tmp/xb
    .venv/bin/python       benchmarks/crosscheck_benchmarks.py --compare    /tmp/xb   # the table

(run the Brain-Score step from a folder without a ``brainscore_core`` package in it: Brain-Score's own
``brainscore_core`` must be the one imported.)

``--write`` (the project's venv) writes synthetic data in the real BrainIO layout
(:mod:`brainscore_core.synthetic_brainio`: same file names, dims, levels, CSV columns, flat zips) and precomputed
model features for every stimulus (the images shrunk to 8 x 8 RGB, 192 features); also test images for the screen
placement check. ``--ours`` scores each benchmark with this project's registered benchmark, its files served by
``BRAINSCORE_DATA_MIRROR``. ``--brainscore`` (Brain-Score's venv, ``BS_INSTALL_DEPENDENCIES=no``) runs Brain-Score's
``load_benchmark(<id>)`` with its S3 download (``s3.fetch_file``) redirected to the same files -- everything else
(its data plugins' loaders, the stimulus-set merge, ``average_repetition``, the metric, the ceiling,
``explained_variance``) is its own code -- and a model returning the same features. Nothing of Brain-Score is copied
here. Brain-Score's pls is scikit-learn's NIPALS with ``tol=1e-6``: its raw scores differ from ours (NIPALS run to
convergence) by up to ~1e-4, so each benchmark is also rerun on Brain-Score's side with its ``pls`` metric built
with ``tol=1e-24`` (the ``[BS tol=1e-24]`` rows), which must agree to <= 1e-6.

The benchmark families are entries of :data:`FAMILIES` (a name -> :class:`Family` of the three step functions and
the table rows). Another family lives in its own module ``benchmarks/_crosscheck_<name>.py``, imported by this
script on start, which calls ``crosscheck_benchmarks.register_family(name, Family(...))`` (e.g. the behavioural
benchmarks).

Threads default to 1 (``OMP_NUM_THREADS`` etc.).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402

OURS, BRAINSCORE = "ours.json", "brainscore.json"
FEATURES = "features.npz"
FILES = "files"  # the synthetic BrainIO files (also the mirror folder)
SHRINK = 8  # features: each image shrunk to SHRINK x SHRINK RGB


@dataclass
class Family:
    """A benchmark family of the cross-check: the three step functions and the rows of the table.

    ``write(directory)`` (project venv), ``ours(directory) -> results``, ``brainscore(directory) -> results``;
    results map a key to ``{"value", "error", "splits"}`` (see :func:`result`). ``rows``: (label, key, note).
    """

    write: Callable[[Path], None]
    ours: Callable[[Path], dict[str, dict[str, Any]]]
    brainscore: Callable[[Path], dict[str, dict[str, Any]]]
    rows: list[tuple[str, str, str]] = field(default_factory=list)


FAMILIES: dict[str, Family] = {}


def register_family(name: str, family: Family) -> None:
    """Add a family of rows (its steps run in the order families were registered)."""
    FAMILIES[name] = family


def result(value: float, error: float = math.nan, splits: Any = None, **extra: Any) -> dict[str, Any]:
    """One measured quantity as JSON: value, error and optional per-split values (NaN as null)."""

    def clean(x: float) -> float | None:
        return None if x is None or (isinstance(x, float) and math.isnan(x)) else x

    payload: dict[str, Any] = {"value": clean(float(value)), "error": clean(float(error))}
    if splits is not None:
        payload["splits"] = [clean(float(v)) for v in np.ravel(splits)]
    payload.update(extra)
    return payload


def timed(results: dict[str, dict[str, Any]], key: str, compute: Callable[[], dict[str, Any]]) -> None:
    start = time.perf_counter()
    try:
        results[key] = compute()
    except Exception as error:  # noqa: BLE001 -- report and go on: one failure should not hide the other rows
        results[key] = {"failed": f"{type(error).__name__}: {error}"}
    results[key]["seconds"] = round(time.perf_counter() - start, 3)
    print(f"  {key:44s} {results[key].get('value', results[key].get('failed'))}  ({results[key]['seconds']} s)")


# ----------------------------------------------------------------------------------------------------------
# neural: MajajHong2015public V4/IT, FreemanZiemba2013public V1/V2
# ----------------------------------------------------------------------------------------------------------
NEURAL = {
    # our identifier: (Brain-Score's registry identifier, model visual degrees = the benchmark's)
    "MajajHong2015public.V4-pls": ("MajajHong2015public.V4-pls", 8),
    "MajajHong2015public.IT-pls": ("MajajHong2015public.IT-pls", 8),
    "FreemanZiemba2013public.V1-pls": ("FreemanZiemba2013public.V1-pls", 4),
    "FreemanZiemba2013public.V2-pls": ("FreemanZiemba2013public.V2-pls", 4),
}
STIMULUS_SETS = {"hvm-public": "stimulus_hvm-public", "FreemanZiemba2013.aperture-public": None}


def neural_write(directory: Path) -> None:
    from brainscore_core.brainio import load_stimulus_set
    from brainscore_core.config import configure
    from brainscore_core.synthetic_brainio import (
        FREEMANZIEMBA2013_FILES,
        MAJAJHONG2015_FILES,
        write_freemanziemba2013_public,
        write_majajhong2015_public,
    )
    from brainscore_core.testing import shrunk_pixels

    files = {**write_majajhong2015_public(directory / FILES), **write_freemanziemba2013_public(directory / FILES)}
    catalog = {name: {"sha1": f.sha1, "size": f.size} for name, f in files.items()}
    (directory / "catalog.json").write_text(json.dumps(catalog, indent=1))
    arrays: dict[str, np.ndarray] = {}
    with configure(cache_dir=directory / "write_home", cache_enabled=True):
        for key, (csv, archive) in {"hvm": MAJAJHONG2015_FILES[1:], "fz": FREEMANZIEMBA2013_FILES[1:]}.items():
            stimuli = load_stimulus_set(directory / FILES / csv, directory / FILES / archive)
            arrays[f"{key}_stimulus_id"] = np.asarray(stimuli.stimulus_ids)
            arrays[f"{key}_features"] = shrunk_pixels(stimuli, SHRINK)
    np.savez(directory / FEATURES, **arrays)
    print(f"wrote {len(files)} synthetic files to {directory / FILES} and features to {directory / FEATURES}")


def _features(directory: Path) -> dict[str, np.ndarray]:
    """stimulus id -> feature vector, for every stimulus of every synthetic stimulus set."""
    with np.load(directory / FEATURES, allow_pickle=False) as archive:
        table: dict[str, np.ndarray] = {}
        for key in ("hvm", "fz"):
            for stimulus_id, row in zip(archive[f"{key}_stimulus_id"], archive[f"{key}_features"], strict=True):
                table[str(stimulus_id)] = row
    return table


def neural_ours(directory: Path) -> dict[str, dict[str, Any]]:
    from brainscore_core import load_benchmark, neuroid_assembly
    from brainscore_core.brain_model import BrainModel
    from brainscore_core.config import configure
    from brainscore_core.synthetic_brainio import SyntheticFile, synthetic_catalog

    features = _features(directory)
    catalog = json.loads((directory / "catalog.json").read_text())
    files = {n: SyntheticFile(n, directory / FILES / n, c["sha1"], c["size"]) for n, c in catalog.items()}

    class Precomputed(BrainModel):
        identifier = "precomputed"

        def __init__(self, degrees: float) -> None:
            self.degrees = degrees

        def visual_degrees(self) -> float:
            return self.degrees

        def start_recording(self, region: str, time_bins: Any = None) -> None:
            pass

        def start_task(self, task: Any, fitting_stimuli: Any = None) -> None:
            pass

        def look_at(self, stimuli: Any, number_of_trials: int = 1) -> Any:
            values = np.stack([features[s] for s in stimuli.stimulus_ids])
            return neuroid_assembly(
                values, stimulus_id=stimuli.stimulus_ids, neuroid_id=[f"f{i}" for i in range(values.shape[1])]
            )

    os.environ["BRAINSCORE_DATA_MIRROR"] = str(directory / FILES)
    os.environ["BRAINIO_HOME"] = str(directory / "no-brainio")
    results: dict[str, dict[str, Any]] = {}
    home = directory / "ours_home"
    shutil.rmtree(home, ignore_errors=True)
    with configure(cache_dir=home, cache_enabled=True, progress=False), synthetic_catalog(files):
        for identifier, (_, degrees) in NEURAL.items():

            def run(identifier: str = identifier, degrees: float = degrees) -> dict[str, Any]:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    benchmark = load_benchmark(identifier)
                    score = benchmark(Precomputed(degrees))
                splits = score.details["split"].values
                results[f"{identifier}:ceiling"] = result(score.ceiling, score.attrs["ceiling_error"])
                results[f"{identifier}:raw"] = result(score.raw, score.raw_error, splits)
                results[f"{identifier}:score"] = result(float(score), math.nan)
                return result(float(score), identifier=benchmark.identifier, version=benchmark.version)

            timed(results, identifier, run)
    return results


def neural_brainscore(directory: Path) -> dict[str, dict[str, Any]]:
    os.environ.setdefault("BS_INSTALL_DEPENDENCIES", "no")
    os.environ.setdefault("TQDM_DISABLE", "1")
    os.environ["BRAINSCORE_HOME"] = str(directory / "bs_home")
    os.environ["RESULTCACHING_HOME"] = str(directory / "bs_result_caching")
    os.environ["RESULTCACHING_DISABLE"] = "1"
    os.environ["BRAINIO_HOME"] = str(directory / "bs_brainio")
    import importlib

    from brainscore_core.supported_data_standards.brainio.assemblies import NeuroidAssembly
    from brainscore_vision import load_benchmark
    from brainscore_vision.model_interface import BrainModel

    from brainscore_core.supported_data_standards.brainio import s3

    features = _features(directory)
    work = directory / "bs_files"  # Brain-Score unzips next to the zip: give it its own copy
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(directory / FILES, work)
    requested: dict[str, dict[str, str]] = {}

    def local_file(location_type: str, location: str, version_id: str, sha1: str) -> str:
        name = location.rsplit("/", 1)[-1]
        requested[name] = {"location": location, "version_id": str(version_id), "sha1": sha1}
        path = work / name
        if not path.is_file():
            raise FileNotFoundError(f"Brain-Score asked for {location}; the synthetic files have no {name}")
        return str(path)

    s3.fetch_file = local_file

    class Precomputed(BrainModel):
        def __init__(self, degrees: float) -> None:
            self.degrees = degrees

        def visual_degrees(self) -> float:
            return self.degrees

        def start_recording(self, recording_target: Any, time_bins: Any = None) -> None:
            self.time_bins = time_bins

        def start_task(self, task: Any, fitting_stimuli: Any = None) -> None:
            pass

        def look_at(self, stimuli: Any, number_of_trials: int = 1) -> Any:
            ids = list(stimuli["stimulus_id"].values)
            values = np.stack([features[str(s)] for s in ids])
            coords = {column: ("presentation", stimuli[column].values) for column in stimuli.columns}
            coords.update(
                neuroid_id=("neuroid", [f"f{i}" for i in range(values.shape[1])]),
                region=("neuroid", ["model"] * values.shape[1]),
            )
            return NeuroidAssembly(values, coords=coords, dims=["presentation", "neuroid"])

    def tight_pls() -> None:
        # Brain-Score's own pls with scikit-learn's NIPALS run to convergence (the [BS tol=1e-24] rows)
        from brainscore_vision import metric_registry
        from brainscore_vision.metrics.regression_correlation.metric import (
            CrossRegressedCorrelation,
            pearsonr_correlation,
            pls_regression,
        )

        importlib.import_module("brainscore_vision.metrics.regression_correlation")  # registers its 'pls'
        metric_registry["pls"] = lambda *args, **kwargs: CrossRegressedCorrelation(
            *args,
            regression=pls_regression(regression_kwargs=dict(tol=1e-24, max_iter=100_000)),
            correlation=pearsonr_correlation(),
            **kwargs,
        )

    results: dict[str, dict[str, Any]] = {}
    warnings.filterwarnings("ignore")
    for variant in ("", "[tol=1e-24]"):
        if variant:
            tight_pls()
        for identifier, (theirs, degrees) in NEURAL.items():

            def run(theirs: str = theirs, degrees: float = degrees, key: str = identifier + variant) -> dict:
                benchmark = load_benchmark(theirs)
                score = benchmark(Precomputed(degrees))
                raw, ceiling = score.attrs["raw"], score.attrs["ceiling"]
                splits = raw.attrs["raw"].median("neuroid").values
                results[f"{key}:ceiling"] = result(ceiling.item(), float(ceiling.attrs["error"]))
                results[f"{key}:raw"] = result(raw.item(), float(raw.attrs["error"]), splits)
                results[f"{key}:score"] = result(score.item(), math.nan)
                return result(0.0, identifier=benchmark.identifier, version=benchmark.version)

            timed(results, identifier + variant, run)
    results["requested files"] = {"files": requested}
    return results


def _neural_rows() -> list[tuple[str, str, str]]:
    rows = []
    for identifier in NEURAL:
        for quantity in ("ceiling", "raw", "score"):
            rows.append((f"{identifier} {quantity}", f"{identifier}:{quantity}", ""))
        for quantity in ("raw", "score"):
            rows.append(
                (f"{identifier} {quantity} [BS tol=1e-24]", f"{identifier}:{quantity}|tol", "BS pls NIPALS converged")
            )
    return rows


register_family("neural", Family(neural_write, neural_ours, neural_brainscore, _neural_rows()))


# ----------------------------------------------------------------------------------------------------------
# screen: stimuli placed at the model's visual degrees (ours vs Brain-Score's place_on_screen)
# ----------------------------------------------------------------------------------------------------------
SCREEN = "screen"
# image file, source degrees, target degrees
SCREEN_CASES = [
    ("hvm_like.png", 8, 14),
    ("hvm_like.png", 8, 6),
    ("hvm_like.png", 8, 4),
    ("fz_like.png", 4, 14),
    ("fz_like.png", 4, 6),
    ("odd_rgb.png", 8, 4),
    ("odd_rgb.png", 8, 14),
    ("odd_rgb.png", 11.2, 8),
    ("odd_grey.png", 11.2, 8),
    ("odd_grey.png", 8, 14),
]


def screen_write(directory: Path) -> None:
    from PIL import Image

    from brainscore_core.synthetic_brainio import grey_count_image

    folder = directory / SCREEN
    folder.mkdir(parents=True, exist_ok=True)
    # the sizes and grey counts of the images Brain-Score pins grey fractions for (see tests/standard)
    Image.fromarray(grey_count_image(256, channels=3, grey_inside=509, grey_outside=15279, inner=192)).save(
        folder / "hvm_like.png"
    )
    Image.fromarray(grey_count_image(320, channels=1, grey_inside=31756)).save(folder / "fz_like.png")
    rng = np.random.default_rng(3)
    Image.fromarray(rng.integers(0, 256, (113, 151, 3), dtype=np.uint8)).save(folder / "odd_rgb.png")
    Image.fromarray(rng.integers(0, 256, (97, 131), dtype=np.uint8)).save(folder / "odd_grey.png")


def _screen_result(pixels: np.ndarray) -> dict[str, Any]:
    import hashlib

    grey = float(np.all(pixels == 128, axis=-1).sum() / pixels.size)
    digest = hashlib.sha256(np.ascontiguousarray(pixels).tobytes()).hexdigest()
    return result(grey, pixels=f"{pixels.shape}:{digest}")


def screen_ours(directory: Path) -> dict[str, dict[str, Any]]:
    from PIL import Image

    from brainscore_core.activations import place_on_screen
    from brainscore_core.stimuli import rgb_image

    results: dict[str, dict[str, Any]] = {}
    for name, source, target in SCREEN_CASES:

        def run(name: str = name, source: float = source, target: float = target) -> dict[str, Any]:
            with Image.open(directory / SCREEN / name) as image:
                placed = place_on_screen(rgb_image(image), source, target)
            return _screen_result(np.asarray(placed))

        timed(results, f"screen:{name}:{source}->{target}", run)
    return results


def screen_brainscore(directory: Path) -> dict[str, dict[str, Any]]:
    os.environ["RESULTCACHING_DISABLE"] = "1"
    os.environ.setdefault("BRAINSCORE_HOME", str(directory / "bs_home"))
    import pandas as pd
    from brainscore_core.supported_data_standards.brainio.stimuli import StimulusSet
    from brainscore_vision.benchmark_helpers.screen import place_on_screen
    from PIL import Image

    results: dict[str, dict[str, Any]] = {}
    for name, source, target in SCREEN_CASES:

        def run(name: str = name, source: float = source, target: float = target) -> dict[str, Any]:
            stimuli = StimulusSet(pd.DataFrame({"stimulus_id": [name.split(".")[0]]}))
            stimuli.stimulus_paths = {name.split(".")[0]: str(directory / SCREEN / name)}
            stimuli.identifier = f"crosscheck-{name}"
            placed = place_on_screen(stimuli, target_visual_degrees=target, source_visual_degrees=source)
            with Image.open(placed.get_stimulus(name.split(".")[0])) as image:
                return _screen_result(np.asarray(image.convert("RGB")))  # as its models load images

        timed(results, f"screen:{name}:{source}->{target}", run)
    return results


register_family(
    "screen",
    Family(
        screen_write,
        screen_ours,
        screen_brainscore,
        [(f"screen {n} {s} -> {t} deg (grey fraction)", f"screen:{n}:{s}->{t}", "") for n, s, t in SCREEN_CASES],
    ),
)


# ----------------------------------------------------------------------------------------------------------
# the four steps
# ----------------------------------------------------------------------------------------------------------
def _versions(kind: str) -> dict[str, str]:
    import importlib.metadata

    import scipy
    import sklearn
    import xarray as xr

    names = ["brainscore-vision", "brainscore-core"] if kind == "brainscore" else ["pytest-brainscore"]
    versions = {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__}
    versions.update({"scikit-learn": sklearn.__version__, "xarray": xr.__version__})
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "?"
    return versions


def run_side(directory: Path, kind: str) -> None:
    results: dict[str, dict[str, Any]] = {}
    for name, family in FAMILIES.items():
        print(f"{kind}: {name}")
        results.update((family.ours if kind == "ours" else family.brainscore)(directory))
    payload = {"side": kind, "versions": _versions(kind), "results": results}
    target = directory / (OURS if kind == "ours" else BRAINSCORE)
    target.write_text(json.dumps(payload, indent=1))
    print(f"wrote {target}")


def _max_difference(a: Any, b: Any) -> float | None:
    if a is None or b is None:
        return None
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if x.shape != y.shape:
        return math.inf
    return float(np.nanmax(np.abs(x - y))) if x.size else None


def compare(directory: Path) -> list[tuple[str, float | None, float | None, float | None, float | None, str]]:
    ours = json.loads((directory / OURS).read_text())
    theirs = json.loads((directory / BRAINSCORE).read_text())
    print("ours:       ", ", ".join(f"{k} {v}" for k, v in ours["versions"].items()))
    print("Brain-Score:", ", ".join(f"{k} {v}" for k, v in theirs["versions"].items()))
    header = f"{'row':58s} {'ours':>14s} {'Brain-Score':>14s} {'|diff|':>8s} {'err diff':>8s} {'split max':>9s}  note"
    print(header)
    print("-" * len(header))
    table = []
    for family in FAMILIES.values():
        for label, key, note in family.rows:
            our_key = key.replace("|tol", "")
            their_key = key.replace(":", "[tol=1e-24]:") if key.endswith("|tol") else key
            their_key = their_key.replace("|tol", "")
            a, b = ours["results"].get(our_key, {}), theirs["results"].get(their_key, {})
            if "value" not in a or "value" not in b:
                print(f"{label:58s} FAILED or missing: {a.get('failed') or b.get('failed') or 'missing'}")
                table.append((label, None, None, None, None, "FAILED"))
                continue
            va, vb = a["value"], b["value"]
            diff = None if va is None or vb is None else abs(va - vb)
            ea, eb = a.get("error"), b.get("error")
            error_diff = None if ea is None or eb is None else abs(ea - eb)
            split_diff = _max_difference(a.get("splits"), b.get("splits"))
            if "pixels" in a or "pixels" in b:
                note = "pixels identical" if a.get("pixels") == b.get("pixels") else "PIXELS DIFFER"

            def small(x: float | None) -> str:
                return "-" if x is None else f"{x:.1e}"

            print(
                f"{label:58s} {va:14.10f} {vb:14.10f} {small(diff):>8s} {small(error_diff):>8s} "
                f"{small(split_diff):>9s}  {note}"
            )
            table.append((label, va, vb, diff, split_diff, note))
    requested = theirs["results"].get("requested files", {}).get("files", {})
    if requested:
        _compare_catalog(requested)
    return table


def _compare_catalog(requested: dict[str, dict[str, str]]) -> None:
    """Brain-Score's own requests (URL, version id, SHA-1) against our registered catalog entries."""
    from brainscore_core.fetching import remote_data_registry

    ours = {}
    for identifier in remote_data_registry:
        for file in remote_data_registry.load(identifier).files:
            ours[file.name] = file
    print("catalog: Brain-Score's request vs our entry")
    for name, request in sorted(requested.items()):
        mine = ours.get(name)
        if mine is None:
            print(f"  {name}: not in our catalog")
            continue
        expected = f"{request['location']}?versionId={request['version_id']}"
        same = (mine.url == expected, mine.sha1 == request["sha1"])
        print(
            f"  {name}: url {'same' if same[0] else f'DIFFERS ({mine.url} vs {expected})'}, sha1 "
            f"{'same' if same[1] else 'DIFFERS'}"
        )


# ----------------------------------------------------------------------------------------------------------
# memory: peak memory of the neural benchmarks on synthetic files of the real files' shape
# ----------------------------------------------------------------------------------------------------------
REAL_SHAPE = "real_shape"


def _write_freemanziemba_values(path: Path, image_ids: np.ndarray, repetitions: int, n_v1: int, n_v2: int) -> None:
    """The FreemanZiemba2013 public assembly at its real shape (neuroid x 300 one-ms bins x presentation, float64
    0/1 spikes; 1.3 GB for 205 x 300 x 2700), written one block of presentations at a time, in the layout
    xarray's writer produces (levels as variables listed in the data variable's ``coordinates``)."""
    import h5netcdf
    import h5py

    rng = np.random.default_rng(0)
    n_neurons, n_presentations = n_v1 + n_v2, len(image_ids) * repetitions
    coords = {
        "neuroid_id": ("neuroid", np.arange(1, n_neurons + 1)),
        "region": ("neuroid", np.array(["V1"] * n_v1 + ["V2"] * n_v2, dtype=object)),
        "time_bin_start": ("time_bin", np.arange(300)),
        "time_bin_end": ("time_bin", np.arange(1, 301)),
        "image_id": ("presentation", np.tile(image_ids, repetitions).astype(object)),
        "repetition": ("presentation", np.repeat(np.arange(repetitions), len(image_ids))),
    }
    with h5netcdf.File(path, "w") as handle:
        handle.dimensions = {"neuroid": n_neurons, "time_bin": 300, "presentation": n_presentations}
        for name, (dim, values) in coords.items():
            kind = h5py.string_dtype() if values.dtype == object else values.dtype
            handle.create_variable(name, (dim,), dtype=kind, data=values)
        data = handle.create_variable(
            "movshon.FreemanZiemba2013.public", ("neuroid", "time_bin", "presentation"), dtype="f8", fillvalue=np.nan
        )
        data.attrs["coordinates"] = " ".join(coords)
        for start in range(0, n_presentations, 100):
            stop = min(start + 100, n_presentations)
            data[:, :, start:stop] = (rng.random((n_neurons, 300, stop - start)) < 0.02).astype(np.float64)


def memory_write(directory: Path) -> None:
    """Synthetic MajajHong2015 and FreemanZiemba2013 public files of the real files' shape."""
    from brainscore_core.synthetic_brainio import write_freemanziemba2013_public, write_majajhong2015_public

    folder = directory / REAL_SHAPE
    files = write_majajhong2015_public(
        folder, n_objects=64, images_per_object=50, n_v4=88, n_it=168, repetitions=(44, 49)
    )
    small = write_freemanziemba2013_public(
        folder, families=tuple(range(17)), samples=4, n_v1=102, n_v2=103, repetitions=1
    )
    import pandas as pd

    image_ids = pd.read_csv(small["stimulus_FreemanZiemba2013_aperture-public.csv"].path)["image_id"].to_numpy()
    nc = small["assy_movshon_FreemanZiemba2013_public.nc"].path
    _write_freemanziemba_values(nc, image_ids, repetitions=20, n_v1=102, n_v2=103)
    from brainscore_core.synthetic_brainio import _described

    files.update({name: _described(f.path) for name, f in small.items()})
    catalog = {name: {"sha1": f.sha1, "size": f.size} for name, f in files.items()}
    (folder / "catalog.json").write_text(json.dumps(catalog, indent=1))
    for name, entry in catalog.items():
        print(f"  {name}: {entry['size'] / 2**20:.1f} MiB")


def memory_run(directory: Path, identifier: str) -> None:
    """In a fresh process: peak resident memory after building, loading the region, the ceiling and a score."""
    import resource

    from brainscore_core import load_benchmark
    from brainscore_core.config import configure
    from brainscore_core.synthetic_brainio import SyntheticFile, synthetic_catalog
    from brainscore_core.testing import ShrunkPixelsModel

    folder = directory / REAL_SHAPE
    catalog = json.loads((folder / "catalog.json").read_text())
    files = {n: SyntheticFile(n, folder / n, c["sha1"], c["size"]) for n, c in catalog.items()}
    os.environ["BRAINSCORE_DATA_MIRROR"] = str(folder)
    os.environ["BRAINIO_HOME"] = str(directory / "no-brainio")

    def peak() -> float:
        """This process's peak resident memory in MiB (VmHWM: since exec; ru_maxrss would include the parent's)."""
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    stages = {"imports": peak()}
    with configure(cache_dir=directory / "memory_home", cache_enabled=False, progress=False), synthetic_catalog(files):
        from brainscore_core.fetching import fetch

        for data in (
            "MajajHong2015.public",
            "hvm-public",
            "FreemanZiemba2013.public",
            "FreemanZiemba2013.aperture-public",
        ):
            fetch(data)  # copied into the data cache once (not part of a benchmark's memory)
        stages["fetched"] = peak()
        benchmark = load_benchmark(identifier)
        start = time.perf_counter()
        assembly = benchmark.assembly
        stages["region loaded"] = peak()
        ceiling = benchmark.ceiling
        stages["ceiling"] = peak()
        score = benchmark(ShrunkPixelsModel(size=8, regions=("V1", "V2", "V4", "IT")))
        stages["scored"] = peak()
    shape = dict(assembly.sizes)
    print(
        json.dumps(
            {
                "benchmark": identifier,
                "shape": shape,
                "nbytes": assembly.nbytes,
                "ceiling": float(ceiling),
                "score": float(score),
                "seconds": round(time.perf_counter() - start, 1),
                "peak_mib": {k: round(v) for k, v in stages.items()},
            }
        )
    )


def memory(directory: Path) -> None:
    import subprocess

    if not (directory / REAL_SHAPE / "catalog.json").is_file():
        memory_write(directory)
    for identifier in NEURAL:
        subprocess.run([sys.executable, __file__, "--memory-run", str(directory), identifier], check=True)


def _load_other_families() -> None:
    """Import ``benchmarks/_crosscheck_*.py``: each registers its family here (this script is importable as
    ``crosscheck_benchmarks`` also when it runs as ``__main__``, so they share one :data:`FAMILIES`)."""
    import importlib

    sys.modules.setdefault("crosscheck_benchmarks", sys.modules[__name__])
    folder = str(Path(__file__).resolve().parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    for path in sorted(Path(folder).glob("_crosscheck_*.py")):
        importlib.import_module(path.stem)


def main(argv: list[str] | None = None) -> None:
    _load_other_families()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", metavar="DIR", type=Path, help="write the inputs (project venv)")
    group.add_argument("--ours", metavar="DIR", type=Path, help="run our benchmarks (project venv)")
    group.add_argument("--brainscore", metavar="DIR", type=Path, help="run Brain-Score's benchmarks (its venv)")
    group.add_argument("--compare", metavar="DIR", type=Path, help="print the comparison table")
    group.add_argument("--memory", metavar="DIR", type=Path, help="peak memory on files of the real shape")
    group.add_argument("--memory-run", nargs=2, metavar=("DIR", "ID"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.write:
        args.write.mkdir(parents=True, exist_ok=True)
        for family in FAMILIES.values():
            family.write(args.write.resolve())
    elif args.ours:
        run_side(args.ours.resolve(), "ours")
    elif args.brainscore:
        run_side(args.brainscore.resolve(), "brainscore")
    elif args.memory:
        memory(args.memory.resolve())
    elif args.memory_run:
        memory_run(Path(args.memory_run[0]).resolve(), args.memory_run[1])
    else:
        compare(args.compare.resolve())


if __name__ == "__main__":
    main()
