"""The activations cache: hits, misses on every input that changes the numbers, corruption, atomicity, info/clear."""

from __future__ import annotations

import json
import warnings
import zlib

import numpy as np
import pytest
import torch

from brainscore_core import cache, stimulus_set
from brainscore_core.activations import Preprocessing, PytorchWrapper
from brainscore_core.activations._fingerprint import PROBE_IMAGES
from brainscore_core.cache import ActivationsCache, CacheCorruptionWarning
from brainscore_core.cache._activations import META_FILE, VALUES_FILE, EntryWriter
from brainscore_core.config import configure

pytestmark = pytest.mark.usefixtures("isolated_cache")

LAYERS = ["conv", "logits"]


class CountingNetwork(torch.nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.conv = torch.nn.Conv2d(3, 2, kernel_size=5, stride=4)
        self.head = torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(2, 3))
        self.images_seen = 0

    def forward(self, x):
        self.images_seen += len(x)
        return self.head(self.conv(x))


def _wrapper(network=None, preprocessing=None, identifier="toy") -> PytorchWrapper:
    preprocessing = preprocessing or Preprocessing(image_size=16)
    return PytorchWrapper(identifier, network or CountingNetwork(), preprocessing=preprocessing)


def _images(n: int = 5) -> list[np.ndarray]:
    rng = np.random.default_rng(2)
    return [rng.integers(0, 256, size=(16, 16, 3), dtype=np.uint8) for _ in range(n)]


def _stimuli(images=None, degrees=None):
    images = images if images is not None else _images()
    ids = [f"s{i}" for i in range(len(images))]
    return stimulus_set("cache-toy", {"stimulus_id": ids}, images=images, visual_degrees=degrees)


def _extracted(wrapper: PytorchWrapper, *sharing: PytorchWrapper) -> int:
    """Images the network saw for extractions: the behavioural probe batches of ``wrapper`` and of the other
    wrappers ``sharing`` its network left out."""
    probes = sum(w.probe_passes for w in {id(w): w for w in (wrapper, *sharing)}.values())
    return wrapper.model.images_seen - probes * PROBE_IMAGES


def _entries(cache_dir) -> list:
    return [entry for _, entry in ActivationsCache(cache_dir / "activations").entries()]


def test_second_call_hits_and_returns_identical_values(isolated_cache):
    wrapper, stimuli = _wrapper(), _stimuli()
    first = wrapper(stimuli, LAYERS)
    assert _extracted(wrapper) == 5
    assert len(_entries(isolated_cache)) == 2
    second = wrapper(stimuli, LAYERS)
    assert _extracted(wrapper) == 5  # no forward pass
    np.testing.assert_array_equal(first.values, second.values)
    for name in ("neuroid_id", "layer", "channel", "channel_x", "channel_y", "stimulus_id"):
        np.testing.assert_array_equal(first[name].values, second[name].values)


def test_partial_hit_computes_only_missing_layers(isolated_cache):
    wrapper, stimuli = _wrapper(), _stimuli()
    alone = wrapper(stimuli, ["conv"])
    both = wrapper(stimuli, ["conv", "logits"])
    assert _extracted(wrapper) == 10
    np.testing.assert_array_equal(both.isel(neuroid=both["layer"].values == "conv").values, alone.values)
    assert len(_entries(isolated_cache)) == 2


def _changed_weight(wrapper):
    with torch.no_grad():
        wrapper.model.conv.weight[0, 0, 0, 0] += 1e-3
    return wrapper, _stimuli(), {}


def _changed_preprocessing(wrapper):
    changed = Preprocessing(image_size=16, mean=(0.5, 0.456, 0.406))
    return PytorchWrapper("toy", wrapper.model, preprocessing=changed), _stimuli(), {}


def _changed_image_size(wrapper):
    return PytorchWrapper("toy", wrapper.model, preprocessing=Preprocessing(image_size=20)), _stimuli(), {}


def _changed_stimulus_image(wrapper):
    images = _images()
    images[3] = images[3].copy()
    images[3][0, 0, 0] ^= 1  # one bit of one pixel
    return wrapper, _stimuli(images), {}


def _changed_model_degrees(wrapper):
    return wrapper, _stimuli(degrees=8), {"model_visual_degrees": 10}


@pytest.mark.parametrize(
    "change",
    [_changed_weight, _changed_preprocessing, _changed_image_size, _changed_stimulus_image, _changed_model_degrees],
    ids=["weight", "preprocessing", "image_size", "stimulus_image", "visual_degrees"],
)
def test_any_change_that_alters_the_numbers_misses(change, isolated_cache):
    wrapper = _wrapper()
    before = wrapper(_stimuli(degrees=8), ["logits"], model_visual_degrees=8)
    seen = _extracted(wrapper)
    changed_wrapper, stimuli, kwargs = change(wrapper)
    after = changed_wrapper(stimuli, ["logits"], **({"model_visual_degrees": 8} | kwargs))
    assert _extracted(changed_wrapper, wrapper) == seen + len(stimuli)  # recomputed, not served from the cache
    expected = PytorchWrapper("fresh", changed_wrapper.model, preprocessing=changed_wrapper.preprocessing)
    with configure(cache_enabled=False):
        direct = expected(stimuli, ["logits"], **({"model_visual_degrees": 8} | kwargs))
    np.testing.assert_allclose(after.values, direct.values, atol=1e-6)
    assert not np.array_equal(after.values, before.values)
    assert len(_entries(isolated_cache)) == 2


