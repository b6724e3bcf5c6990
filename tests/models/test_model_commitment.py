"""ModelCommitment as a BrainModel: recording, time bins, trial de-duplication, errors."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest
import torch

from brainscore_core import BrainModel, IncompatibleModelError, ModelCommitment, stimulus_set
from brainscore_core.activations import Preprocessing, PytorchWrapper
from brainscore_core.commitment import _layer_selection as layer_selection
from brainscore_core.config import configure
from brainscore_core.plugins import ensure_discovered

pytestmark = pytest.mark.usefixtures("isolated_cache")


class Counting(torch.nn.Sequential):
    images_seen = 0

    def forward(self, x):
        self.images_seen += len(x)
        return super().forward(x)


def _network() -> Counting:
    torch.manual_seed(0)
    return Counting(
        OrderedDict(
            early=torch.nn.Conv2d(3, 2, kernel_size=3, stride=2),
            pool=torch.nn.AdaptiveAvgPool2d(2),
            flat=torch.nn.Flatten(),
            late=torch.nn.Linear(8, 6),
        )
    )


def _model(**kwargs) -> ModelCommitment:
    wrapper = PytorchWrapper("toy-commit", _network(), preprocessing=Preprocessing(image_size=16))
    defaults = dict(layers=["early", "late"], region_layer_map={"V1": "early", "IT": "late"})
    return ModelCommitment("toy-commit", wrapper, **{**defaults, **kwargs})


def _stimuli(n=4):
    rng = np.random.default_rng(3)
    images = [rng.integers(0, 256, size=(16, 16, 3), dtype=np.uint8) for _ in range(n)]
    return stimulus_set("commit", {"stimulus_id": [f"c{i}" for i in range(n)]}, images=images, visual_degrees=8)


def test_is_a_brain_model_with_its_visual_degrees():
    model = _model(visual_degrees=10)
    assert isinstance(model, BrainModel) and model.visual_degrees() == 10


def test_recording_returns_the_committed_layer_with_region():
    model, stimuli = _model(), _stimuli()
    model.start_recording("IT")
    recording = model.look_at(stimuli)
    assert recording.dims == ("presentation", "neuroid") and recording.shape == (4, 6)
    assert set(recording["region"].values) == {"IT"} and set(recording["layer"].values) == {"late"}
    assert list(recording["stimulus_id"].values) == stimuli.stimulus_ids
    expected = model.activations_model(stimuli, ["late"], model_visual_degrees=8)
    np.testing.assert_array_equal(recording.values, expected.values)
    assert model.recording_details() == {"cache": "hit", "region": "IT", "layer": "late"}


def test_recording_details_say_how_activations_were_served():
    model, stimuli = _model(), _stimuli()
    model.start_recording("V1")
    model.look_at(stimuli)
    assert model.recording_details()["cache"] == "miss"
    model.look_at(stimuli)
    assert model.recording_details()["cache"] == "hit"
    with configure(cache_enabled=False):
        model.look_at(stimuli)
    assert model.recording_details()["cache"] == "off"


def test_time_bins_repeat_the_static_response():
    model = _model()
    model.start_recording("V1", time_bins=[(70, 170), (170, 270)])
    recording = model.look_at(_stimuli())
    assert recording.dims == ("presentation", "neuroid", "time_bin")
    assert list(recording["time_bin_start"].values) == [70, 170]
    np.testing.assert_array_equal(recording.isel(time_bin=0).values, recording.isel(time_bin=1).values)


def test_a_deterministic_model_sees_each_stimulus_once_however_many_trials():
    with configure(cache_enabled=False):
        model = _model()
        model.start_recording("IT")
        recording = model.look_at(_stimuli(), number_of_trials=5)
        assert model.activations_model.model.images_seen == 4
        assert recording.sizes["presentation"] == 4


def test_readout_task_returns_the_readout_layer_as_neural_assembly():
    model = _model(behavioral_readout_layer="late")
    model.start_task(model.Task.readout)
    features = model.look_at(_stimuli())
    assert features.dims == ("presentation", "neuroid") and set(features["layer"].values) == {"late"}


@pytest.mark.parametrize("task", ["readout", "probabilities"])
def test_missing_readout_layer_is_incompatible(task):
    with pytest.raises(IncompatibleModelError, match="behavioral_readout_layer"):
        _model().start_task(task, fitting_stimuli=_stimuli())
    with pytest.raises(IncompatibleModelError, match="'nope' is not a layer"):
        _model(behavioral_readout_layer="nope").start_task(task, fitting_stimuli=_stimuli())


def test_region_without_map_or_selection_benchmark_is_a_clear_error(monkeypatch):
    ensure_discovered()  # plugins register their selection benchmarks first
    monkeypatch.setattr(layer_selection, "SELECTION_BENCHMARKS", {})
    model = _model(region_layer_map={})
    with pytest.raises(IncompatibleModelError, match=r"region_layer_map=\{'V4'"):
        model.start_recording("V4")
    with pytest.raises(IncompatibleModelError, match="region 'MT'"):
        model.start_recording("MT")


def test_look_at_without_task_or_region_explains_itself():
    with pytest.raises(RuntimeError, match="start_recording"):
        _model().look_at(_stimuli())


def test_switching_from_task_back_to_recording():
    model = _model(behavioral_readout_layer="late")
    model.start_task("readout")
    model.start_recording("V1")
    assert set(model.look_at(_stimuli())["region"].values) == {"V1"}


def test_region_layer_map_naming_a_missing_layer_is_refused_at_construction():
    from brainscore_core.errors import UnknownLayerError

    with pytest.raises(UnknownLayerError) as raised:
        _model(region_layer_map={"V1": "early", "IT": "latee"})
    message = str(raised.value)
    assert "'toy-commit'" in message and "region 'IT'" in message and "layer 'latee'" in message
    assert "Did you mean: 'late'" in message and "region_layer_map" in message and "\n" not in message
    assert raised.value.layer == "latee" and raised.value.suggestions[0] == "late"
    assert isinstance(raised.value, ValueError)  # callers catching the wrapper's ValueError still catch it


def test_candidate_layer_that_is_missing_is_refused_at_construction():
    from brainscore_core.errors import UnknownLayerError

    with pytest.raises(UnknownLayerError, match=r"'erly', which its network does not have.*'early'.*layers="):
        _model(layers=["erly", "late"])


def test_check_layers_sees_a_map_edited_after_construction():
    from brainscore_core.errors import UnknownLayerError

    model = _model()
    model.region_layer_map["V4"] = "middle"
    with pytest.raises(UnknownLayerError, match="region 'V4'"):
        model.check_layers()


def test_activations_model_without_layer_names_is_not_checked():
    model = ModelCommitment("plain", lambda stimuli, layers, **kwargs: None, layers=["x"], region_layer_map={"IT": "y"})
    model.check_layers()
    assert model.region_layer_map == {"IT": "y"}
