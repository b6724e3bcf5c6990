"""PytorchWrapper runs CPU batches channels-last (faster convolutions), and contiguous for a network that refuses it."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from brainscore_core import stimulus_set
from brainscore_core.activations import Preprocessing, PytorchWrapper

pytestmark = pytest.mark.usefixtures("isolated_no_cache")


class _Recorder(torch.nn.Module):
    """A conv layer, then flattening by ``.view`` (which a channels-last tensor refuses) or by ``reshape``."""

    def __init__(self, use_view: bool) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.conv = torch.nn.Conv2d(3, 4, kernel_size=3, stride=2)
        self.use_view = use_view
        self.layouts: list[bool] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.layouts.append(x.is_contiguous(memory_format=torch.channels_last) and not x.is_contiguous())
        y = self.conv(x)
        return y.view(len(y), -1) if self.use_view else y.reshape(len(y), -1)


def _stimuli():
    rng = np.random.default_rng(1)
    images = [rng.integers(0, 256, size=(16, 16, 3), dtype=np.uint8) for _ in range(5)]
    return stimulus_set("toy", {"stimulus_id": [f"im{i}" for i in range(5)]}, images=images)


def _plain(network: torch.nn.Module, stimuli) -> np.ndarray:
    """The same layer computed on contiguous batches, outside the wrapper."""
    pixels = Preprocessing(image_size=16)([stimuli.load_image(s) for s in stimuli.stimulus_ids])
    with torch.inference_mode():
        return network.conv(torch.from_numpy(pixels)).reshape(len(pixels), -1).numpy()


def test_cpu_batches_are_channels_last_and_give_the_contiguous_values():
    network, stimuli = _Recorder(use_view=False), _stimuli()
    values = PytorchWrapper("toy", network, preprocessing=Preprocessing(image_size=16), device="cpu")(
        stimuli, ["conv"]
    ).values
    assert network.layouts and all(network.layouts)  # probe and extraction batches alike
    np.testing.assert_allclose(values, _plain(network, stimuli), rtol=1e-5, atol=1e-6)


def test_a_network_that_refuses_channels_last_runs_contiguous():
    network, stimuli = _Recorder(use_view=True), _stimuli()
    wrapper = PytorchWrapper("toy", network, preprocessing=Preprocessing(image_size=16), device="cpu", batch_size=2)
    values = wrapper(stimuli, ["conv", "logits"])
    assert network.layouts[0] is True and not any(network.layouts[2:])  # tried once, then contiguous throughout
    conv = values.sel(neuroid=values["layer"] == "conv").values
    np.testing.assert_allclose(conv, _plain(network, stimuli), rtol=1e-5, atol=1e-6)  # batch size 2 vs 5: rounding


def test_a_networks_own_error_still_propagates():
    class Broken(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            raise RuntimeError("broken forward")

    wrapper = PytorchWrapper("toy", Broken(), preprocessing=Preprocessing(image_size=16), device="cpu")
    with pytest.raises(RuntimeError, match="broken forward"):
        wrapper(_stimuli(), ["logits"])
