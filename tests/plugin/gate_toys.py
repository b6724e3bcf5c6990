"""Toys for the paired gate's plugin tests: a split-averaged benchmark whose paired units are known in advance.

``CONFTEST`` is the ``conftest.py`` a test writes into its pytester directory: it registers the toy models and the
benchmark for that run only (and removes them afterwards), so runs can be in-process, and pytest-xdist workers,
which load the same conftest, see them too. The same functions compute the expected numbers in the tests.

Model ``gate_a`` (``gate_b``) responds to stimulus i with ``level + pattern_i + shift + noise * N(0, 1)_i``, where
``pattern`` is a fixed per-stimulus profile and ``shift``, ``noise`` and its seed come from the environment
(``GATE_SHIFT_<model>``, ``GATE_NOISE_<model>`` as ``"amplitude:seed"``). The benchmark ``GateToy.V4-splits``
averages responses over the 4 test stimuli of each of 10 random 36/4 splits (``GATE_SPLIT_SEED``, default 1);
raw = mean over splits, ceiling 0.8 (``raw / ceiling``), error ``GATE_ERROR`` (default 0.002, as small as a
precise measurement's).
"""

from __future__ import annotations

import os

import numpy as np

BENCHMARK = "GateToy.V4-splits"
CEILING = 0.8
N_STIMULI, N_SPLITS, N_TEST = 40, 10, 4
LEVELS = {"gate_a": 0.6, "gate_b": 0.4}
STIMULUS_IDS = [f"gate_image_{i:02d}" for i in range(N_STIMULI)]
ENVIRONMENT = ("GATE_SPLIT_SEED", "GATE_ERROR", *(f"GATE_{k}_{m}" for k in ("SHIFT", "NOISE") for m in LEVELS))


def responses(model: str, shift: float = 0.0, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    """The model's response per stimulus (in ``STIMULUS_IDS`` order)."""
    pattern = 0.05 * np.random.default_rng(12345).standard_normal(N_STIMULI)
    return LEVELS[model] + pattern + shift + noise * np.random.default_rng(seed).standard_normal(N_STIMULI)


def splits(seed: int = 1) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train rows, test rows) of the 10 random splits."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(N_SPLITS):
        order = rng.permutation(N_STIMULI)
        out.append((np.sort(order[N_TEST:]), np.sort(order[:N_TEST])))
    return out


def split_scores(values: np.ndarray, seed: int = 1) -> np.ndarray:
    """Per-split raw scores: the mean response over each split's test stimuli."""
    return np.array([values[test].mean() for _, test in splits(seed)])


def environment(model: str) -> tuple[float, float, int]:
    """(shift, noise, seed) of ``model`` from the environment."""
    shift = float(os.environ.get(f"GATE_SHIFT_{model}", "0"))
    amplitude, _, seed = os.environ.get(f"GATE_NOISE_{model}", "0:0").partition(":")
    return shift, float(amplitude), int(seed or 0)


CONFTEST = """
import os

import numpy as np
import pytest

import gate_toys


def pytest_configure(config):
    from brainscore_core import Benchmark, BrainModel, Score, benchmark_registry, model_registry, neuroid_assembly
    from brainscore_core.comparison.attach import attach_units, split_units
    from brainscore_core.score import ceil_ratio

    class GateToyModel(BrainModel):
        def __init__(self, identifier):
            self.identifier = identifier

        def start_recording(self, region, time_bins=None):
            self.region = region

        def look_at(self, stimuli, number_of_trials=1):
            values = gate_toys.responses(self.identifier, *gate_toys.environment(self.identifier))
            by_id = dict(zip(gate_toys.STIMULUS_IDS, values))
            ids = list(stimuli)
            return neuroid_assembly(np.array([[by_id[i]] for i in ids]), stimulus_id=ids)

    class GateToyBenchmark(Benchmark):
        identifier = gate_toys.BENCHMARK
        version = 1
        parent = "neural.V4"

        def _compute_ceiling(self):
            return Score(gate_toys.CEILING, error=0.0)

        def __call__(self, candidate):
            candidate.start_recording("V4")
            recorded = candidate.look_at(gate_toys.STIMULUS_IDS)
            values = np.asarray(recorded.values[:, 0], dtype=float)
            seed = int(os.environ.get("GATE_SPLIT_SEED", "1"))
            per_split = gate_toys.split_scores(values, seed)
            raw = Score(float(per_split.mean()), error=float(os.environ.get("GATE_ERROR", "0.002")))
            train, test = zip(*gate_toys.splits(seed))
            attach_units(raw, lambda: split_units(per_split, train, test, gate_toys.STIMULUS_IDS))
            return self._finish(ceil_ratio(raw, self.ceiling), candidate)

    for model in gate_toys.LEVELS:
        model_registry[model] = lambda model=model: GateToyModel(model)
    benchmark_registry[gate_toys.BENCHMARK] = GateToyBenchmark

    def forget():
        for model in gate_toys.LEVELS:
            del model_registry[model]
        del benchmark_registry[gate_toys.BENCHMARK]

    config.add_cleanup(forget)
"""
