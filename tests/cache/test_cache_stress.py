"""Several processes hammering one cache directory: a read is a complete valid entry or a clean miss, never a
corruption warning for an entry that was only being written, replaced or cleared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
import warnings

import numpy as np
import pytest

from brainscore_core.cache import ActivationsCache, CacheCorruptionWarning, clear
from brainscore_core.cache import _activations as activations_module
from brainscore_core.cache import _atomic as atomic_module
from brainscore_core.cache import _lock as lock_module
from brainscore_core.cache._atomic import remove_tree
from brainscore_core.config import configure

PROCESSES = 4
ITERATIONS = 600  # per process; about 2-4 s in all on two cores

WORKER = textwrap.dedent(
    """
    import json, os, random, sys, time, traceback, warnings
    import numpy as np
    from brainscore_core.cache import ActivationsCache, CacheCorruptionWarning, clear
    from brainscore_core.config import configure

    root, worker, iterations, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    MODELS = ["shared", "other"]
    KEYS = [f"{i:064x}" for i in range(3)] + [f"{100 + worker:064x}"]  # three shared keys, one of its own
    SHAPE = (24, 96)

    def expected(model, key, version):
        # every process writes its own version of each entry, as a non-deterministic (e.g. GPU) recomputation
        # would: a reader pairing one version's metadata with another's values fails the checksum
        seed = (MODELS.index(model) * 1_000_003 + int(key, 16)) * 16 + version
        values = np.random.default_rng(seed).random(SHAPE, dtype=np.float32)
        values[0, 0] = version
        return values

    rng = random.Random(worker)
    counts = {"stores": 0, "published": 0, "hits": 0, "misses": 0, "meta_hits": 0, "clears": 0}
    wrong, errors = [], []
    with configure(cache_dir=root, cache_enabled=True), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cache = ActivationsCache()
        while not os.path.exists(go):
            time.sleep(0.001)
        for _ in range(iterations):
            model, key = rng.choice(MODELS), rng.choice(KEYS)
            values = expected(model, key, worker)
            draw = rng.random()
            try:
                if draw < 0.25:  # whole entry at once
                    counts["stores"] += 1
                    counts["published"] += bool(cache.store(model, key, values, {"feature_shape": [SHAPE[1]]}))
                elif draw < 0.40:  # streamed row by row under the model's lock, as extraction does
                    counts["stores"] += 1
                    meta = {"feature_shape": [SHAPE[1]]}
                    with cache.lock(model, key[-8:]), cache.writer(model, key, SHAPE, meta) as writer:
                        if writer is not None:
                            for row in values:
                                writer.write_rows(row[None])
                    counts["published"] += bool(writer is not None and writer.published)
                elif draw < 0.85:
                    out = np.full(SHAPE, np.nan, dtype=np.float32)
                    if cache.load_into(model, key, out):
                        counts["hits"] += 1
                        version = int(out[0, 0]) if 0 <= out[0, 0] < 16 else -1
                        if version < 0 or not np.array_equal(out, expected(model, key, version)):
                            wrong.append(f"{model}/{key[-4:]}: read values that no process wrote")
                    else:
                        counts["misses"] += 1
                elif draw < 0.97:
                    meta = cache.read_meta(model, key)
                    if meta is not None:
                        counts["meta_hits"] += 1
                        if meta["key"] != key or meta["shape"] != list(SHAPE):
                            wrong.append(f"{model}/{key[-4:]}: metadata of another entry")
                else:
                    counts["clears"] += 1
                    clear(model=model) if rng.random() < 0.7 else clear()
            except Exception:
                errors.append(traceback.format_exc(limit=4))
    corruption = [str(w.message) for w in caught if issubclass(w.category, CacheCorruptionWarning)]
    print(json.dumps({**counts, "corruption": corruption, "wrong": wrong, "errors": errors}))
    """
)


def _run_workers(root, processes: int = PROCESSES, iterations: int = ITERATIONS) -> list[dict]:
    go = root / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(root / "cache"), str(worker), str(iterations), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for worker in range(processes)
    ]
    try:
        time.sleep(0.3)  # let them import before they are released together
        go.touch()
        reports = []
        for process in workers:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err.decode()
            reports.append(json.loads(out.decode().strip().splitlines()[-1]))
        return reports
    finally:
        for process in workers:
            if process.poll() is None:
                process.kill()
                process.wait()


def test_concurrent_writers_readers_and_clears_never_see_corruption(tmp_path):
    reports = _run_workers(tmp_path)
    corruption = [message for report in reports for message in report["corruption"]]
    wrong = [message for report in reports for message in report["wrong"]]
    errors = [message for report in reports for message in report["errors"]]
    totals = {name: sum(report[name] for report in reports) for name in ("stores", "hits", "misses", "clears")}
    assert corruption == [], f"{len(corruption)} CacheCorruptionWarning(s) {totals}; first: {corruption[:3]}"
    assert wrong == [], wrong[:3]
    assert errors == [], errors[0]
    assert totals["hits"] > 0 and totals["stores"] > 0  # the run did exercise both paths

    # whatever survived is complete and sound
    with configure(cache_dir=tmp_path / "cache", cache_enabled=True):
        cache = ActivationsCache()
        with warnings.catch_warnings():
            warnings.simplefilter("error", CacheCorruptionWarning)
            for model, entry in cache.entries():
                meta = json.loads((entry / "meta.json").read_text())
                out = np.empty(meta["shape"], dtype=np.float32)
                assert cache.load_into(model, meta["key"], out)

    # no staging folder is left in sight; a removed folder that a writer was still filling can outlive its
    # removal (under load), and the next clear sweeps it
    def leftovers(prefix):
        return [p for p in (tmp_path / "cache").rglob(prefix + "*") if ".trash-" not in str(p.parent)]

    assert leftovers(".staging-") == []
    with configure(cache_dir=tmp_path / "cache", cache_enabled=True):
        clear()
    assert leftovers(".trash-") == []


# --- the same races, one interleaving at a time (deterministic, in one process) --------------------------------
KEY = "e" * 64


def _version(version: int) -> np.ndarray:
    values = np.random.default_rng(version).random((6, 10), dtype=np.float32)
    values[0, 0] = version
    return values


@pytest.fixture
def store(tmp_path):
    with configure(cache_dir=tmp_path / "cache", cache_enabled=True):
        yield ActivationsCache()


def _reading_values_runs(monkeypatch, action) -> None:
    """Run ``action`` once, just after a reader has read an entry's metadata and before it reads its values."""
    original = activations_module._read_verified_into
    pending = [action]

    def interleaved(stream, out):
        while pending:
            pending.pop()()
        return original(stream, out)

    monkeypatch.setattr(activations_module, "_read_verified_into", interleaved)


