"""Behavioural readouts on a toy model: ImageNet labels, mapped labels, fitted choice probabilities."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.special import softmax
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from brainscore_core import IncompatibleModelError, ModelCommitment, StimulusError, stimulus_set
from brainscore_core.activations import Preprocessing, PytorchWrapper
from brainscore_core.commitment import label_choices

pytestmark = pytest.mark.usefixtures("isolated_no_cache")

N_CLASSES = 1000


def _network() -> torch.nn.Module:
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, kernel_size=3, stride=2),
        torch.nn.AdaptiveAvgPool2d(2),
        torch.nn.Flatten(),  # "2": 16 features, the behavioural readout layer
        torch.nn.Linear(16, N_CLASSES),
    )


def _model(**kwargs) -> ModelCommitment:
    wrapper = PytorchWrapper("toy-readout", _network(), preprocessing=Preprocessing(image_size=16))
    return ModelCommitment("toy-readout", wrapper, layers=["2"], behavioral_readout_layer="2", **kwargs)


def _stimuli(n=12, seed=4, labels=None):
    rng = np.random.default_rng(seed)
    images = [rng.integers(0, 256, size=(16, 16, 3), dtype=np.uint8) for _ in range(n)]
    table = {"stimulus_id": [f"r{seed}-{i}" for i in range(n)]}
    if labels is not None:
        table["image_label"] = labels
    return stimulus_set(f"readout-{seed}", table, images=images, visual_degrees=8)


def _logits(model, stimuli) -> np.ndarray:
    return model.activations_model(stimuli, ["logits"], model_visual_degrees=8).values


def test_imagenet_label_is_the_argmax_class():
    model, stimuli = _model(), _stimuli()
    model.start_task(model.Task.label, "imagenet")
    labels = model.look_at(stimuli)
    assert labels.dims == ("presentation",)
    np.testing.assert_array_equal(labels.values, _logits(model, stimuli).argmax(axis=1))
    np.testing.assert_array_equal(labels["logit"].values, labels.values)
    assert list(labels["stimulus_id"].values) == stimuli.stimulus_ids


def test_imagenet_label_uses_class_names_when_given():
    names = [f"n{i:08d}" for i in range(N_CLASSES)]
    model, stimuli = _model(class_names=names), _stimuli()
    model.start_task("label", "imagenet")
    labels = model.look_at(stimuli)
    expected = _logits(model, stimuli).argmax(axis=1)
    assert list(labels.values) == [names[i] for i in expected]


def test_label_mapping_averages_softmax_probabilities_over_each_labels_classes():
    model, stimuli = _model(), _stimuli()
    mapping = {"knife": [499, 500], "bear": list(range(294, 298)), "dog": list(range(151, 269))}
    model.start_task(model.Task.label, mapping)
    labels = model.look_at(stimuli)
    probabilities = softmax(_logits(model, stimuli).astype(np.float64), axis=1)
    per_label = np.stack([probabilities[:, indices].mean(axis=1) for indices in mapping.values()], axis=1)
    np.testing.assert_array_equal(labels.values, np.array(list(mapping))[per_label.argmax(axis=1)])


def test_label_choices_known_answer():
    logits = np.log(np.array([[0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1]]))
    # "a": mean(0.1, 0.2) = 0.15 vs "b": 0.4 -> b ; second row: a = 0.4 vs b = 0.1 -> a
    assert list(label_choices(logits, {"a": [0, 1], "b": [3]})) == ["b", "a"]
    with pytest.raises(ValueError, match="outside the model's 4 outputs"):
        label_choices(logits, {"a": [0, 9]})


def test_label_list_is_matched_through_class_names_or_refused():
    names = [f"class{i}" for i in range(N_CLASSES)]
    names[7] = names[9] = "Truck"
    model, stimuli = _model(class_names=names), _stimuli()
    model.start_task("label", ["truck", "class3"])
    labels = model.look_at(stimuli)
    probabilities = softmax(_logits(model, stimuli).astype(np.float64), axis=1)
    truck, class3 = probabilities[:, [7, 9]].mean(axis=1), probabilities[:, 3]
    np.testing.assert_array_equal(labels.values, np.where(truck >= class3, "truck", "class3"))
    with pytest.raises(IncompatibleModelError, match="mapping"):
        _model().start_task("label", ["truck", "car"])


def test_label_task_needs_a_logits_layer():
    with pytest.raises(IncompatibleModelError, match="logits"):
        _model(logits_layer=None).start_task("label", "imagenet")
    with pytest.raises(IncompatibleModelError, match="logits"):
        _model(logits_layer="missing").start_task("label", "imagenet")


def test_probabilities_equal_a_directly_fitted_logistic_regression():
    labels = ["cat", "dog", "fish"] * 6
    fitting = _stimuli(n=18, seed=5, labels=labels)
    test = _stimuli(n=6, seed=6)
    model = _model()
    model.start_task(model.Task.probabilities, fitting)
    probabilities = model.look_at(test)
    assert probabilities.dims == ("presentation", "choice")
    assert list(probabilities["choice"].values) == ["cat", "dog", "fish"]
    np.testing.assert_allclose(probabilities.sum("choice").values, 1.0)

    def features(stimuli):
        return model.activations_model(stimuli, ["2"], model_visual_degrees=8).values

    scaler = StandardScaler().fit(features(fitting))
    direct = LogisticRegression(C=1e-3, max_iter=1000).fit(scaler.transform(features(fitting)), labels)
    expected = direct.predict_proba(scaler.transform(features(test)))
    np.testing.assert_allclose(probabilities.values, expected, atol=1e-4)


def test_probabilities_need_labelled_fitting_stimuli():
    with pytest.raises(StimulusError, match="image_label"):
        _model().start_task("probabilities", _stimuli())
