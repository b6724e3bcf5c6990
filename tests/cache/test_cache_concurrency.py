"""Two processes writing the same cache entry at once: no corruption, no double entry, one computation."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np

from brainscore_core.cache import ActivationsCache

RACE_STORE = textwrap.dedent(
    """
    import os, sys, time
    import numpy as np
    from brainscore_core.cache import ActivationsCache
    root, ready, go = sys.argv[1], sys.argv[2], sys.argv[3]
    values = np.arange(200_000, dtype=np.float32).reshape(100, 2000)
    cache = ActivationsCache(root, enabled=True)
    open(ready, "w").close()
    while not os.path.exists(go):
        time.sleep(0.001)
    print(cache.store("racer", "k" * 64, values, {"feature_shape": [2000]}))
    """
)

RACE_EXTRACT = textwrap.dedent(
    """
    import json, os, sys, time
    import numpy as np, torch
    from brainscore_core import stimulus_set
    from brainscore_core.activations import Preprocessing, PytorchWrapper
    from brainscore_core.activations._fingerprint import PROBE_IMAGES
    from brainscore_core.config import configure
    root, ready, go = sys.argv[1], sys.argv[2], sys.argv[3]
    torch.manual_seed(0)
    network = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.AdaptiveAvgPool2d(2), torch.nn.Flatten())
    seen = []
    network.register_forward_hook(lambda module, inputs, output: seen.append(len(inputs[0])))
    rng = np.random.default_rng(0)
    images = [rng.integers(0, 256, size=(16, 16, 3), dtype=np.uint8) for _ in range(12)]
    stimuli = stimulus_set("race", {"stimulus_id": [str(i) for i in range(12)]}, images=images)
    with configure(cache_dir=root, cache_enabled=True, progress=False, device="cpu"):
        wrapper = PytorchWrapper("racer", network, preprocessing=Preprocessing(image_size=16), batch_size=4)
        open(ready, "w").close()
        while not os.path.exists(go):
            time.sleep(0.001)
        values = wrapper(stimuli, ["0", "2"]).values
    extracted = sum(seen) - wrapper.probe_passes * PROBE_IMAGES  # the behavioural probe batches left out
    print(json.dumps({"images_seen": extracted, "checksum": float(np.float64(values).sum())}))
    """
)


def _race(script: str, root) -> list[str]:
    """Start two copies of ``script``; release them together once both are ready; return their last lines."""
    go = root / "go"
    ready = [root / f"ready{i}" for i in range(2)]
    processes = [
        subprocess.Popen([sys.executable, "-c", script, str(root), str(flag), str(go)], stdout=subprocess.PIPE)
        for flag in ready
    ]
    deadline = time.time() + 120
    while not all(flag.exists() for flag in ready) and time.time() < deadline:
        time.sleep(0.01)
    go.touch()
    outputs = []
    for process in processes:
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0
        outputs.append(out.decode().strip().splitlines()[-1])
    return outputs


def _assert_single_sound_entry(root) -> None:
    cache = ActivationsCache(root, enabled=True)
    entries = list(cache.entries())
    leftovers = list(root.rglob(".staging*"))
    assert leftovers == []
    for _, entry in entries:
        meta = json.loads((entry / "meta.json").read_text())
        out = np.empty(meta["shape"], dtype=np.float32)
        assert cache.load_into("racer", meta["key"], out)


def test_two_processes_storing_the_same_entry(tmp_path):
    outputs = _race(RACE_STORE, tmp_path)
    assert sorted(outputs) == ["False", "True"]  # exactly one published, the other found it there
    entries = list(ActivationsCache(tmp_path, enabled=True).entries())
    assert len(entries) == 1
    _assert_single_sound_entry(tmp_path)


def test_two_workers_extracting_the_same_model_compute_once(tmp_path):
    outputs = [json.loads(line) for line in _race(RACE_EXTRACT, tmp_path)]
    assert outputs[0]["checksum"] == outputs[1]["checksum"]
    assert sorted(o["images_seen"] for o in outputs) == [0, 12]  # the second waited for the lock, then read
    root = tmp_path / "activations"
    assert len(list(ActivationsCache(root, enabled=True).entries())) == 2
    _assert_single_sound_entry(root)


def test_threads_publishing_the_same_entry(tmp_path):
    cache = ActivationsCache(tmp_path, enabled=True)
    values = np.random.default_rng(0).random((50, 300), dtype=np.float32)
    barrier = threading.Barrier(4)
    results = []

    def store():
        barrier.wait()
        results.append(cache.store("racer", "t" * 64, values, {"feature_shape": [300]}))

    threads = [threading.Thread(target=store) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1
    out = np.empty_like(values)
    assert cache.load_into("racer", "t" * 64, out)
    np.testing.assert_array_equal(out, values)
