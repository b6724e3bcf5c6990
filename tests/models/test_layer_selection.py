"""Layer selection picks the layer the toy benchmark was built from, in one forward pass, and caches the choice."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest
import torch
import xarray as xr

from brainscore_core import (
    DuplicateRegistrationError,
    ModelCommitment,
    NeuralBenchmark,
    Score,
    benchmark_registry,
    neuroid_assembly,
    stimulus_set,
)
from brainscore_core.activations import Preprocessing, PytorchWrapper
from brainscore_core.activations._fingerprint import PROBE_IMAGES
from brainscore_core.commitment import _layer_selection as layer_selection
from brainscore_core.commitment import register_selection_benchmark
from brainscore_core.config import configure
from brainscore_core.plugins import ensure_discovered

BENCHMARK = "test-layer-selection.V4-toy-rdm"
N_STIMULI = 10


class ThreeStages(torch.nn.Sequential):
    images_seen = 0

    def forward(self, x):
        self.images_seen += len(x)
        return super().forward(x)


def _network(seed: int = 0) -> ThreeStages:
    torch.manual_seed(seed)
    return ThreeStages(
        OrderedDict(
            a=torch.nn.Conv2d(3, 4, kernel_size=3, stride=2),
            a_relu=torch.nn.ReLU(),
            b=torch.nn.Conv2d(4, 4, kernel_size=3),
            b_relu=torch.nn.ReLU(),
            flat=torch.nn.Flatten(),
            c=torch.nn.Linear(4 * 5 * 5, 5),
        )
    )


def _stimuli():
    rng = np.random.default_rng(7)
    images = [rng.integers(0, 256, size=(16, 16, 3), dtype=np.uint8) for _ in range(N_STIMULI)]
    return stimulus_set("selection-toy", {"stimulus_id": [f"v{i}" for i in range(N_STIMULI)]}, images=images)


def _rdm_correlation(source, target) -> Score:
    """Pearson correlation of the upper triangles of correlation-distance RDMs (stimuli matched by id)."""
    source = source.sortby("stimulus_id")
    target = target.sortby("stimulus_id")
    upper = np.triu_indices(source.sizes["presentation"], k=1)
    rdms = [1 - np.corrcoef(np.asarray(a.values, dtype=float))[upper] for a in (source, target)]
    _rdm_correlation.calls += 1
    return Score(np.corrcoef(*rdms)[0, 1])


_rdm_correlation.calls = 0


def _target_from_layer_b(stimuli) -> xr.DataArray:
    """The data the benchmark holds: the output of module b, computed directly with torch (no wrapper)."""
    network = _network()
    pixels = Preprocessing(image_size=16)([stimuli.load_image(s) for s in stimuli.stimulus_ids])
    with torch.no_grad():
        b = network.b(network.a_relu(network.a(torch.from_numpy(pixels))))
    return neuroid_assembly(b.reshape(len(pixels), -1).numpy(), stimulus_id=stimuli.stimulus_ids)


@pytest.fixture(autouse=True)
def toy_selection_benchmark(tmp_path, monkeypatch):
    ensure_discovered()
    monkeypatch.setattr(layer_selection, "SELECTION_BENCHMARKS", dict(layer_selection.SELECTION_BENCHMARKS))
    monkeypatch.delitem(layer_selection.SELECTION_BENCHMARKS, "V4", raising=False)
    stimuli = _stimuli()
    benchmark_registry[BENCHMARK] = lambda: NeuralBenchmark(
        BENCHMARK,
        assembly=lambda: _target_from_layer_b(stimuli),
        stimuli=stimuli,
        region="V4",
        metric=_rdm_correlation,
        ceiling_func=None,
        visual_degrees=8,
        version=1,
    )
    register_selection_benchmark("V4", BENCHMARK)
    _rdm_correlation.calls = 0
    with configure(cache_dir=tmp_path / "cache", cache_enabled=True, progress=False, device="cpu"):
        yield
    del benchmark_registry[BENCHMARK]


def _model(network=None) -> ModelCommitment:
    wrapper = PytorchWrapper("toy-select", network or _network(), preprocessing=Preprocessing(image_size=16))
    return ModelCommitment("toy-select", wrapper, layers=["a", "b", "c"], region_layer_map={"IT": "c"})


def test_selection_picks_the_matching_layer_in_one_forward_pass():
    model = _model()
    model.start_recording("V4")
    assert model.region_layer_map["V4"] == "b"
    wrapper = model.activations_model
    probed = wrapper.probe_passes * PROBE_IMAGES  # the behavioural fingerprint's probe batches
    assert wrapper.model.images_seen == N_STIMULI + probed  # every candidate from one pass
    scores = model.layer_scores("V4")
    assert list(scores["layer"].values) == ["a", "b", "c"]
    assert float(scores.sel(layer="b")) == pytest.approx(1.0)
    assert float(scores.sel(layer="a")) < 0.999 and float(scores.sel(layer="c")) < 0.999
    details = model.recording_details()
    assert details["layer"] == "b" and details["layer_selection_benchmark"] == BENCHMARK
    assert details["layer_selection_scores"].identical(scores)


def test_selection_scores_reach_the_score_details():
    model = _model()
    score = benchmark_registry.load(BENCHMARK)(model)
    assert float(score) == pytest.approx(1.0)
    assert score.attrs["layer"] == "b"
    assert list(score.details["layer_selection_scores"]["layer"].values) == ["a", "b", "c"]


def test_selection_is_cached_on_disk_and_keyed_on_the_weights():
    _model().start_recording("V4")
    calls = _rdm_correlation.calls
    assert calls == 3
    again = _model()
    again.start_recording("V4")
    assert _rdm_correlation.calls == calls  # served from the cache, no benchmark run
    assert again.region_layer_map["V4"] == "b"
    np.testing.assert_allclose(again.layer_scores("V4").values, _model_scores_uncached())
    calls = _rdm_correlation.calls
    changed = _network()
    with torch.no_grad():
        changed.c.weight[0, 0] += 1.0
    _model(changed).start_recording("V4")
    assert _rdm_correlation.calls == calls + 3  # a changed weight re-runs the selection


def _model_scores_uncached() -> np.ndarray:
    with configure(cache_enabled=False):
        model = _model()
        model.start_recording("V4")
        return model.layer_scores("V4").values


def test_mapped_regions_skip_selection():
    model = _model()
    model.start_recording("IT")
    assert _rdm_correlation.calls == 0 and model.layer_scores("IT") is None


def test_conflicting_selection_benchmark_registration():
    register_selection_benchmark("V4", BENCHMARK)  # the same pair again is harmless
    with pytest.raises(DuplicateRegistrationError, match="already selects layers"):
        register_selection_benchmark("V4", "another.V4-benchmark")


def _write_metric_module(fresh_module, body: str):
    """A metric in its own module file ``selection_metric_toy.py``, imported (again) after each (re)write."""
    return fresh_module(
        "selection_metric_toy",
        "import numpy as np\nfrom brainscore_core import Score\nCALLS = []\n\n"
        f"def metric(source, target):\n    CALLS.append(1)\n{body}\n",
    )


RDM_BODY = (
    "    s, t = source.sortby('stimulus_id'), target.sortby('stimulus_id')\n"
    "    upper = np.triu_indices(s.sizes['presentation'], k=1)\n"
    "    rdms = [1 - np.corrcoef(np.asarray(a.values, dtype=float))[upper] for a in (s, t)]\n"
    "    return Score({sign}np.corrcoef(*rdms)[0, 1])"
)


def _register(stimuli, metric, target=None) -> None:
    del benchmark_registry[BENCHMARK]
    benchmark_registry[BENCHMARK] = lambda: NeuralBenchmark(
        BENCHMARK,
        assembly=lambda: target if target is not None else _target_from_layer_b(stimuli),
        stimuli=stimuli,
        region="V4",
        metric=metric,
        ceiling_func=None,
        visual_degrees=8,
        version=1,
    )


def test_selection_is_keyed_on_the_benchmarks_data_and_code(fresh_module):
    stimuli = _stimuli()
    module = _write_metric_module(fresh_module, RDM_BODY.format(sign=""))
    _register(stimuli, module.metric)
    assert _model().start_recording("V4") is None and len(module.CALLS) == 3
    module = _write_metric_module(fresh_module, RDM_BODY.format(sign=""))  # same code: served from the cache
    _register(stimuli, module.metric)
    _model().start_recording("V4")
    assert module.CALLS == []
    edited = _write_metric_module(fresh_module, RDM_BODY.format(sign="-"))  # the metric's code was edited
    _register(stimuli, edited.metric)
    model = _model()
    model.start_recording("V4")
    assert len(edited.CALLS) == 3 and model.region_layer_map["V4"] != "b"  # the edited metric's choice
    other_data = _target_from_layer_b(stimuli).copy()
    other_data.values[:] = np.random.default_rng(0).standard_normal(other_data.shape)
    _register(stimuli, edited.metric, target=other_data)  # same code, other data
    _model().start_recording("V4")
    assert len(edited.CALLS) == 6
