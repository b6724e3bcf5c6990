"""Cross-check our behavioural standard benchmarks against Brain-Score 2.4.2's own benchmark classes (on demand).

Same four steps as ``crosscheck_brainscore.py`` (Brain-Score needs numpy 1, so it runs in its own venv), each
reading and writing files in one directory:

    .venv/bin/python          benchmarks/crosscheck_behaviour_benchmarks.py --write      /tmp/xbeh  # files, outputs
    .venv/bin/python          benchmarks/crosscheck_behaviour_benchmarks.py --ours       /tmp/xbeh  # ours.json
    /tmp/bsvenv/bin/python    benchmarks/crosscheck_behaviour_benchmarks.py --brainscore /tmp/xbeh  # brainscore.json
    .venv/bin/python          benchmarks/crosscheck_behaviour_benchmarks.py --compare    /tmp/xbeh  # the table

``--write`` (project venv) writes BrainIO files in the real layout (same file names, netCDF layout, coords, CSV
columns, flat zips; ``tests/standard/behaviour_synthetic.py``) into ``DIR/files``: synthetic
``Rajalingham2018.public`` + ``objectome.public``, synthetic ``Geirhos2021_colour`` (conditions ``cr``, ``bw``;
Brain-Score excludes ``cr``) and ``Geirhos2021_high-pass`` (float conditions incl. ``inf``; four excluded), and
the **real** ``Geirhos2021_cue-conflict`` trials this project ships (10 observers, 12,800 trials; written from
our offline loader with the 1280 shipped images). It also writes the model outputs both sides replay: choice
probabilities of a small fixed model (shrunk pixels + logistic regression fitted on the fitting stimuli) for
Rajalingham, a partly observer-like model for the synthetic Geirhos sets (subject-01's answer, the true class
and a wrong class on every third image each), and ResNet-50's published decisions (from the authors' files)
for cue-conflict.

``--ours`` scores our registered benchmarks with a replaying BrainModel, the files served through
``BRAINSCORE_DATA_MIRROR`` (with a catalog of the written files' SHA-1s), cue-conflict from the shipped data.
``--brainscore`` runs Brain-Score's own ``load_benchmark(...)`` objects (``BS_INSTALL_DEPENDENCIES=no``,
``RESULTCACHING_DISABLE=1``) with its data loaders pointed at the same files (its S3 path function
``brainio.s3.get_path`` is replaced by a lookup in ``DIR/files``; everything after that, loading, merging,
condition exclusion, metric, ceiling and ceiling normalisation, is Brain-Score's) and a fake BrainModel returning
the same outputs with the stimulus-set columns on ``presentation``, as Brain-Score's models do. It also records
the URL (bucket, key, ``versionId``) and SHA-1 its data plugins request for the 17 Geirhos2021 data sets and
Rajalingham2018 public; ``--compare`` checks them against our catalog. Nothing of Brain-Score is copied here.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OURS, BRAINSCORE, OUTPUTS, CATALOG = "ours.json", "brainscore.json", "outputs.json", "catalog.json"

#: (row label, benchmark identifier, data set, note)
ROWS = [
    ("Rajalingham2018public-i2n", "Rajalingham2018public-i2n", "synthetic", "48 images, 6 objects"),
    ("Geirhos2021cueconflict-EC", "Geirhos2021cueconflict-error_consistency", "real (shipped)", "ResNet-50 decisions"),
    ("Geirhos2021colour-EC", "Geirhos2021colour-error_consistency", "synthetic", "'cr' excluded"),
    ("Geirhos2021highpass-EC", "Geirhos2021highpass-error_consistency", "synthetic", "float conditions, inf"),
    ("Geirhos2021colour-top1", "Geirhos2021colour-top1", "synthetic", "no placement, 10 trials"),
]
GEIRHOS2021_DATASETS = (
    "colour", "contrast", "cue-conflict", "edge", "eidolonI", "eidolonII", "eidolonIII", "false-colour",
    "high-pass", "low-pass", "phase-scrambling", "power-equalisation", "rotation", "silhouette", "sketch",
    "stylized", "uniform-noise",
)  # fmt: skip
#: remote data sets written by --write (served to ours through the mirror)
SYNTHETIC_DATA = {
    "Rajalingham2018.public": ["assy_dicarlo_Rajalingham2018_public.nc"],
    "objectome.public": ["stimulus_objectome_public.csv", "stimulus_objectome_public.zip"],
    "Geirhos2021_colour": [
        "assy_brendel_Geirhos2021_colour.nc",
        "stimulus_Geirhos2021_colour.csv",
        "stimulus_Geirhos2021_colour.zip",
    ],
    "Geirhos2021_high-pass": [
        "assy_brendel_Geirhos2021_high-pass.nc",
        "stimulus_Geirhos2021_high-pass.csv",
        "stimulus_Geirhos2021_high-pass.zip",
    ],
}


# --- step 1: files and model outputs (project venv) ----------------------------------------------------------
def write(directory: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "standard"))
    sys.path.insert(0, str(ROOT))
    from behaviour_helpers import ShrunkLabelModel
    from behaviour_synthetic import GEIRHOS_CLASSES, write_geirhos2021, write_rajalingham2018_public

    from brainscore_core import brainio, load_dataset, load_stimulus_set
    from brainscore_core.brain_model import Task

    files = directory / "files"
    if files.exists():
        shutil.rmtree(files)
    written = write_rajalingham2018_public(files)
    written |= write_geirhos2021(files, "colour", conditions=("cr", "bw"))
    written |= write_geirhos2021(files, "high-pass", conditions=(1.0, 3.0, np.inf, 0.55, 0.45, 0.4), seed=1)
    written |= _write_cue_conflict(files)
    catalog = {name: sha1 for name, (_, sha1) in written.items()}
    (directory / CATALOG).write_text(json.dumps(catalog, indent=1))

    outputs: dict[str, dict] = {}
    model = ShrunkLabelModel()
    objectome = brainio.load_stimulus_set(
        files / "stimulus_objectome_public.csv", files / "stimulus_objectome_public.zip", identifier="objectome"
    )
    model.start_task(Task.probabilities, objectome)
    probabilities = model.look_at(objectome)
    outputs["probabilities"] = {
        "stimulus_id": [str(s) for s in probabilities["stimulus_id"].values],
        "choice": [str(c) for c in probabilities["choice"].values],
        "values": probabilities.values.tolist(),
    }
    for name in ("colour", "high-pass"):  # subject-01's answer, the true class, a wrong class, in turn
        trials = brainio.open_assembly(files / f"assy_brendel_Geirhos2021_{name}.nc").load()
        first = trials.isel(presentation=trials["subject"].values == "subject-01")
        order = np.argsort(first["stimulus_id"].values.astype(str))
        ids, answers = first["stimulus_id"].values.astype(str)[order], first.values.astype(str)[order]
        truth = first["truth"].values.astype(str)[order]
        wrong = np.array([GEIRHOS_CLASSES[(GEIRHOS_CLASSES.index(t) + 1) % 16] for t in truth])
        labels = np.choose(np.arange(len(ids)) % 3, [answers, truth, wrong])
        outputs[f"labels_{name}"] = _answers(ids, labels)
    reference = load_dataset("Geirhos2019.cue_conflict.resnet50_reference")
    outputs["labels_cue-conflict"] = _answers(reference["stimulus_id"].values, reference.values)
    assert len(load_stimulus_set("Geirhos2021_cue-conflict")) == len(outputs["labels_cue-conflict"]) == 1280
    (directory / OUTPUTS).write_text(json.dumps(outputs))
    print(f"wrote {len(written)} files to {files} and the model outputs to {directory / OUTPUTS}")


def _answers(stimulus_ids, labels) -> dict[str, str]:
    return {str(s): str(label) for s, label in zip(stimulus_ids, labels, strict=True)}


def _write_cue_conflict(files: Path) -> dict[str, tuple[Path, str]]:
    """The shipped cue-conflict trials and images as Brain-Score's three Geirhos2021 files (real layout)."""
    import hashlib

    import xarray as xr

    from brainscore_core import load_dataset, load_stimulus_set

    trials = load_dataset("Geirhos2021_cue-conflict")
    stimuli = load_stimulus_set("Geirhos2021_cue-conflict")
    levels = ["image_id", "image_id_long", "truth", "choice", "category", "condition", "response_time", "trial"]
    levels += ["subject", "session"]
    coords = {}
    for level in levels:
        values = np.asarray(trials[level].values)
        coords[level] = ("presentation", values.astype(object) if values.dtype.kind in "UO" else values)
    assembly = xr.DataArray(
        np.asarray(trials.values).astype(object),
        dims=("presentation",),
        coords=coords,
        name="brendel.Geirhos2021_cue-conflict",
    )
    nc = files / "assy_brendel_Geirhos2021_cue-conflict.nc"
    assembly.to_netcdf(nc, engine="h5netcdf")
    table = stimuli.table[["stimulus_id", "truth", "shape", "texture", "condition"]].rename(
        columns={"stimulus_id": "image_id"}
    )
    table["filename"] = [f"{s}.jpg" for s in table["image_id"]]
    csv, archive = files / "stimulus_Geirhos2021_cue-conflict.csv", files / "stimulus_Geirhos2021_cue-conflict.zip"
    table.to_csv(csv, index=False)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as store:
        for stimulus_id, name in zip(table["image_id"], table["filename"], strict=True):
            store.write(stimuli.image_path(stimulus_id), name)
    return {p.name: (p, hashlib.sha1(p.read_bytes(), usedforsecurity=False).hexdigest()) for p in (nc, csv, archive)}