@pytest.mark.parametrize("removal", ["discarded", "model_cleared", "all_cleared"])
def test_an_entry_removed_while_read_is_a_clean_miss(store, monkeypatch, removal):
    store.store("m", KEY, _version(1), {})
    removals = {
        "discarded": lambda: remove_tree(store.entry_directory("m", KEY)),
        "model_cleared": lambda: clear(model="m"),
        "all_cleared": clear,
    }
    _reading_values_runs(monkeypatch, removals[removal])
    out = np.empty((6, 10), dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheCorruptionWarning)
        hit = store.load_into("m", KEY, out)
    # the reader holds the directory it opened: it may still read it whole, or miss; never warn
    assert not hit or np.array_equal(out, _version(1))


def test_an_entry_replaced_while_read_is_never_mixed_with_its_replacement(store, monkeypatch):
    store.store("m", KEY, _version(1), {})

    def replace():  # e.g. removed as corrupt by another process, then recomputed with different (GPU) rounding
        remove_tree(store.entry_directory("m", KEY))
        assert store.store("m", KEY, _version(2), {})

    _reading_values_runs(monkeypatch, replace)
    out = np.empty((6, 10), dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheCorruptionWarning)
        assert store.load_into("m", KEY, out)
    assert int(out[0, 0]) in (1, 2) and np.array_equal(out, _version(int(out[0, 0])))