def test_disabled_cache_neither_reads_nor_writes(isolated_cache):
    wrapper, stimuli = _wrapper(), _stimuli()
    with configure(cache_enabled=False):
        wrapper(stimuli, LAYERS)
        wrapper(stimuli, LAYERS)
    assert _extracted(wrapper) == 10
    assert _entries(isolated_cache) == []


def _only_entry(cache_dir, layer):
    for entry in _entries(cache_dir):
        if json.loads((entry / META_FILE).read_text())["layer"] == layer:
            return entry
    raise AssertionError(f"no entry for {layer}")


@pytest.mark.parametrize("damage", ["truncate", "flip_byte", "garble_meta", "delete_values"])
def test_corrupted_entry_warns_and_is_recomputed(damage, isolated_cache):
    wrapper, stimuli = _wrapper(), _stimuli()
    expected = wrapper(stimuli, LAYERS)
    entry = _only_entry(isolated_cache, "conv")
    values = entry / VALUES_FILE
    if damage == "truncate":
        values.write_bytes(values.read_bytes()[: values.stat().st_size // 2])
    elif damage == "flip_byte":
        data = bytearray(values.read_bytes())
        data[-3] ^= 0xFF
        values.write_bytes(bytes(data))
    elif damage == "garble_meta":
        (entry / META_FILE).write_text("{not json")
    else:
        values.unlink()
    with pytest.warns(CacheCorruptionWarning, match="corrupted activations cache entry"):
        recovered = wrapper(stimuli, LAYERS)
    np.testing.assert_array_equal(recovered.values, expected.values)
    assert _extracted(wrapper) == 10
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheCorruptionWarning)
        again = wrapper(stimuli, LAYERS)  # the rewritten entry is sound
    np.testing.assert_array_equal(again.values, expected.values)
    assert _extracted(wrapper) == 10


def test_interrupted_write_leaves_no_entry(isolated_cache, monkeypatch):
    wrapper, stimuli = _wrapper(), _stimuli()
    original = EntryWriter.write_rows

    def write_half_then_die(self, block):
        self._stream.write(np.ascontiguousarray(block).tobytes()[: block.nbytes // 2])
        raise KeyboardInterrupt

    monkeypatch.setattr(EntryWriter, "write_rows", write_half_then_die)
    with pytest.raises(KeyboardInterrupt):
        wrapper(stimuli, LAYERS)
    monkeypatch.setattr(EntryWriter, "write_rows", original)
    assert _entries(isolated_cache) == []
    leftovers = [p for p in (isolated_cache / "activations").rglob("*") if p.name.startswith(".staging")]
    assert leftovers == []
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheCorruptionWarning)
        result = wrapper(stimuli, LAYERS)
    assert _extracted(wrapper) == 10 and len(_entries(isolated_cache)) == 2
    assert np.isfinite(result.values).all()


def test_entries_are_streamed_batch_by_batch_and_published_complete(isolated_cache):
    wrapper, stimuli = _wrapper(), _stimuli()
    wrapper.batch_size = 2
    streamed = wrapper(stimuli, LAYERS)
    with configure(cache_enabled=False):
        direct = _wrapper()(stimuli, LAYERS)
    np.testing.assert_array_equal(streamed.values, direct.values)
    for entry in _entries(isolated_cache):
        meta = json.loads((entry / META_FILE).read_text())
        stored = np.load(entry / VALUES_FILE)
        assert list(stored.shape) == meta["shape"] and stored.shape[0] == 5
        assert meta["checksum"] == f"crc32:{zlib.crc32(stored.tobytes()):08x}"
        layer = streamed.isel(neuroid=streamed["layer"].values == meta["layer"])
        np.testing.assert_array_equal(stored, layer.values)


def test_a_killed_writers_staging_directory_is_ignored(isolated_cache):
    wrapper, stimuli = _wrapper(), _stimuli()
    model_directory = ActivationsCache(isolated_cache / "activations").model_directory("toy")
    staging = model_directory / ".staging-killed"
    staging.mkdir(parents=True)
    (staging / VALUES_FILE).write_bytes(b"half")
    wrapper(stimuli, LAYERS)
    wrapper(stimuli, LAYERS)
    assert _extracted(wrapper) == 5
    assert len(_entries(isolated_cache)) == 2


def test_info_and_clear(isolated_cache):
    stimuli = _stimuli()
    _wrapper(identifier="model/a")(stimuli, LAYERS)
    _wrapper(identifier="model-b")(stimuli, ["logits"])
    report = cache.info()
    assert report["location"] == str(isolated_cache) and report["enabled"] is True
    assert report["activation_entries"] == {"model-b": 1, "model/a": 2}
    assert report["size_bytes"] > sum(5 * 4 * n for n in (2 * 3 * 3, 3, 3))
    assert cache.clear(model="model/a") == 2
    assert cache.info()["activation_entries"] == {"model-b": 1}
    assert cache.clear() == 1
    assert cache.info()["activation_entries"] == {}
