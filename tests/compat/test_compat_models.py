"""Brain-Score model plugins, written in Brain-Score's idiom, load and score through the compatibility layer; the
same network scores the same through both routes, and shares the activations cache only when the preprocessing
is the same."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pytest
from compat_helpers import NETWORK
from PIL import Image

import brainscore_core
from brainscore_core import NeuralBenchmark, Score, benchmark_registry, neuroid_assembly, stimulus_set
from brainscore_core.activations import FilePreprocessing, Preprocessing
from brainscore_core.activations import PytorchWrapper as CoreWrapper
from brainscore_core.assemblies import align_by_stimulus
from brainscore_core.commitment import ModelCommitment as CoreCommitment

pytestmark = pytest.mark.usefixtures("isolated_cache")

LAYERS = ["0", "2", "6"]

PLUGIN_INIT = """
from brainscore_vision import model_registry
from brainscore_vision.model_helpers.brain_transformation import ModelCommitment
from .model import get_layers, get_model

model_registry['tinynet-bs'] = lambda: ModelCommitment(
    identifier='tinynet-bs', activations_model=get_model('tinynet-bs'), layers=get_layers('tinynet-bs'))
"""

PLUGIN_MODEL = (
    """
import functools

from brainscore_vision.model_helpers.activations.pytorch import PytorchWrapper, load_preprocess_images
from brainscore_vision.model_helpers.check_submission import check_models
"""
    + NETWORK
    + """

def get_model_list():
    return ['tinynet-bs']


def get_model(name):
    assert name == 'tinynet-bs'
    preprocessing = functools.partial(load_preprocess_images, image_size=32)
    wrapper = PytorchWrapper(identifier='tinynet', model=build_network(), preprocessing=preprocessing)
    wrapper.image_size = 32
    return wrapper


def get_layers(name):
    return ['0', '2', '6']


def get_bibtex(model_identifier):
    return '@misc{tinynet}'


if __name__ == '__main__':
    check_models.check_base_models(__name__)
"""
)

PLUGIN_TEST = """
import pytest

import brainscore_vision


@pytest.mark.travis_slow
def test_has_identifier():
    model = brainscore_vision.load_model('tinynet-bs')
    assert model.identifier == 'tinynet-bs'
