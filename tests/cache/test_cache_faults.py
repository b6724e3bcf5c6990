"""Damaged, read-only, locked and abandoned caches: never a crash, a hang or a stale leftover."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch

from brainscore_core import stimulus_set
from brainscore_core.activations import Preprocessing, PytorchWrapper
from brainscore_core.cache import (
    ActivationsCache,
    CacheCorruptionWarning,
    CacheLockTimeout,
    CacheLockWarning,
    CacheUnwritableWarning,
    ResultCache,
)
from brainscore_core.cache import _atomic as atomic_module
from brainscore_core.cache import _lock as lock_module
from brainscore_core.cache._activations import META_FILE, VALUES_FILE
from brainscore_core.cache._atomic import sweep_staging
from brainscore_core.cache._lock import acquire_lock, lock_timeout, release_lock
from brainscore_core.config import configure

MODEL, KEY = "tiny", "k" * 64
VALUES = np.arange(6, dtype=np.float32).reshape(3, 2)


def _read_like_the_wrapper(cache: ActivationsCache) -> np.ndarray | None:
    """What :class:`PytorchWrapper` does with an entry: metadata first (its feature shape sizes the buffer), then
    the values straight into the buffer."""
    meta = cache.read_meta(MODEL, KEY, required=("feature_shape",))
    if meta is None:
        return None
    out = np.empty((len(VALUES), int(np.prod(meta["feature_shape"]))), dtype=np.float32)
    return out if cache.load_into(MODEL, KEY, out) else None


def _bit_flips(data: bytes, stop: int):
    for offset in range(stop):
        for bit in range(8):
            flipped = bytearray(data)
            flipped[offset] ^= 1 << bit
            yield offset, bit, bytes(flipped)


@pytest.mark.parametrize("damaged", [VALUES_FILE, META_FILE])
def test_every_single_bit_flip_of_the_npy_header_and_the_metadata_is_a_miss_or_the_right_values(tmp_path, damaged):
    cache = ActivationsCache(tmp_path / "activations", enabled=True)
    assert cache.store(MODEL, KEY, VALUES, {"feature_shape": [2]})
    entry = cache.entry_directory(MODEL, KEY)
    pristine = {name: (entry / name).read_bytes() for name in (VALUES_FILE, META_FILE)}
    stop = pristine[VALUES_FILE].index(b"\n") + 1 if damaged == VALUES_FILE else len(pristine[META_FILE])
    outcomes = {"right values": 0, "discarded": 0}
    for offset, bit, flipped in _bit_flips(pristine[damaged], stop):
        entry.mkdir(parents=True, exist_ok=True)
        for name, data in pristine.items():
            (entry / name).write_bytes(flipped if name == damaged else data)
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            read = _read_like_the_wrapper(cache)  # never raises
        where = f"{damaged} offset {offset} bit {bit}"
        if read is not None:
            np.testing.assert_array_equal(read, VALUES, err_msg=where)
            outcomes["right values"] += 1
        else:
            assert not entry.exists(), f"{where}: a damaged entry must be discarded, not kept"
            assert all(issubclass(w.category, CacheCorruptionWarning) for w in record), where
            assert len(record) == 1, where
            outcomes["discarded"] += 1
    assert outcomes["discarded"] > 0 and sum(outcomes.values()) == 8 * stop


class _Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.conv = torch.nn.Conv2d(3, 2, kernel_size=5, stride=4)

    def forward(self, x):
        return self.conv(x)


def _stimuli(n: int = 4):
    rng = np.random.default_rng(3)
    images = [rng.integers(0, 256, size=(16, 16, 3), dtype=np.uint8) for _ in range(n)]
    return stimulus_set("faults-toy", {"stimulus_id": [f"s{i}" for i in range(n)]}, images=images)


def _wrapper() -> PytorchWrapper:
    return PytorchWrapper("faulty", _Net(), preprocessing=Preprocessing(image_size=16))


def test_metadata_describing_another_shape_is_discarded_and_recomputed_in_the_same_call(tmp_path):
    with configure(cache_dir=tmp_path / "cache", cache_enabled=True, progress=False, device="cpu"):
        expected = _wrapper()(_stimuli(), ["conv"]).values
        ((_, entry),) = ActivationsCache(tmp_path / "cache" / "activations").entries()
        meta = json.loads((entry / META_FILE).read_text())
        meta["shape"], meta["feature_shape"] = [4, 4], [4]  # consistent with itself, not with the values
        (entry / META_FILE).write_text(json.dumps(meta))
        wrapper = _wrapper()
        with pytest.warns(CacheCorruptionWarning, match="stored array is"):
            recovered = wrapper(_stimuli(), ["conv"]).values
        np.testing.assert_array_equal(recovered, expected)
        assert wrapper.last_cache_status == "miss"


def _refuse_mkdir(monkeypatch) -> None:
    def refuse(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)


def test_a_read_only_cache_scores_uncached_with_one_warning(tmp_path, monkeypatch):
    with configure(cache_dir=tmp_path / "cache", cache_enabled=True, progress=False, device="cpu"):
        with configure(cache_enabled=False):
            truth = _wrapper()(_stimuli(), ["conv"]).values
        _refuse_mkdir(monkeypatch)  # as root, chmod does not stop writes: refuse folder creation instead
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            wrapper = _wrapper()
            first = wrapper(_stimuli(), ["conv"]).values
            second = wrapper(_stimuli(), ["conv"]).values
            ceiling = ResultCache("ceilings").get_or_compute({"x": 1}, lambda: 0.5, encode=float, decode=float)
    np.testing.assert_array_equal(first, truth)
    np.testing.assert_array_equal(second, truth)
    assert ceiling == 0.5
    messages = [str(w.message) for w in record if issubclass(w.category, CacheUnwritableWarning)]
    assert len(messages) == 1 and "cannot be written" in messages[0], [str(w.message) for w in record]
    assert not (tmp_path / "cache").exists()


def test_a_cache_path_that_is_a_file_scores_uncached_with_one_warning(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings = configure(cache_dir=blocker, cache_enabled=True, progress=False, device="cpu")
    with settings, warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        values = _wrapper()(_stimuli(), ["conv"]).values
        ceiling = ResultCache("ceilings").get_or_compute({"x": 1}, lambda: 0.5, encode=float, decode=float)
    assert values.shape == (4, 18) and ceiling == 0.5
    assert [w.category for w in record] == [CacheUnwritableWarning]


HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from brainscore_core.cache._lock import acquire_lock
    handle = acquire_lock(Path(sys.argv[1]))
    print("locked", flush=True)
    time.sleep(120)
    """
)


