"""Geirhos2021 standard benchmarks: the 34 identifiers, the 3 offline data sets, Brain-Score's definition."""

from __future__ import annotations

import functools
import itertools
import subprocess
import sys
import time

import numpy as np
import pytest
from behaviour_helpers import ShrunkLabelModel

from brainscore_core import load_benchmark, load_dataset, load_stimulus_set, score
from brainscore_core.registry import benchmark_registry, data_registry, stimulus_set_registry

DATASETS = [
    "colour", "contrast", "cue-conflict", "edge", "eidolonI", "eidolonII", "eidolonIII", "false-colour",
    "high-pass", "low-pass", "phase-scrambling", "power-equalisation", "rotation", "silhouette", "sketch",
    "stylized", "uniform-noise",
]  # fmt: skip
OFFLINE = {"cue-conflict": "cue_conflict", "edge": "edges", "silhouette": "silhouettes"}
#: Brain-Score 2.4.2's pinned ceilings (benchmarks/geirhos2021/test.py, 5 digits) and the research note's sizes
BRAINSCORE_CEILINGS = {"cue-conflict": 0.33105, "edge": 0.31844, "silhouette": 0.47571}
SIZES = {"cue-conflict": (1280, 12800, 10), "edge": (160, 1600, 10), "silhouette": (160, 1600, 10)}


def prefix(dataset: str) -> str:
    return f"Geirhos2021{dataset.replace('-', '')}"


@functools.cache
def benchmark(identifier: str):
    return load_benchmark(identifier)


def test_all_34_identifiers_are_registered_with_brainscores_declarations():
    for dataset in DATASETS:
        assert f"Geirhos2021_{dataset}" in data_registry and f"Geirhos2021_{dataset}" in stimulus_set_registry
        consistency = load_benchmark(f"{prefix(dataset)}-error_consistency")  # builds without reading data
        top1 = load_benchmark(f"{prefix(dataset)}-top1")
        assert consistency.identifier == f"{prefix(dataset)}-error_consistency"
        assert (consistency.version, consistency.parent, consistency.number_of_trials) == (1, "Geirhos2021", 1)
        assert (top1.version, top1.parent, top1.number_of_trials) == (1, "Geirhos2021-top1", 10)
        assert consistency.visual_degrees == top1.visual_degrees == 3
        assert "geirhos2021partial" in consistency.bibtex and "QkljT4mrfs" in top1.bibtex
    assert len([b for b in benchmark_registry if b.startswith("Geirhos2021")]) == 34


def test_listing_is_offline_and_fast():
    code = (
        "import socket, time\n"
        "def refuse(*a, **k): raise AssertionError('listing opened a network connection')\n"
        "socket.socket.connect = refuse\n"
        "t = time.perf_counter()\n"
        "from brainscore_core.registry import benchmark_registry\n"
        "ids = [b for b in benchmark_registry if b.startswith(('Geirhos2021', 'Rajalingham2018public'))]\n"
        "print(len(ids), time.perf_counter() - t)\n"
    )
    start = time.perf_counter()
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    assert int(output[0]) >= 34
    assert float(output[1]) < 5 and time.perf_counter() - start < 20


@pytest.mark.parametrize("dataset", sorted(OFFLINE))
def test_offline_data_match_brainscores_description(dataset):
    """Same trials as Brain-Score's files: sizes, 10 subjects who each saw every image once, one condition that
    Brain-Score does not exclude, Brain-Score's layout, and Brain-Score's pinned ceiling."""
    images, presentations, subjects = SIZES[dataset]
    trials = load_dataset(f"Geirhos2021_{dataset}")
    stimuli = load_stimulus_set(f"Geirhos2021_{dataset}")
    assert len(stimuli) == images and trials.sizes["presentation"] == presentations
    assert stimuli.identifier == f"Geirhos2021_{dataset}"
    subject = trials["subject"].values
    assert len(np.unique(subject)) == subjects
    for name in np.unique(subject):
        assert sorted(trials["stimulus_id"].values[subject == name]) == sorted(stimuli.stimulus_ids)
    assert set(np.unique(trials["condition"].values)) == {0}
    for coord in ("image_id", "truth", "choice", "category", "condition", "subject", "session", "trial"):
        assert coord in trials.coords
    np.testing.assert_array_equal(trials.values, trials["choice"].values)
    np.testing.assert_array_equal(trials["image_id"].values, trials["stimulus_id"].values)
    # the same numbers as the 2019 data they come from
    original = load_dataset(f"Geirhos2019.{OFFLINE[dataset]}")
    np.testing.assert_array_equal(trials.values, original.values)
    instance = benchmark(f"{prefix(dataset)}-error_consistency")
    assert float(instance.ceiling) == pytest.approx(BRAINSCORE_CEILINGS[dataset], abs=5e-6)


@pytest.mark.parametrize("dataset", sorted(OFFLINE))
def test_offline_benchmarks_score_a_shrunk_model(dataset):
    model = ShrunkLabelModel()
    instance = benchmark(f"{prefix(dataset)}-error_consistency")
    result = score(model, instance)
    # independent: kappa per subject against the model's correctness, |mean|, over subject pairs for the ceiling
    trials = load_dataset(f"Geirhos2021_{dataset}")
    shown = instance.stimuli
    decisions = model.look_at(shown)
    correct = decisions.values == shown["truth"].to_numpy()  # the model answers in the stimulus order
    model_correct = dict(zip(decisions["stimulus_id"].values, correct, strict=True))

    def correctness(name):
        rows = trials.isel(presentation=trials["subject"].values == name)
        return dict(zip(rows["stimulus_id"].values, rows.values == rows["truth"].values, strict=True))

    def kappa(a, b):
        ids = sorted(a)
        x, y = np.array([a[i] for i in ids]), np.array([b[i] for i in ids])
        expected = x.mean() * y.mean() + (1 - x.mean()) * (1 - y.mean())
        return (np.mean(x == y) - expected) / (1 - expected)

    humans = [correctness(name) for name in sorted(np.unique(trials["subject"].values))]
    raw = abs(np.mean([kappa(model_correct, h) for h in humans]))
    ceiling = np.mean([kappa(a, b) for a, b in itertools.combinations(humans, 2)])
    assert result.raw == pytest.approx(raw, abs=1e-12) and result.ceiling == pytest.approx(ceiling, abs=1e-12)
    assert float(result) == pytest.approx(min(max(raw / ceiling, 0), 1), abs=1e-12)
    assert result.benchmark_identifier == f"{prefix(dataset)}-error_consistency" and result.benchmark_version == 1
    assert model.shown[0][1:] == (3.0, 1)  # shown at the humans' 3 degrees, one trial


def test_top1_shows_images_at_the_models_own_degrees_with_10_trials():
    model = ShrunkLabelModel(degrees=10.0)
    result = score(model, benchmark("Geirhos2021edge-top1"))
    assert model.shown == [("Geirhos2021_edge", 10.0, 10)]
    stimuli = load_stimulus_set("Geirhos2021_edge")
    decisions = model.look_at(stimuli)
    assert float(result) == pytest.approx(np.mean(decisions.values == stimuli["truth"].to_numpy()), abs=1e-12)
    assert result.ceiling == 1.0