@pytest.mark.parametrize("when", ["while_streaming", "before_publishing"])
def test_clear_during_a_write_publishes_nothing(store, monkeypatch, when):
    values = _version(3)
    if when == "before_publishing":
        original, pending = atomic_module.publish_directory, [clear]

        def cleared_first(staging, final):
            while pending:
                pending.pop()()
            return original(staging, final)

        monkeypatch.setattr(activations_module, "publish_directory", cleared_first)
    with store.writer("m", KEY, values.shape, {}) as writer:
        writer.write_rows(values[:3])
        if when == "while_streaming":
            clear(model="m")
        writer.write_rows(values[3:])
    assert not writer.published
    out = np.empty_like(values)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheCorruptionWarning)
        assert not store.load_into("m", KEY, out)  # a clean miss, not a half entry
        assert store.store("m", KEY, values, {})  # and it can be written again
        assert store.load_into("m", KEY, out)
    np.testing.assert_array_equal(out, values)


def test_discarding_a_corrupted_entry_spares_a_sound_one_published_meanwhile(store):
    store.store("m", KEY, _version(1), {})
    directory = store.entry_directory("m", KEY)
    handle = os.open(directory, os.O_RDONLY)  # a reader holds the directory it found corrupted open
    try:
        corrupted = atomic_module.file_identity(os.fstat(handle))
        remove_tree(directory)  # another process discarded it and stored a sound one
        store.store("m", KEY, _version(2), {})
        remove_tree(directory, corrupted)  # this process's discard of the corrupted one comes late
    finally:
        os.close(handle)
    out = np.empty((6, 10), dtype=np.float32)
    assert store.load_into("m", KEY, out)
    np.testing.assert_array_equal(out, _version(2))


def test_genuine_corruption_still_warns_while_another_entry_is_written(store):
    store.store("m", KEY, _version(1), {})
    values = store.entry_directory("m", KEY) / "values.npy"
    values.write_bytes(values.read_bytes()[:-8])
    out = np.empty((6, 10), dtype=np.float32)
    with store.writer("m", "f" * 64, (6, 10), {}) as writer:
        writer.write_rows(_version(2))
        with pytest.warns(CacheCorruptionWarning, match="truncated|checksum"):
            assert not store.load_into("m", KEY, out)
    assert not store.entry_directory("m", KEY).exists()


def test_a_lock_file_removed_while_waited_for_is_taken_again(tmp_path):
    """``cache clear`` removes lock files. A process that was waiting on the removed file must not then run
    alongside one that locked the new file meanwhile."""
    path = tmp_path / "locks" / "group.lock"
    inside, overlaps = [], []
    waiting, newcomer_inside, newcomer_may_leave = threading.Event(), threading.Event(), threading.Event()

    def critical(name, until=None):
        with lock_module.file_lock(path):
            if inside:
                overlaps.append((inside[-1], name))
            inside.append(name)
            if name == "newcomer":
                newcomer_inside.set()
            if until is not None:
                until.wait(5)
            else:
                time.sleep(0.05)
            inside.remove(name)

    def waiter():
        waiting.set()
        critical("waiter")

    with lock_module.file_lock(path):  # the first holder
        threads = [threading.Thread(target=waiter)]
        threads[0].start()
        waiting.wait()
        time.sleep(0.1)  # the waiter has opened the lock file and waits on it
        remove_tree(path.parent)  # ``cache clear``
        threads.append(threading.Thread(target=critical, args=("newcomer", newcomer_may_leave)))
        threads[1].start()
        assert newcomer_inside.wait(5)  # locked the new file
    time.sleep(0.1)  # the first holder is gone: the waiter gets the old file's lock now
    newcomer_may_leave.set()
    for thread in threads:
        thread.join(timeout=10)
    assert overlaps == []
