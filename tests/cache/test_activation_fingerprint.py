"""The activations cache key follows what the network computes: structure fingerprint plus behavioural probe."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from brainscore_core import stimulus_set
from brainscore_core.activations import NondeterministicModelWarning, Preprocessing, PytorchWrapper
from brainscore_core.activations._fingerprint import probe_fingerprints, structure_fingerprint
from brainscore_core.cache import ActivationsCache
from brainscore_core.config import configure

pytestmark = pytest.mark.usefixtures("isolated_cache")


class ProbeNet(torch.nn.Module):
    """Conv -> activation -> pooling -> linear, with a non-persistent buffer and a plain attribute in forward."""

    def __init__(self, activation: type[torch.nn.Module] = torch.nn.ReLU, stride: int = 2, dropout: bool = False):
        super().__init__()
        torch.manual_seed(0)
        self.conv = torch.nn.Conv2d(3, 4, kernel_size=3, stride=stride)
        self.act = activation()
        self.pool = torch.nn.AdaptiveAvgPool2d(2)
        self.fc = torch.nn.Linear(16, 5)
        self.register_buffer("offset", torch.zeros(1), persistent=False)
        self.threshold = 0.0
        self.dropout = dropout
        self.calls = 0  # changed by forward itself: must not make every call a miss

    def forward(self, x):
        self.calls += 1
        features = self.pool(self.act(self.conv(x) + self.offset)).flatten(1)
        features = torch.where(features > self.threshold, features, torch.zeros_like(features))
        if self.dropout:
            features = torch.nn.functional.dropout(features, p=0.5, training=True)
        return self.fc(features)


def _stimuli():
    rng = np.random.default_rng(1)
    images = [rng.integers(0, 256, size=(16, 16, 3), dtype=np.uint8) for _ in range(4)]
    return stimulus_set("fingerprint-toy", {"stimulus_id": [f"s{i}" for i in range(4)]}, images=images)


def _wrapper(network: torch.nn.Module) -> PytorchWrapper:
    return PytorchWrapper("probe_net", network, preprocessing=Preprocessing(image_size=16))


def _truth(network: torch.nn.Module) -> np.ndarray:
    with configure(cache_enabled=False):
        return _wrapper(network)(_stimuli(), ["logits"]).values


def _served(network: torch.nn.Module, wrapper: PytorchWrapper | None = None) -> tuple[np.ndarray, str | None]:
    wrapper = wrapper or _wrapper(network)
    values = wrapper(_stimuli(), ["logits"]).values
    return values, wrapper.last_cache_status


def test_an_unchanged_model_hits_also_in_a_new_wrapper_and_despite_a_forward_counter():
    network = ProbeNet()
    wrapper = _wrapper(network)
    first, status = _served(network, wrapper)
    assert status == "miss"
    again, status = _served(network, wrapper)
    assert status == "hit"
    np.testing.assert_array_equal(again, first)
    assert wrapper.probe_passes == 2  # one probe (two runs) per structure, not per call
    rebuilt, status = _served(ProbeNet())  # a fresh build of the same network
    assert status == "hit"
    np.testing.assert_array_equal(rebuilt, first)


def _same_weights(source: torch.nn.Module, target: torch.nn.Module) -> torch.nn.Module:
    target.load_state_dict(source.state_dict())
    return target


@pytest.mark.parametrize(
    "rebuild",
    [lambda: ProbeNet(activation=torch.nn.Tanh), lambda: ProbeNet(stride=3)],
    ids=["relu_to_tanh", "conv_stride"],
)
def test_an_architecture_change_with_identical_weights_misses(rebuild):
    original = ProbeNet()
    _served(original)
    changed = _same_weights(original, rebuild())
    values, status = _served(changed)
    assert status == "miss"
    np.testing.assert_allclose(values, _truth(changed), atol=1e-6)
    assert not np.allclose(values, _truth(original))


def _set_buffer(network: ProbeNet) -> None:
    network.offset.fill_(0.3)  # in place: not in the state dict (non-persistent)


def _set_attribute(network: ProbeNet) -> None:
    network.threshold = 0.2


@pytest.mark.parametrize("change", [_set_buffer, _set_attribute], ids=["nonpersistent_buffer", "plain_attribute"])
def test_an_in_process_change_outside_the_state_dict_misses(change):
    network = ProbeNet()
    wrapper = _wrapper(network)
    before, _ = _served(network, wrapper)
    assert "offset" not in network.state_dict()
    change(network)
    after, status = _served(network, wrapper)
    assert status == "miss"
    np.testing.assert_allclose(after, _truth(network), atol=1e-6)
    assert not np.allclose(after, before)


def test_a_non_deterministic_network_is_not_cached_and_warned_about_once(isolated_cache):
    network = ProbeNet(dropout=True)
    wrapper = PytorchWrapper("dropout_net", network, preprocessing=Preprocessing(image_size=16))
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        first, status = _served(network, wrapper)
        second, second_status = _served(network, wrapper)
    warned = [str(w.message) for w in record if issubclass(w.category, NondeterministicModelWarning)]
    assert len(warned) == 1 and "'dropout_net' is non-deterministic" in warned[0]
    assert status == second_status == "off"
    assert not np.array_equal(first, second)  # two real draws, not a frozen first one
    assert list(ActivationsCache(isolated_cache / "activations").entries()) == []
    assert wrapper.identity() is None  # nor is a layer selection cached


def test_probe_leaves_torch_random_state_alone_and_is_timed():
    network = ProbeNet(dropout=True)
    wrapper = _wrapper(network)
    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NondeterministicModelWarning)
        wrapper.layer_fingerprints(["logits"])
    np.testing.assert_array_equal(torch.rand(3).numpy(), expected.numpy())
    assert wrapper.last_probe_ms is not None and wrapper.last_probe_ms > 0


def test_probe_digest_ignores_float_noise_but_not_real_changes():
    rng = np.random.default_rng(0)
    output = rng.standard_normal((2, 500)).astype(np.float32)
    noisy = output * (1 + rng.uniform(-1e-7, 1e-7, output.shape)).astype(np.float32)
    digests = [probe_fingerprints(lambda o=o: {"x": o}, ["x"]).digests["x"] for o in (output, noisy)]
    assert digests[0] == digests[1]
    changed = output.copy()
    changed[0, :50] += 0.5
    assert probe_fingerprints(lambda: {"x": changed}, ["x"]).digests["x"] != digests[0]


class _OtherForward(ProbeNet):
    def forward(self, x):
        return self.fc(self.pool(self.act(self.conv(x))).flatten(1)) * 2


class _SameForward(ProbeNet):
    def forward(self, x):
        return super().forward(x)


def test_structure_fingerprint_covers_forward_code_buffers_and_attributes():
    base = _SameForward()
    assert structure_fingerprint(base) == structure_fingerprint(_SameForward())
    assert structure_fingerprint(_OtherForward()) != structure_fingerprint(base)  # only forward's code differs
    changed = _SameForward()
    changed.offset.fill_(1.0)
    assert structure_fingerprint(changed) != structure_fingerprint(base)
    changed = _SameForward()
    changed.threshold = 0.1
    assert structure_fingerprint(changed) != structure_fingerprint(base)
    assert structure_fingerprint(changed, volatile={("", "threshold")}) == structure_fingerprint(
        base, volatile={("", "threshold")}
    )
