"""EfficientNet-Lite0: the architecture loads the package's weights, the weights are really trained, and the
BrainModel answers recordings and label tasks."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from brainscore_core import load_benchmark, load_dataset, load_model, load_stimulus_set
from brainscore_core.activations import PytorchWrapper
from brainscore_core.brain_model import REGIONS
from brainscore_core.testing import (
    assert_committed_region_layer_map,
    assert_label_task,
    assert_readout,
    assert_recording_interface,
    assert_registration_imports_no_torch,
    assert_score_matches,
    committed_region_layer_map,
)

from .model import (
    BEHAVIORAL_READOUT_LAYER,
    FIXED_REGION_LAYERS,
    LAYERS,
    PREPROCESSING,
    REGION_LAYER_MAP_FILE,
    build_network,
)
from .network import EfficientNetLite0, SamePaddingConv2d

IDENTIFIER = "efficientnet_lite0"

#: (ceiled score, its error) that this implementation gives on every compatible benchmark (error 0: none reported).
PINNED_SCORES: dict[str, tuple[float, float]] = {
    "Cowley2023.V4-pls": (0.3856, 0.0097),
    "Cowley2023.V4-ridgecv": (0.3926, 0.0101),
    "Geirhos2019.cue_conflict-error_consistency": (0.1816, 0.0182),
    "Geirhos2019.cue_conflict-shape_bias": (0.7144, 0.0057),
    "Geirhos2019.edges-error_consistency": (0.0836, 0.0182),
    "Geirhos2019.edges-top1": (0.3563, 0.4789),
    "Geirhos2019.silhouettes-error_consistency": (0.1846, 0.0251),
    "Geirhos2019.silhouettes-top1": (0.5062, 0.5000),
    "Kiani2007.mIT-rsa": (0.4448, 0.0),
    "Kriegeskorte2008.hIT-rsa": (0.4057, 0.0295),
    "Mur2013.similarity-rsa": (0.4373, 0.0193),
}


@pytest.fixture(scope="module")
def network() -> EfficientNetLite0:
    return build_network()


@pytest.fixture(scope="module")
def wrapper(network) -> PytorchWrapper:
    return PytorchWrapper(IDENTIFIER, network, preprocessing=PREPROCESSING)


def _imagenet_class_names() -> list[str]:
    from example_plugins.data.geirhos2019.experiments import DATA_ROOT
    from example_plugins.data.geirhos2019.loaders import verify_files

    relative = "imagenet_16class/imagenet_categories.txt"  # "<wnid> <name>, <synonyms>" per class, in index order
    verify_files([relative])
    lines = (DATA_ROOT / relative).read_text().splitlines()
    return [line.split(" ", 1)[1].split(",")[0].strip() for line in lines]


def test_architecture_matches_the_state_dict_exactly(network):
    # strict=True in build_network already refuses missing or unexpected keys; check the size too:
    # EfficientNet-Lite0 has 4.65 M parameters (TensorFlow TPU repository).
    n_parameters = sum(p.numel() for p in network.parameters())
    assert 4.6e6 < n_parameters < 4.7e6
    assert network(torch.zeros(1, 3, 224, 224)).shape == (1, 1000)


def test_same_padding_is_tensorflow_same_padding():
    torch.manual_seed(0)
    conv = SamePaddingConv2d(2, 3, kernel_size=3, stride=2)
    image = torch.randn(1, 2, 8, 8)
    # TensorFlow 'SAME', stride 2, kernel 3, input 8: output 4, total padding 1, all of it at the bottom/right.
    expected = F.conv2d(F.pad(image, [0, 1, 0, 1]), conv.weight, stride=2)
    torch.testing.assert_close(conv(image), expected)
    odd = torch.randn(1, 2, 7, 7)  # input 7: total padding 2, split evenly
    torch.testing.assert_close(conv(odd), F.conv2d(F.pad(odd, [1, 1, 1, 1]), conv.weight, stride=2))


@pytest.mark.parametrize(
    "image, expected",
    [
        ("stim_032", "zebra"),
        ("stim_033", "African elephant"),
        ("stim_041", "German shepherd"),
        ("stim_047", "lion"),
        ("stim_068", "pineapple"),
        ("stim_085", "revolver"),
    ],
)
def test_imagenet_top5_names_the_object(wrapper, image, expected):
    stimuli = load_stimulus_set("Kriegeskorte2008.92images")
    names = _imagenet_class_names()
    subset = stimuli.subset([s for s in stimuli.stimulus_ids if image in s])
    logits = wrapper(subset, ["logits"]).values[0]
    top5 = [names[i] for i in np.argsort(logits)[::-1][:5]]
    assert expected in top5, f"{image}: top-5 {top5}"


@pytest.mark.slow
@pytest.mark.parametrize("experiment", ["edges", "silhouettes"])
def test_16_class_accuracy_is_far_above_chance(wrapper, experiment):
    # each image fills the field of view, as in the Geirhos2019.<experiment>-top1 benchmarks: whichever of this
    # test and that benchmark's pinned score runs second reads the other's logits from the activations cache
    degrees = load_model(IDENTIFIER).visual_degrees()
    stimuli = load_stimulus_set(f"Geirhos2019.{experiment}").with_visual_degrees(degrees)
    mapping = load_dataset("Geirhos2019.imagenet_16class")
    logits = wrapper(stimuli, ["logits"], model_visual_degrees=degrees).values.astype(np.float64)
    probabilities = torch.softmax(torch.from_numpy(logits), dim=1).numpy()
    categories = sorted(mapping)
    per_category = np.stack([probabilities[:, mapping[c]].mean(axis=1) for c in categories], axis=1)
    predicted = np.asarray(categories)[per_category.argmax(axis=1)]
    accuracy = float(np.mean(predicted == stimuli["truth"].to_numpy()))
    assert accuracy > 5 / 16, f"{experiment}: 16-class accuracy {accuracy:.3f}"


@pytest.fixture(scope="module")
def few_stimuli():
    full = load_stimulus_set("Kriegeskorte2008.92images")
    return full.subset(full.stimulus_ids[:4]).with_visual_degrees(8)


def test_committed_map_covers_every_region():
    assert_committed_region_layer_map(REGION_LAYER_MAP_FILE, layers=LAYERS, fixed=FIXED_REGION_LAYERS)
    # V4 and IT were selected ahead of time: their selections (scores per candidate layer) are committed too
    committed = json.loads(REGION_LAYER_MAP_FILE.read_text())
    assert set(committed["selection"]) == set(REGIONS) - set(FIXED_REGION_LAYERS)


@pytest.mark.parametrize("region", ["V4", "IT"])
def test_recording_interface(few_stimuli, region):
    layer = committed_region_layer_map(REGION_LAYER_MAP_FILE)[region]
    assert_recording_interface(load_model(IDENTIFIER), few_stimuli, region, layer)


def test_label_and_readout_tasks(few_stimuli):
    model = load_model(IDENTIFIER)
    assert_label_task(model, few_stimuli, load_dataset("Geirhos2019.imagenet_16class"))
    assert_readout(model, few_stimuli, BEHAVIORAL_READOUT_LAYER, features=1280)


@pytest.mark.slow
@pytest.mark.parametrize("benchmark_identifier", sorted(PINNED_SCORES))
def test_benchmark_score(benchmark_identifier):
    """Scores are deterministic; see brainscore_core.testing.pinned_tolerance for the tolerance."""
    score = load_benchmark(benchmark_identifier)(load_model(IDENTIFIER))
    assert_score_matches(score, *PINNED_SCORES[benchmark_identifier])


def test_registration_imports_no_torch():
    """Plugin discovery imports ``__init__.py`` only; torch must wait until the model is built."""
    assert_registration_imports_no_torch(__package__)
