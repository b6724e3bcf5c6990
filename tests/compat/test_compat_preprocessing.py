"""Preprocessing through the compatibility layer: ``load_preprocess_images`` gives Brain-Score's arrays, the
preprocessing a plugin passes is what runs, and it is part of the activations cache key (code, arguments and a
probe of its output; never its repr or id)."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest
import torch
from brainscore_vision.model_helpers.activations.core import ActivationsExtractorHelper
from brainscore_vision.model_helpers.activations.pytorch import (
    PytorchWrapper,
    as_core_preprocessing,
    load_images,
    load_preprocess_images,
    preprocess_images,
)
from compat_helpers import NETWORK
from PIL import Image
from preprocessing_expected import ALPHA, EXPECTED, RGB

import brainscore_core  # noqa: F401  (installs the finder)
from brainscore_core import stimulus_set
from brainscore_core.activations import FilePreprocessing, Preprocessing


@pytest.fixture
def tiny_images(tmp_path: Path) -> dict[str, Path]:
    rgb = np.array(RGB, dtype=np.uint8)
    paths = {name: tmp_path / name for name in ("rgb.png", "grey.png", "rgba.png")}
    Image.fromarray(rgb, "RGB").save(paths["rgb.png"])
    Image.fromarray(rgb, "RGB").convert("L").save(paths["grey.png"])
    Image.fromarray(np.dstack([rgb, np.array(ALPHA, dtype=np.uint8)]), "RGBA").save(paths["rgba.png"])
    return paths


def _network() -> torch.nn.Module:
    namespace: dict[str, object] = {}
    exec(NETWORK, namespace)
    return namespace["build_network"]()  # type: ignore[operator]


@pytest.mark.parametrize("kind", ["imagenet", "inception"])
@pytest.mark.parametrize("name", ["rgb.png", "grey.png", "rgba.png"])
def test_load_preprocess_images_equals_brainscores_on_tiny_images(tiny_images, kind: str, name: str) -> None:
    result = load_preprocess_images([tiny_images[name]], image_size=3, preprocess_type=kind)
    assert result.dtype == np.float32 and result.shape == (1, 3, 3, 3)
    np.testing.assert_allclose(result[0], np.array(EXPECTED[f"{kind}/{name}"]), atol=2e-6, rtol=0)


def test_several_files_stack_and_an_unknown_type_is_refused(tiny_images) -> None:
    paths = list(tiny_images.values())
    batch = load_preprocess_images(paths, 5)
    assert batch.shape == (3, 3, 5, 5) and batch.dtype == np.float32
    np.testing.assert_array_equal(batch, preprocess_images(load_images(paths), 5))
    with pytest.raises(ValueError, match=r"preprocess_type must be one of \('imagenet', 'inception'\), got 'vgg'"):
        load_preprocess_images(paths, 5, preprocess_type="vgg")


def test_the_imagenet_partial_runs_as_our_preprocessing_with_the_same_numbers(tiny_images) -> None:
    plain = as_core_preprocessing(functools.partial(load_preprocess_images, image_size=7))
    assert plain == Preprocessing(image_size=7)
    half = functools.partial(load_preprocess_images, image_size=7, normalize_mean=(0.5,) * 3, normalize_std=(0.5,) * 3)
    assert as_core_preprocessing(half) == Preprocessing(image_size=7, mean=(0.5,) * 3, std=(0.5,) * 3)
    one_value = functools.partial(load_preprocess_images, image_size=7, normalize_mean=(0.5,), normalize_std=[0.5])
    assert as_core_preprocessing(one_value) == as_core_preprocessing(half)  # broadcast, as torchvision does
    images = [Image.open(path) for path in tiny_images.values()]
    np.testing.assert_array_equal(plain(images), load_preprocess_images(list(tiny_images.values()), 7))


def _own_preprocessing(paths):
    return np.stack(
        [
            np.asarray(Image.open(p).convert("RGB").resize((9, 9)), dtype=np.float32).transpose(2, 0, 1) / 9
            for p in paths
        ]
    )


@pytest.mark.parametrize(
    "preprocessing",
    [
        functools.partial(load_preprocess_images, image_size=9, preprocess_type="inception"),
        lambda paths: load_preprocess_images(paths, 9),  # not the partial form: run as given
        _own_preprocessing,
    ],
)
def test_any_other_preprocessing_runs_as_given_on_files(tiny_images, preprocessing) -> None:
    core = as_core_preprocessing(preprocessing)
    assert isinstance(core, FilePreprocessing)
    images = [Image.open(path) for path in tiny_images.values()]
    np.testing.assert_array_equal(core(images), preprocessing(list(tiny_images.values())))


def test_the_key_of_a_file_preprocessing_follows_its_arguments_and_behaviour(fresh_module) -> None:
    inception = functools.partial(load_preprocess_images, image_size=9, preprocess_type="inception")
    same = functools.partial(load_preprocess_images, image_size=9, preprocess_type="inception")
    assert FilePreprocessing(inception).describe() == FilePreprocessing(same).describe()
    bigger = functools.partial(load_preprocess_images, image_size=11, preprocess_type="inception")
    assert FilePreprocessing(inception).describe() != FilePreprocessing(bigger).describe()

    module = fresh_module("plugin_pre", "import numpy as np\nSCALE = 1.0\n\ndef pre(paths):\n" + _SOURCE)
    before = FilePreprocessing(module.pre).describe()
    module.SCALE = 2.0  # the code is unchanged; only the probe of the output can tell
    after = FilePreprocessing(module.pre).describe()
    assert before["function"] == after["function"] and before["probe"] != after["probe"]
    edited = fresh_module("plugin_pre", "import numpy as np\nSCALE = 1.0\n\ndef pre(paths):\n" + _SOURCE + "\n")
    assert FilePreprocessing(edited.pre).describe()["function"] != before["function"]


_SOURCE = """    from PIL import Image
    return np.stack([np.asarray(Image.open(p).resize((5, 5)), dtype=np.float32).transpose(2, 0, 1) * SCALE
                     for p in paths])