def _start_holder(path: Path) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_stopped_holder_is_reported_and_the_wait_gives_up_with_a_clear_error(tmp_path):
    path = tmp_path / "locks" / "group.lock"
    holder = _start_holder(path)
    try:
        os.kill(holder.pid, signal.SIGSTOP)
        started = time.monotonic()
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            with pytest.raises(CacheLockTimeout) as failure:
                acquire_lock(path, timeout=2, report_after=0.5)
        assert 1.9 < time.monotonic() - started < 10
    finally:
        os.kill(holder.pid, signal.SIGCONT)
        holder.kill()
        holder.wait()
    waiting = [str(w.message) for w in record if issubclass(w.category, CacheLockWarning)]
    assert len(waiting) == 1 and f"held by pid {holder.pid}" in waiting[0] and "(stopped)" in waiting[0]
    message = str(failure.value)
    for part in (str(path), f"pid {holder.pid}", "(stopped)", f"kill {holder.pid}", "BRAINSCORE_LOCK_TIMEOUT"):
        assert part in message, (part, message)


def test_a_killed_holders_lock_is_taken_at_once(tmp_path):
    path = tmp_path / "group.lock"
    holder = _start_holder(path)
    holder.kill()  # SIGKILL: no clean-up
    holder.wait()
    started = time.monotonic()
    handle = acquire_lock(path, timeout=5, report_after=60)
    try:
        assert time.monotonic() - started < 1
        assert json.loads(path.read_text())["pid"] == os.getpid()
    finally:
        release_lock(handle)


