"""The JSON result cache and disk-cached benchmark ceilings."""

from __future__ import annotations

import functools
import json

import numpy as np
import pytest

from brainscore_core import NeuralBenchmark, Score, neuroid_assembly
from brainscore_core.benchmarks._ceiling_null import PERMUTATIONS
from brainscore_core.cache import CacheCorruptionWarning, ResultCache, assembly_hash, callable_identity, stable_hash
from brainscore_core.config import configure

pytestmark = pytest.mark.usefixtures("isolated_cache")


def test_get_or_compute_computes_once_and_survives_corruption():
    calls = []
    store = ResultCache("unit")

    def compute():
        calls.append(1)
        return {"value": 0.5, "values": [1.0, float("nan")]}

    def run():
        return store.get_or_compute({"a": 1}, compute, encode=lambda r: r, decode=lambda p: p)

    first, second = run(), run()
    assert len(calls) == 1 and second["value"] == 0.5 and np.isnan(second["values"][1])
    path = store.path({"a": 1})
    record = json.loads(path.read_text())
    record["payload"]["value"] = 0.9  # tampered: checksum no longer matches
    path.write_text(json.dumps(record))
    with pytest.warns(CacheCorruptionWarning, match="corrupted result cache file"):
        third = run()
    assert third["value"] == 0.5 and len(calls) == 2
    assert run()["value"] == 0.5 and len(calls) == 2
    assert first["value"] == third["value"]


def test_disabled_results_cache_always_computes():
    calls = []
    with configure(cache_enabled=False):
        store = ResultCache("unit")
        for _ in range(2):
            store.get_or_compute("k", lambda: calls.append(1) or 3, encode=int, decode=int)
    assert len(calls) == 2


def test_keys_are_stable_and_sensitive():
    assert stable_hash({"b": 1, "a": (8.0, [1, 2])}) == stable_hash({"a": [8, [1, 2]], "b": 1})
    assert stable_hash({"a": 1}) != stable_hash({"a": 2})
    values = np.arange(6.0).reshape(2, 3)
    base = neuroid_assembly(values, stimulus_id=["x", "y"])
    assert assembly_hash(base) == assembly_hash(neuroid_assembly(values.copy(), stimulus_id=["x", "y"]))
    assert assembly_hash(base) != assembly_hash(neuroid_assembly(values, stimulus_id=["x", "z"]))
    changed = values.copy()
    changed[1, 2] += 1e-9
    assert assembly_hash(base) != assembly_hash(neuroid_assembly(changed, stimulus_id=["x", "y"]))


class SplitHalfCeiling:
    """A toy ceiling with a parameter: correlation of the first two repetitions, times ``scale``."""

    identifier = "toy-ceiling"
    calls = 0

    def __init__(self, scale: float = 1.0) -> None:
        self.scale = scale

    def __call__(self, assembly):
        type(self).calls += 1
        first = assembly.values[assembly["repetition"].values == 0].ravel()
        second = assembly.values[assembly["repetition"].values == 1].ravel()
        return Score(self.scale * np.corrcoef(first, second)[0, 1], error=0.01)


def _benchmark(data, version=1, scale=1.0) -> NeuralBenchmark:
    return NeuralBenchmark(
        "toy.ceiling-benchmark",
        assembly=data,
        stimuli=lambda: None,
        region="IT",
        metric=lambda source, target: Score(0.0),
        ceiling_func=SplitHalfCeiling(scale),
        visual_degrees=8,
        version=version,
    )


def _data(seed=0):
    rng = np.random.default_rng(seed)
    signal = rng.normal(size=(4, 3))
    values = np.concatenate([signal + 0.1 * rng.normal(size=(4, 3)) for _ in range(2)])
    return neuroid_assembly(
        values, stimulus_id=[f"s{i}" for i in range(4)] * 2, presentation_coords={"repetition": [0] * 4 + [1] * 4}
    )