"""


def test_a_preprocessing_returning_tensors_or_the_wrong_rows(tiny_images) -> None:
    images = [Image.open(path) for path in tiny_images.values()]
    as_list = FilePreprocessing(lambda paths: [torch.zeros(3, 4, 4, dtype=torch.float64) for _ in paths])
    assert as_list(images).shape == (3, 3, 4, 4) and as_list(images).dtype == np.float32
    wrong = FilePreprocessing(lambda paths: np.zeros((1, 3, 4, 4)))
    with pytest.raises(ValueError, match=r"returned ndarray of shape \(1, 3, 4, 4\) for 3 image\(s\)"):
        wrong(images)


def test_the_wrapper_keeps_brainscores_members(tiny_images, isolated_cache) -> None:
    network = _network()
    wrapper = PytorchWrapper(network, functools.partial(load_preprocess_images, image_size=32))
    assert wrapper.identifier == "Sequential" and wrapper.image_size == 32 and wrapper._model is network
    assert wrapper.get_layer("logits") is network[6] is wrapper._output_layer()
    assert [name for name, _ in wrapper.layers()] == ["0", "1", "2", "3", "4", "5", "6"]
    paths = [str(tiny_images["rgb.png"]), str(tiny_images["grey.png"]), str(tiny_images["rgb.png"])]
    batch = load_preprocess_images(paths, 32)
    direct = wrapper.get_activations(batch, ["2", "logits"])
    assert list(direct) == ["2", "logits"] and direct["logits"].shape == (3, 10)
    assembly = wrapper(paths, layers=["logits"])
    assert list(assembly["stimulus_path"].values) == paths  # the repeated path is computed once, returned twice
    np.testing.assert_allclose(assembly.values, direct["logits"], atol=1e-5)
    with pytest.raises(TypeError, match="accepts model, preprocessing, identifier, forward_kwargs and batch_size"):
        PytorchWrapper(network, load_preprocess_images, "x", None, "extra")


def test_forward_kwargs_reach_the_network_and_the_key(tiny_images, isolated_cache) -> None:
    class Scaled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body = _network()

        def forward(self, x: torch.Tensor, scale: float = 1.0) -> torch.Tensor:
            return self.body(x) * scale

    preprocessing = functools.partial(load_preprocess_images, image_size=32)
    plain = PytorchWrapper(Scaled(), preprocessing, identifier="scaled")
    doubled = PytorchWrapper(Scaled(), preprocessing, identifier="scaled", forward_kwargs={"scale": 2.0})
    stimuli = stimulus_set("tiny", {"stimulus_id": ["a"]}, image_paths=[tiny_images["rgb.png"]])
    first = plain(stimuli, ["logits"])
    second = doubled(stimuli, ["logits"])
    assert doubled.last_cache_status == "miss"
    np.testing.assert_allclose(second.values, 2 * first.values, rtol=1e-5)


def test_an_extractor_helper_runs_a_non_torch_model_on_placed_files(tiny_images) -> None:
    seen: list[list[str]] = []

    def get_activations(paths, layer_names):
        seen.append(paths)
        pixels = np.stack([np.asarray(Image.open(p).convert("RGB").resize((4, 4)), dtype=np.float32) for p in paths])
        return {"pixels": pixels.reshape(len(paths), -1) / 255}

    helper = ActivationsExtractorHelper(get_activations, preprocessing=None, identifier="pixels", batch_size=2)
    helper.set_visual_degrees(8)
    stimuli = stimulus_set("tiny", {"stimulus_id": ["a", "b", "c"]}, image_paths=list(tiny_images.values()))
    stimuli.visual_degrees = 4  # shown smaller than the model's field: placed on grey, as Brain-Score does
    assembly = helper(stimuli, ["pixels"])
    assert assembly.sizes == {"presentation": 3, "neuroid": 48}
    assert [len(batch) for batch in seen] == [2, 1]
    corner = assembly.values[0].reshape(4, 4, 3)[0, 0]
    np.testing.assert_allclose(corner, 128 / 255, atol=2 / 255)  # the grey screen around the stimulus
    assert helper.last_cache_status == "off"