def _result(score_value: float, raw: float | None, ceiling: float | None, splits=None, kappas=None) -> dict:
    def clean(x):
        return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)

    return {
        "value": clean(score_value),
        "raw": clean(raw),
        "ceiling": clean(ceiling),
        "splits": None if splits is None else [clean(v) for v in np.ravel(splits)],
        "kappas": None if kappas is None else [clean(v) for v in np.ravel(kappas)],
    }


# --- step 2: ours (project venv) -----------------------------------------------------------------------------
def run_ours(directory: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["BRAINSCORE_DATA_MIRROR"] = str(directory / "files")
    os.environ["BRAINIO_HOME"] = str(directory / "no-brainio")
    os.environ["BRAINSCORE_FETCH_RETRIES"] = "0"
    import xarray as xr

    from brainscore_core import BrainModel, Task, behavioral_assembly, load_benchmark
    from brainscore_core.config import configure
    from brainscore_core.fetching import RemoteFile, register_remote_data, remote_data, remote_data_registry

    catalog = json.loads((directory / CATALOG).read_text())
    outputs = json.loads((directory / OUTPUTS).read_text())
    for identifier, names in SYNTHETIC_DATA.items():
        remote_data(identifier)  # discovers the plugins (and checks the identifier is registered)
        del remote_data_registry[identifier]  # our test catalog: the written files' SHA-1s, nothing remote
        register_remote_data(identifier, [RemoteFile(n, catalog[n], bucket="http://127.0.0.1:9") for n in names])

    class Replay(BrainModel):
        identifier = "replay"

        def __init__(self, labels: dict[str, str] | None = None) -> None:
            self.labels, self.task = labels, None

        def start_task(self, task, fitting_stimuli=None) -> None:
            self.task = Task(task)

        def look_at(self, stimuli, number_of_trials: int = 1) -> xr.DataArray:
            ids = stimuli.stimulus_ids
            if self.task is Task.label:
                assert self.labels is not None
                return behavioral_assembly([self.labels[s] for s in ids], stimulus_id=ids)
            table = outputs["probabilities"]
            row = {s: i for i, s in enumerate(table["stimulus_id"])}
            values = np.asarray(table["values"])[[row[s] for s in ids]]
            return behavioral_assembly(values, stimulus_id=ids, choices=table["choice"])

    models = {
        "Rajalingham2018public-i2n": Replay(),
        "Geirhos2021cueconflict-error_consistency": Replay(outputs["labels_cue-conflict"]),
        "Geirhos2021colour-error_consistency": Replay(outputs["labels_colour"]),
        "Geirhos2021highpass-error_consistency": Replay(outputs["labels_high-pass"]),
        "Geirhos2021colour-top1": Replay(outputs["labels_colour"]),
    }
    results = {}
    with configure(cache_dir=directory / "home", cache_enabled=False, progress=False):
        for _, identifier, _, _ in ROWS:
            score = load_benchmark(identifier)(models[identifier])
            splits = score.details["split"].values if "split" in score.details else None
            kappas = score.details["kappa"].values.T if "kappa" in score.details else None  # (condition, subject)
            results[identifier] = _result(float(score), score.raw, score.ceiling, splits, kappas)
            print(identifier, results[identifier]["value"], file=sys.stderr)
    (directory / OURS).write_text(json.dumps({"results": results}, indent=1))


# --- step 3: Brain-Score (its venv) ---------------------------------------------------------------------------
def run_brainscore(directory: Path) -> None:
    os.environ.setdefault("BS_INSTALL_DEPENDENCIES", "no")
    os.environ["RESULTCACHING_DISABLE"] = "1"
    os.environ["RESULTCACHING_HOME"] = str(directory / "result_caching")
    os.environ["BRAINSCORE_HOME"] = str(directory / "bs_home")
    warnings.filterwarnings("ignore")
    try:
        from brainscore_core.supported_data_standards.brainio.assemblies import BehavioralAssembly
        from brainscore_vision import load_benchmark
        from brainscore_vision.model_interface import BrainModel

        from brainscore_core.supported_data_standards.brainio import s3
    except ImportError as error:
        sys.exit(f"--brainscore needs brainscore-vision 2.4.2 installed in this interpreter ({error})")

    files = directory / "files"

    def local_path(identifier, file_type, bucket, version_id, sha1, filename_prefix=None, folder_name=None):
        prefix = filename_prefix or ("assy_" if file_type == "nc" else "stimulus_")
        path = files / f"{prefix}{identifier.replace('.', '_')}.{file_type}"
        assert path.is_file(), f"{path} was not written by --write"
        return str(path)

    catalog = _brainscore_catalog(s3)
    s3.get_path = local_path  # Brain-Score's loaders now read the written files; the rest is its own code
    outputs = json.loads((directory / OUTPUTS).read_text())

    class Replay(BrainModel):
        def __init__(self, degrees: float, labels: dict[str, str] | None = None) -> None:
            self.degrees, self.labels, self.task = degrees, labels, None

        @property
        def identifier(self) -> str:
            return "replay"

        def visual_degrees(self) -> float:
            return self.degrees

        def start_task(self, task, fitting_stimuli=None) -> None:
            self.task = task

        def look_at(self, stimuli, number_of_trials=1):
            ids = [str(s) for s in stimuli["stimulus_id"].values]
            meta = {
                column: ("presentation", stimuli[column].values)
                for column in stimuli.columns
                if column not in ("stimulus_id",)
            }
            if self.task == BrainModel.Task.label:
                return BehavioralAssembly(
                    [self.labels[s] for s in ids],
                    coords={"stimulus_id": ("presentation", ids), **meta},
                    dims=["presentation"],
                )
            table = outputs["probabilities"]
            row = {s: i for i, s in enumerate(table["stimulus_id"])}
            return BehavioralAssembly(
                np.asarray(table["values"])[[row[s] for s in ids]],
                coords={"stimulus_id": ("presentation", ids), **meta, "choice": ("choice", table["choice"])},
                dims=["presentation", "choice"],
            )

    models = {
        "Rajalingham2018public-i2n": Replay(8),
        "Geirhos2021cueconflict-error_consistency": Replay(3, outputs["labels_cue-conflict"]),
        "Geirhos2021colour-error_consistency": Replay(3, outputs["labels_colour"]),
        "Geirhos2021highpass-error_consistency": Replay(3, outputs["labels_high-pass"]),
        "Geirhos2021colour-top1": Replay(3, outputs["labels_colour"]),
    }
    results = {}
    for _, identifier, _, _ in ROWS:
        score = load_benchmark(identifier)(models[identifier])
        raw, ceiling = score.attrs.get("raw"), score.attrs.get("ceiling")
        splits = kappas = None
        if identifier.startswith("Rajalingham"):
            splits = score.attrs["raw"].attrs["raw"].values / np.sqrt(ceiling.attrs["raw"].values)
        elif identifier.endswith("error_consistency"):
            table = raw.attrs["raw"]  # (subject, condition) kappas
            kappas = table.transpose("condition", "subject").values
        value = float(score.values)
        if identifier.endswith("-top1"):  # Brain-Score returns the accuracy itself (attrs['raw']: per stimulus)
            raw_value, ceiling_value = value, 1.0
        else:
            raw_value, ceiling_value = float(raw.values), float(ceiling.values)
        results[identifier] = _result(value, raw_value, ceiling_value, splits, kappas)
        print(identifier, value, file=sys.stderr)
    (directory / BRAINSCORE).write_text(json.dumps({"results": results, "catalog": catalog}, indent=1))


def _brainscore_catalog(s3) -> dict[str, str]:
    """``{file name: URL with versionId, then sha1}`` of every file Brain-Score's own data plugins request for the
    17 Geirhos2021 data sets and Rajalingham2018.public (recorded from its S3 path function; nothing downloaded)."""
    from brainscore_vision import load_dataset

    requested: dict[str, str] = {}

    def record(identifier, file_type, bucket, version_id, sha1, filename_prefix=None, folder_name=None):
        prefix = filename_prefix or ("stimulus_" if file_type in ("csv", "zip") else "assy_")
        name = f"{prefix}{identifier.replace('.', '_')}.{file_type}"
        key = f"{folder_name}/{name}" if folder_name else name
        requested[name] = f"https://{bucket}.s3.amazonaws.com/{key}?versionId={version_id} {sha1}"
        return f"/nonexistent/{name}"

    original, s3.get_path = s3.get_path, record
    try:
        for data in [f"Geirhos2021_{name}" for name in GEIRHOS2021_DATASETS] + ["Rajalingham2018.public"]:
            with contextlib.suppress(Exception):  # the files do not exist; only the requests are wanted
                load_dataset(data)
    finally:
        s3.get_path = original
    return requested


def _our_catalog() -> dict[str, str]:
    """The same for this project: remote data entries, and the catalog of the three data sets served offline."""
    sys.path.insert(0, str(ROOT))
    from brainscore_core.fetching import remote_data
    from example_plugins.data.geirhos2021.catalog import DATASETS

    bucket = "https://brainscore-storage.s3.amazonaws.com/brainio-brainscore"
    ours = {}
    for entry in DATASETS.values():
        if entry.offline:  # not fetched here: compare the catalog's names and SHA-1s with Brain-Score's URLs
            pairs = [(entry.assembly_file, entry.assembly_sha1), (entry.csv_file, entry.csv_sha1)]
            for file, sha1 in [*pairs, (entry.zip_file, entry.zip_sha1)]:
                ours[file] = f"{bucket}/{file}?versionId=null {sha1}"
            continue
        for remote in remote_data(entry.identifier).files:
            ours[remote.name] = f"{remote.url} {remote.sha1}"
    for identifier in ("Rajalingham2018.public", "objectome.public"):
        for file in remote_data(identifier).files:
            ours[file.name] = f"{file.url} {file.sha1}"
    return ours


# --- memory: Rajalingham2018public-i2n on a synthetic file of the real file's shape ----------------------------
_MEMORY_RUN = """
import json, os, sys, time
import numpy as np
sys.path.insert(0, {root!r})
from brainscore_core import BrainModel, Task, behavioral_assembly, load_benchmark
from brainscore_core.config import configure
from brainscore_core.fetching import RemoteFile, register_remote_data, remote_data, remote_data_registry
catalog = json.load(open({catalog!r}))
for identifier, names in {data!r}.items():
    remote_data(identifier)
    del remote_data_registry[identifier]
    register_remote_data(identifier, [RemoteFile(n, catalog[n], bucket="http://127.0.0.1:9") for n in names])

class Uniform(BrainModel):
    identifier = "uniform"
    def start_task(self, task, fitting_stimuli=None):
        self.labels = sorted(set(fitting_stimuli["image_label"]))
    def look_at(self, stimuli, number_of_trials=1):
        values = np.random.default_rng(0).dirichlet(np.ones(len(self.labels)), size=len(stimuli))
        return behavioral_assembly(values, stimulus_id=stimuli.stimulus_ids, choices=self.labels)

def peak():
    return int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]) / 1024

start = time.perf_counter()
with configure(cache_dir={home!r}, cache_enabled=False, progress=False):
    benchmark = load_benchmark("Rajalingham2018public-i2n")
    trials = benchmark.assembly
    loaded = peak()
    score = benchmark(Uniform())
print(json.dumps({{"trials": trials.sizes["presentation"], "images": len(benchmark.stimuli), "peak_loaded_mib": loaded,
                  "peak_mib": peak(), "seconds": time.perf_counter() - start, "ceiling": score.ceiling}}))
"""


def memory(directory: Path) -> None:
    """Peak resident memory (VmHWM) of a fresh process that loads ``Rajalingham2018public-i2n``'s data from a
    synthetic file of the real file's shape (24 objects, 2,160 images, 596,160 trials; the real one has 585,511),
    computes the ceiling and scores a model."""
    import subprocess

    sys.path.insert(0, str(ROOT / "tests" / "standard"))
    from behaviour_synthetic import write_rajalingham2018_public

    files = directory / "files"
    written = write_rajalingham2018_public(files, objects=24, images_per_object=90, offers=12)
    catalog = directory / CATALOG
    catalog.write_text(json.dumps({name: sha1 for name, (_, sha1) in written.items()}))
    data = {k: v for k, v in SYNTHETIC_DATA.items() if k in ("Rajalingham2018.public", "objectome.public")}
    code = _MEMORY_RUN.format(root=str(ROOT), catalog=str(catalog), data=data, home=str(directory / "home"))
    environment = dict(os.environ, BRAINSCORE_DATA_MIRROR=str(files), BRAINIO_HOME=str(directory / "no-brainio"))
    output = subprocess.run([sys.executable, "-c", code], env=environment, check=True, capture_output=True, text=True)
    result = json.loads(output.stdout.strip().splitlines()[-1])
    sizes = {name: round(path.stat().st_size / 2**20, 1) for name, (path, _) in written.items()}
    print(json.dumps({"file_mib": sizes, **result}, indent=1))


# --- step 4: the table ----------------------------------------------------------------------------------------
def _max_difference(a, b) -> float | None:
    if a is None or b is None:
        return None
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return math.inf
    difference = np.abs(a - b)
    difference[np.isnan(a) & np.isnan(b)] = 0.0
    return float(np.max(np.where(np.isnan(difference), np.inf, difference))) if difference.size else None


def compare(directory: Path) -> None:
    ours = json.loads((directory / OURS).read_text())["results"]
    theirs = json.loads((directory / BRAINSCORE).read_text())["results"]
    header = (
        f"| {'benchmark':27s} | {'data':14s} | {'ceiling (ours)':>14s} | {'ceiling diff':>12s} | "
        f"{'score (ours)':>12s} | {'score (BS)':>12s} | {'score diff':>10s} | {'raw diff':>8s} | "
        f"{'split max':>9s} |"
    )
    print(header)
    print("|" + "|".join("-" * len(cell) for cell in header.split("|")[1:-1]) + "|")
    worst = 0.0
    for label, identifier, data, _note in ROWS:
        a, b = ours[identifier], theirs[identifier]

        def diff(key: str, a=a, b=b) -> float:
            return abs(a[key] - b[key])

        split = _max_difference(a["splits"], b["splits"]) if a["splits"] else _max_difference(a["kappas"], b["kappas"])
        differences = [diff("value"), diff("raw"), diff("ceiling")] + ([split] if split is not None else [])
        worst = max(worst, *differences)
        print(
            f"| {label:27s} | {data:14s} | {a['ceiling']:14.8f} | {diff('ceiling'):12.1e} | {a['value']:12.8f} | "
            f"{b['value']:12.8f} | {diff('value'):10.1e} | {diff('raw'):8.1e} | "
            f"{'-' if split is None else f'{split:.1e}':>9s} |"
        )
    print(
        "diff: |ours - Brain-Score|; split max: over the per-repetition ceiled values (i2n) or the per subject and "
        "condition kappas (error consistency)"
    )
    print(f"largest difference: {worst:.1e} ({'agree' if worst <= 1e-6 else 'DISAGREE'} to 1e-6)")
    requested = json.loads((directory / BRAINSCORE).read_text()).get("catalog", {})
    ours_catalog = _our_catalog()
    differing = sorted(name for name in requested if ours_catalog.get(name) != requested[name])
    print(
        f"catalog: {len(requested)} files Brain-Score's data plugins request (URL, versionId, SHA-1); "
        f"{len(requested) - len(differing)} equal ours" + (f"; DIFFERENT: {differing}" if differing else "")
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    for step, text in (
        ("write", "write the files and model outputs (project venv)"),
        ("ours", "score with our benchmarks (project venv)"),
        ("brainscore", "score with Brain-Score's benchmarks (its venv)"),
        ("compare", "print the table"),
        ("memory", "peak memory of Rajalingham2018public-i2n on a file of the real shape (project venv)"),
    ):
        group.add_argument(f"--{step}", metavar="DIR", type=Path, help=text)
    args = parser.parse_args(argv)
    if args.write:
        args.write.mkdir(parents=True, exist_ok=True)
        write(args.write)
    elif args.ours:
        run_ours(args.ours)
    elif args.brainscore:
        run_brainscore(args.brainscore)
    elif args.memory:
        args.memory.mkdir(parents=True, exist_ok=True)
        memory(args.memory)
    else:
        compare(args.compare)


if __name__ == "__main__":
    main()
