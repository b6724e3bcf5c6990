"""PytorchWrapper: hooks, coords, batching, determinism, the reserved 'logits' layer."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from brainscore_core import stimulus_set
from brainscore_core.activations import NOT_SPATIAL, Preprocessing, PytorchWrapper, list_layers
from brainscore_core.config import configure

pytestmark = pytest.mark.usefixtures("isolated_no_cache")

N_STIMULI = 7


def _network() -> torch.nn.Module:
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, kernel_size=3, stride=2),  # "0": (4, 7, 7) for 16x16 input
        torch.nn.ReLU(),  # "1"
        torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(2), torch.nn.Flatten()),  # "2", "2.0", "2.1": 16 units
        torch.nn.Linear(16, 5),  # "3"
    )


def _stimuli(n: int = N_STIMULI, degrees: float | None = None):
    rng = np.random.default_rng(1)
    images = [rng.integers(0, 256, size=(16, 16, 3), dtype=np.uint8) for _ in range(n)]
    return stimulus_set(
        "toy-images",
        {"stimulus_id": [f"im{i}" for i in range(n)], "category": ["a", "b"] * (n // 2) + ["a"] * (n % 2)},
        images=images,
        visual_degrees=degrees,
    )


def _wrapper(batch_size: int = 64, network: torch.nn.Module | None = None) -> PytorchWrapper:
    preprocessing = Preprocessing(image_size=16)
    return PytorchWrapper("toy", network or _network(), preprocessing=preprocessing, batch_size=batch_size)


def _direct_input(stimuli) -> torch.Tensor:
    """Preprocess by hand: no placement needed (no degrees), image already 16x16."""
    arrays = np.stack([np.asarray(stimuli.load_image(s), dtype=np.float64) / 255 for s in stimuli.stimulus_ids])
    mean, std = np.array([0.485, 0.456, 0.406]), np.array([0.229, 0.224, 0.225])
    return torch.tensor(((arrays - mean) / std).transpose(0, 3, 1, 2), dtype=torch.float32)


def test_layer_names_are_dotted_module_names_plus_logits():
    wrapper = _wrapper()
    assert list_layers(wrapper.model) == ["0", "1", "2", "2.0", "2.1", "3"]
    assert wrapper.layer_names() == ["0", "1", "2", "2.0", "2.1", "3", "logits"]


def test_shapes_coords_and_neuroid_ids():
    stimuli = _stimuli()
    assembly = _wrapper()(stimuli, ["0", "2", "logits"])
    assert assembly.dims == ("presentation", "neuroid")
    assert assembly.shape == (N_STIMULI, 4 * 7 * 7 + 16 + 5)
    assert assembly.dtype == np.float32
    assert list(assembly["stimulus_id"].values) == stimuli.stimulus_ids
    assert list(assembly["category"].values) == list(stimuli["category"])
    ids = assembly["neuroid_id"].values
    assert len(set(ids)) == assembly.sizes["neuroid"]
    conv = assembly.isel(neuroid=assembly["layer"].values == "0")
    assert conv.sizes["neuroid"] == 196
    assert ids[0] == "0.0.0.0" and ids[1] == "0.0.0.1" and ids[7] == "0.0.1.0" and ids[195] == "0.3.6.6"
    # channel_x is the column, channel_y the row of the unit in the feature map
    assert (int(conv["channel"][195]), int(conv["channel_y"][195]), int(conv["channel_x"][195])) == (3, 6, 6)
    logits = assembly.isel(neuroid=assembly["layer"].values == "logits")
    assert list(logits["neuroid_id"].values) == [f"logits.{i}" for i in range(5)]
    assert set(logits["channel_x"].values) == {NOT_SPATIAL}


def test_values_equal_a_direct_forward_pass():
    stimuli = _stimuli()
    wrapper = _wrapper()
    assembly = wrapper(stimuli, ["0", "2.1", "logits"])
    with torch.no_grad():
        x = _direct_input(stimuli)
        conv = wrapper.model[0](x)
        pooled = wrapper.model[2](wrapper.model[1](conv))
        logits = wrapper.model[3](pooled)

    def layer(name):
        return assembly.isel(neuroid=assembly["layer"].values == name).values

    np.testing.assert_allclose(layer("0"), conv.reshape(N_STIMULI, -1).numpy(), atol=1e-5)
    np.testing.assert_allclose(layer("2.1"), pooled.numpy(), atol=1e-5)
    np.testing.assert_allclose(layer("logits"), logits.numpy(), atol=1e-5)


@pytest.mark.parametrize("batch_size", [1, 3])
def test_batching_equals_unbatched(batch_size):
    stimuli = _stimuli()
    network = _network()
    whole = _wrapper(batch_size=64, network=network)(stimuli, ["0", "logits"])
    batched = _wrapper(batch_size=batch_size, network=network)(stimuli, ["0", "logits"])
    np.testing.assert_allclose(batched.values, whole.values, atol=1e-6)


def test_repeated_extraction_is_deterministic():
    stimuli = _stimuli()
    wrapper = _wrapper()
    first = wrapper(stimuli, ["1", "3"])
    second = wrapper(stimuli, ["1", "3"])
    np.testing.assert_array_equal(first.values, second.values)


def test_model_degrees_change_what_the_network_sees():
    stimuli = _stimuli(degrees=4)
    wrapper = _wrapper()
    unplaced = wrapper(stimuli, ["logits"])
    placed = wrapper(stimuli, ["logits"], model_visual_degrees=8)
    assert not np.allclose(unplaced.values, placed.values)
    assert placed.attrs["model_visual_degrees"] == 8 and placed.attrs["stimulus_visual_degrees"] == 4


def test_module_named_logits_takes_precedence():
    class Named(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.body = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 16 * 16, 6))
            self.logits = torch.nn.Linear(6, 2)

        def forward(self, x):
            return self.logits(self.body(x)) * 0 + 42.0  # the output differs from the module's

    wrapper = PytorchWrapper("named", Named(), preprocessing=Preprocessing(image_size=16))
    assert wrapper.layer_names().count("logits") == 1
    assembly = wrapper(_stimuli(), ["logits"])
    assert assembly.sizes["neuroid"] == 2
    assert not np.allclose(assembly.values, 42.0)


def test_unknown_and_duplicate_layers_are_explained():
    wrapper = _wrapper()
    with pytest.raises(ValueError, match=r"no layer '2\.9'.*Did you mean"):
        wrapper(_stimuli(), ["2.9"])
    with pytest.raises(ValueError, match="more than once"):
        wrapper(_stimuli(), ["0", "0"])
    with pytest.raises(ValueError, match="No layers"):
        wrapper(_stimuli(), [])


def test_tuple_outputs_use_their_first_tensor():
    class Pair(torch.nn.Module):
        def forward(self, x):
            return x.mean(dim=(2, 3)), "extra"

    class Network(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.pair = Pair()

        def forward(self, x):
            return self.pair(x)[0]

    assembly = PytorchWrapper("pair", Network(), preprocessing=Preprocessing(image_size=16))(_stimuli(), ["pair"])
    assert assembly.shape == (N_STIMULI, 3)


def test_images_from_files(tmp_path):
    paths = []
    for i in range(3):
        path = tmp_path / f"im{i}.png"
        Image.new("RGB", (20, 10), (i * 80, 0, 0)).save(path)
        paths.append(path)
    stimuli = stimulus_set("files", {"stimulus_id": ["a", "b", "c"]}, image_paths=paths)
    assembly = _wrapper()(stimuli, ["2.1"])
    assert assembly.shape == (3, 16)
    assert not np.allclose(assembly.values[0], assembly.values[2])


class _RecordingMoves(torch.nn.Sequential):
    """Records every ``.to(...)`` call, to see where scoring leaves the network."""

    def to(self, *args, **kwargs):
        self.moves = [*getattr(self, "moves", []), args[0] if args else kwargs.get("device")]
        return super().to(*args, **kwargs)


def test_scoring_leaves_the_model_in_its_mode_and_on_its_device(tmp_path):
    torch.manual_seed(0)
    network = _RecordingMoves(torch.nn.Conv2d(3, 2, 3), torch.nn.BatchNorm2d(2), torch.nn.Dropout(0.5))
    network.train()
    network[1].eval()  # mixed modes are restored module by module
    modes = [module.training for module in network.modules()]
    for cache_enabled in (False, True):  # with the cache on, the behavioural probe runs too
        with configure(cache_dir=tmp_path / "cache", cache_enabled=cache_enabled, progress=False, device="cpu"):
            first = _wrapper(network=network)(_stimuli(), ["0", "2"]).values
            second = _wrapper(network=network)(_stimuli(), ["0", "2"]).values
        assert [module.training for module in network.modules()] == modes
        assert network.moves[-1] == torch.device("cpu")  # moved back to where its parameters were
        np.testing.assert_array_equal(first, second)  # extracted in eval mode: dropout off, batch stats frozen