def test_ceiling_is_cached_on_disk_by_data_ceiling_and_version():
    SplitHalfCeiling.calls = 0
    data = _data()
    first = _benchmark(data).ceiling
    once = 1 + PERMUTATIONS  # the ceiling and its shuffled-label null draws (brainscore_core.benchmarks._ceiling_null)
    assert SplitHalfCeiling.calls == 1 * once
    again = _benchmark(data).ceiling  # a fresh benchmark object: served from disk
    assert SplitHalfCeiling.calls == 1 * once
    assert float(again) == pytest.approx(float(first)) and again.error == pytest.approx(0.01)
    assert _benchmark(_data(seed=1)).ceiling is not None  # other data
    assert _benchmark(data, version=2).ceiling is not None  # other benchmark version
    changed = _benchmark(data, scale=0.5).ceiling  # other ceiling parameters
    assert SplitHalfCeiling.calls == 4 * once
    assert float(changed) == pytest.approx(0.5 * float(first))


def test_callable_identity_describes_parameters():
    assert callable_identity(SplitHalfCeiling(0.5))["parameters"] == {"scale": 0.5}
    assert callable_identity(SplitHalfCeiling(0.5)) != callable_identity(SplitHalfCeiling(0.25))
    partial = callable_identity(functools.partial(np.mean, axis=0))
    assert partial["keywords"] == {"axis": 0}


def test_a_result_that_is_not_json_is_returned_uncached():
    store = ResultCache("unit")
    with pytest.warns(RuntimeWarning, match="not cached"):
        result = store.get_or_compute("odd", lambda: {1, 2}, encode=lambda r: r, decode=lambda p: p)
    assert result == {1, 2} and store.get("odd") is None


def test_info_counts_results_and_clear_by_model_keeps_ceilings():
    from brainscore_core import cache

    ResultCache("layer_selection").put({"layers": ["a"]}, {"layer": "a"}, model="m1")
    ResultCache("layer_selection").put({"layers": ["a"]}, {"layer": "a"}, model="m2")
    ResultCache("ceilings").put({"data": "x"}, {"ceiling": None})
    assert cache.info()["result_entries"] == {"ceilings": 1, "layer_selection": 2}
    assert cache.clear(model="m1") == 1
    assert cache.info()["result_entries"] == {"ceilings": 1, "layer_selection": 1}
    assert cache.clear() == 2
    assert cache.info()["result_entries"] == {}


def _ceiling_module(fresh_module, value: float, helper_value: float = 0.0):
    """``ceiling_toy.py`` with ``my_ceiling`` returning ``value`` (plus a helper's), imported afresh."""
    return fresh_module(
        "ceiling_toy",
        "from brainscore_core import Score\n\n"
        f"def helper():\n    return {helper_value}\n\n"
        f"def my_ceiling(assembly):\n    return Score({value} + helper())\n",
    )


def _ceiling_with(function, data) -> float:
    benchmark = _benchmark(data)
    benchmark.ceiling_func = function
    return float(benchmark.ceiling)


def test_an_edited_ceiling_function_is_a_miss(fresh_module):
    data = _data()
    assert _ceiling_with(_ceiling_module(fresh_module, 0.5).my_ceiling, data) == 0.5
    assert _ceiling_with(_ceiling_module(fresh_module, 0.8).my_ceiling, data) == 0.8  # the probe's 0.5 -> 0.8 edit
    edited_helper = _ceiling_module(fresh_module, 0.8, helper_value=0.1)  # only a helper in its module changed
    assert _ceiling_with(edited_helper.my_ceiling, data) == pytest.approx(0.9)
    cached = ResultCache("ceilings")
    assert len(list(cached.root.glob("*.json"))) == 3


def test_callable_identity_covers_code_defaults_and_closures():
    def scaled(factor):
        def ceiling(assembly, floor=0.0):
            return Score(factor)

        return ceiling

    assert callable_identity(scaled(1.0)) != callable_identity(scaled(2.0))
    assert callable_identity(scaled(1.0))["closure"] == {"factor": 1}
    assert callable_identity(scaled(1.0))["defaults"] == [0]
    assert callable_identity(scaled(1.0))["code"]["source"] != callable_identity(_data)["code"]["source"]