"""


def _network():
    namespace: dict[str, object] = {}
    exec(NETWORK, namespace)
    return namespace["build_network"]()  # type: ignore[operator]


def _correlation_of_means(source, target):
    source, target = align_by_stimulus(source, target)
    return Score(float(np.corrcoef(source.values.mean(axis=1), target.values.mean(axis=1))[0, 1]), error=0.0)


def _split_half(assembly):
    halves = [assembly.isel(presentation=assembly["repetition"].values == r).values for r in (0, 1)]
    return Score(float(np.corrcoef(halves[0].mean(axis=1), halves[1].mean(axis=1))[0, 1]))


@pytest.fixture
def toy_benchmark(tmp_path: Path, plugin_host) -> str:
    """``CompatToy.V4``: 10 image files (JPEG and PNG) shown at 4 degrees, synthetic V4 responses."""
    rng = np.random.default_rng(0)
    folder = tmp_path / "stimuli"
    folder.mkdir()
    ids, paths, brightness = [], [], []
    for index in range(10):
        pixels = (rng.integers(0, 255, (20, 28, 3)) * rng.uniform(0.1, 1.0)).astype(np.uint8)
        path = folder / f"image{index}.{'png' if index % 2 else 'jpg'}"
        Image.fromarray(pixels).save(path)
        ids.append(f"image{index}")
        paths.append(path)
        brightness.append(pixels.mean())
    responses = [np.array(brightness)[:, None] * [1.0, 0.5] + rng.normal(0, 15, (10, 2)) for _ in range(2)]
    assembly = neuroid_assembly(
        np.concatenate(responses), stimulus_id=ids * 2, presentation_coords={"repetition": [0] * 10 + [1] * 10}
    )

    def make() -> NeuralBenchmark:
        stimuli = stimulus_set("compat-toy", {"stimulus_id": ids}, image_paths=paths)
        return NeuralBenchmark(
            "CompatToy.V4",
            assembly=assembly,
            stimuli=stimuli,
            region="V4",
            metric=_correlation_of_means,
            ceiling_func=_split_half,
            visual_degrees=4,
            version=1,
        )

    benchmark_registry["CompatToy.V4"] = make
    return "CompatToy.V4"


@pytest.fixture
def bs_plugin(write_plugin, plugin_host) -> Path:
    """The ``tinynet-bs`` plugin folder (region map in ``region_layer_map/tinynet-bs.json``), discovered."""
    directory = write_plugin(
        "tinynet",
        {
            "__init__.py": PLUGIN_INIT,
            "model.py": PLUGIN_MODEL,
            "test.py": PLUGIN_TEST,
            "region_layer_map/tinynet-bs.json": json.dumps({"V1": "0", "V2": "0", "V4": "2", "IT": "2"}),
        },
    )
    plugin_host.add_plugin_directories(directory)
    return directory


def test_a_brainscore_plugin_loads_with_its_region_map_and_helpers(bs_plugin):
    import brainscore_vision

    model = brainscore_vision.load_model("tinynet-bs")
    assert model.identifier == "tinynet-bs"
    assert model.region_layer_map == {"V1": "0", "V2": "0", "V4": "2", "IT": "2"}
    assert model.region_layer_map_source.endswith("region_layer_map/tinynet-bs.json")
    assert model.visual_degrees() == 8
    assert model.behavioral_readout_layer == "6"  # Brain-Score's default: the last of `layers`
    assert model.layers == LAYERS
    wrapper = model.activations_model
    assert wrapper.identifier == "tinynet" and wrapper.image_size == 32
    assert wrapper._extractor._visual_degrees == 8  # ModelCommitment told the extractor, as Brain-Score does
    assert isinstance(wrapper.preprocessing, Preprocessing) and wrapper.preprocessing.image_size == 32
    assert brainscore_vision.load_model_bibtex("tinynet-bs") == "@misc{tinynet}"


def test_without_a_region_map_layer_selection_is_left_to_run(bs_plugin):
    (bs_plugin / "models" / "tinynet" / "region_layer_map" / "tinynet-bs.json").unlink()
    model = brainscore_core.load_model("tinynet-bs")
    assert model.region_layer_map == {}
    assert model.region_layer_map_source == "layer selection"


def test_a_malformed_region_map_names_the_file(bs_plugin):
    path = bs_plugin / "models" / "tinynet" / "region_layer_map" / "tinynet-bs.json"
    path.write_text('{"V4": ["2"]}')
    with pytest.raises(brainscore_core.PluginError, match=r"tinynet-bs\.json: the region layer map of 'tinynet-bs'"):
        brainscore_core.load_model("tinynet-bs")


def test_score_takes_brainscore_arguments_and_compares_like_its_score(bs_plugin, toy_benchmark):
    import brainscore_vision

    result = brainscore_vision.score(
        model_identifier="tinynet-bs", benchmark_identifier=toy_benchmark, conda_active=True
    )
    assert isinstance(result, Score)
    assert result == pytest.approx(result.value, abs=1e-12)  # Brain-Score's tests compare so
    assert result.values.shape == () and result.item() == result.value
    assert repr(result).startswith(f"Score({result.value:.4f}, error=")  # our short repr, not every field
    assert result.attrs["raw"] == result.raw and result.attrs["ceiling"] == result.ceiling
    assert result.attrs["model_identifier"] == "tinynet-bs"
    assert result.attrs["benchmark_identifier"] == toy_benchmark
    assert result.attrs["comment"] == "layers: {'V1': '0', 'V2': '0', 'V4': '2', 'IT': '2'}"


def _native(preprocessing) -> CoreCommitment:
    wrapper = CoreWrapper("tinynet", _network(), preprocessing=preprocessing)
    return CoreCommitment("tinynet-native", wrapper, layers=LAYERS, region_layer_map={"V4": "2"})


def test_both_routes_give_the_same_score_and_share_the_cache(bs_plugin, toy_benchmark):
    compat = brainscore_core.score("tinynet-bs", toy_benchmark)
    assert compat.attrs["cache"] == "miss"
    native = brainscore_core.score(_native(Preprocessing(image_size=32)), toy_benchmark)
    assert native.attrs["cache"] == "hit"  # the very entry the compat route stored
    assert native.value == compat.value and native.raw == compat.raw


def test_a_different_preprocessing_is_a_cache_miss(bs_plugin, toy_benchmark):
    from brainscore_vision.model_helpers.activations.pytorch import load_preprocess_images

    compat = brainscore_core.score("tinynet-bs", toy_benchmark)
    other_size = brainscore_core.score(_native(Preprocessing(image_size=40)), toy_benchmark)
    inception = functools.partial(load_preprocess_images, image_size=32, preprocess_type="inception")
    other_kind = brainscore_core.score(_native(FilePreprocessing(inception)), toy_benchmark)
    assert (compat.attrs["cache"], other_size.attrs["cache"], other_kind.attrs["cache"]) == ("miss", "miss", "miss")
    again = brainscore_core.score(_native(FilePreprocessing(inception)), toy_benchmark)
    assert again.attrs["cache"] == "hit" and again.value == other_kind.value


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["in-process", "xdist"])
def test_the_plugins_own_test_file_passes_under_our_pytest(bs_plugin, pytester: pytest.Pytester, workers):
    result = pytester.runpytest_subprocess(
        str(bs_plugin / "models" / "tinynet" / "test.py"),
        *workers,
        f"--brainscore-plugins={bs_plugin}",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        "-W",
        "ignore::pytest.PytestUnknownMarkWarning",
    )
    result.assert_outcomes(passed=1)


def test_a_commitment_built_by_a_module_finds_the_map_next_to_it(fresh_module, tmp_path: Path):
    (tmp_path / "region_layer_map").mkdir()
    (tmp_path / "region_layer_map" / "unregistered.json").write_text(json.dumps({"IT": "2"}))
    module = fresh_module(
        "builds_a_commitment",
        NETWORK
        + "\nimport functools\n"
        + "from brainscore_vision.model_helpers.activations.pytorch import PytorchWrapper, load_preprocess_images\n"
        + "from brainscore_vision.model_helpers.brain_transformation import ModelCommitment\n\n"
        + "def get_model():\n"
        + "    wrapper = PytorchWrapper(build_network(), functools.partial(load_preprocess_images, image_size=32))\n"
        + "    return ModelCommitment(identifier='unregistered', activations_model=wrapper, layers=['0', '2'])\n",
    )
    model = module.get_model()
    assert model.region_layer_map == {"IT": "2"}
    assert model.region_layer_map_source == str(tmp_path / "region_layer_map" / "unregistered.json")