def _gone_pid() -> int:
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    return finished.pid


def test_a_lock_still_held_for_a_gone_process_is_taken_over(tmp_path):
    import fcntl

    path = tmp_path / "group.lock"
    gone = _gone_pid()
    with open(path, "a+b") as inherited:  # as a forked child that outlived the holder would keep it locked
        fcntl.flock(inherited.fileno(), fcntl.LOCK_EX)
        inherited.write(json.dumps({"pid": gone, "host": lock_module.HOST, "since": time.time()}).encode())
        inherited.flush()
        with pytest.warns(CacheLockWarning, match=f"Took over the cache lock .* from pid {gone} .*gone"):
            handle = acquire_lock(path, timeout=10, report_after=60)
        release_lock(handle)


def test_lock_timeout_setting(monkeypatch):
    monkeypatch.setenv("BRAINSCORE_LOCK_TIMEOUT", "2.5")
    assert lock_timeout() == 2.5
    monkeypatch.setenv("BRAINSCORE_LOCK_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="BRAINSCORE_LOCK_TIMEOUT='soon' is not a positive number"):
        lock_timeout()
    monkeypatch.delenv("BRAINSCORE_LOCK_TIMEOUT")
    assert lock_timeout() == lock_module.DEFAULT_LOCK_TIMEOUT


def test_a_file_system_without_locks_is_used_unlocked_with_one_warning(tmp_path, monkeypatch):
    import fcntl

    def refuse(fd, operation):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", refuse)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        assert acquire_lock(tmp_path / "a.lock") is None
        assert acquire_lock(tmp_path / "b.lock") is None
    # a ResourceWarning from another test's garbage may be collected inside the block
    record = [w for w in record if not issubclass(w.category, ResourceWarning)]
    assert [w.category for w in record] == [CacheLockWarning]
    assert "refuses file locks" in str(record[0].message)


KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    import numpy as np
    from brainscore_core.cache import ActivationsCache
    cache = ActivationsCache(sys.argv[1], enabled=True)
    with cache.writer("tiny", "w" * 64, (4, 2), {"feature_shape": [2]}) as writer:
        writer.write_rows(np.zeros((1, 2), dtype=np.float32))
        print("writing", flush=True)
        time.sleep(120)
    """
)


def test_a_killed_writers_staging_folder_is_swept_on_the_next_run(tmp_path):
    root = tmp_path / "activations"
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(root)], stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "writing"
    writer.kill()  # kill -9 mid-extraction
    writer.wait()
    model_directory = ActivationsCache(root).model_directory(MODEL)
    (left,) = [p for p in model_directory.iterdir() if p.name.startswith(".staging-")]
    live = model_directory / f".staging-{os.getpid()}-{atomic_module.HOST_TAG}-live"  # a writer still running
    live.mkdir()
    ActivationsCache(root, enabled=True).store(MODEL, KEY, VALUES, {"feature_shape": [2]})
    assert not left.exists()
    assert live.exists()


def test_only_abandoned_staging_folders_of_other_hosts_are_swept_by_age(tmp_path):
    young = tmp_path / ".staging-123-otherhst-young"
    old = tmp_path / ".staging-123-otherhst-old"
    for folder in (young, old):
        folder.mkdir()
        (folder / VALUES_FILE).write_bytes(b"part")
    two_days_ago = time.time() - 2 * 24 * 3600
    for path in (old / VALUES_FILE, old):
        os.utime(path, (two_days_ago, two_days_ago))
    assert sweep_staging(tmp_path) == 1
    assert young.exists() and not old.exists()
