"""The one lock (``brainscore_core.cache._lock``, on filelock) serves the caches and baseline updates alike."""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import pytest

import brainscore_core
import pytest_brainscore
from brainscore_core.cache import CacheLockWarning
from brainscore_core.cache._lock import HOST, CacheLockTimeout, LockPurpose, acquire_lock, file_lock, release_lock
from pytest_brainscore.baselines import BaselineError, update_baseline_file
from pytest_brainscore.records import ScoreRecord

BASELINE_HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from pytest_brainscore.baselines import _lock
    with _lock(Path(sys.argv[1]), timeout=5):
        print("locked", flush=True)
        time.sleep(120)
    """
)


def _imports(package) -> dict[str, set[str]]:
    """Top-level modules each file of ``package`` imports."""
    found = {}
    for path in Path(package.__file__).parent.rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(Path(package.__file__).parent.parent))] = names
    return found


def test_one_module_locks_files():
    imports = {**_imports(brainscore_core), **_imports(pytest_brainscore)}
    lockers = sorted(path for path, names in imports.items() if names & {"fcntl", "msvcrt", "filelock"})
    # baselines.py imports only filelock's Timeout, raised by its lock (which is cache/_lock.py's)
    assert lockers == ["brainscore_core/cache/_lock.py", "pytest_brainscore/baselines.py"]
    baselines = (Path(pytest_brainscore.__file__).parent / "baselines.py").read_text()
    assert "from filelock import Timeout\n" in baselines and "FileLock" not in baselines


def test_the_holder_is_recorded_while_held_and_cleared_on_release(tmp_path):
    path = tmp_path / "deep" / "folder" / "x.lock"  # folders are created
    held = acquire_lock(path, timeout=5)
    record = json.loads(path.read_text())
    assert record["pid"] == os.getpid() and record["host"] == HOST and record["since"] <= time.time()
    release_lock(held)
    assert not path.exists() or path.read_text() == ""
    with file_lock(path, timeout=5):  # free again
        pass


def test_a_stopped_baseline_updater_is_named_and_the_update_gives_up_with_the_lock_file(tmp_path):
    baseline = tmp_path / "base.json"
    holder = subprocess.Popen([sys.executable, "-c", BASELINE_HOLDER, str(baseline)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        os.kill(holder.pid, signal.SIGSTOP)
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            with pytest.raises(BaselineError, match=rf"lock file {baseline}\.lock\) for more than 1\.5 s"):
                update_baseline_file(baseline, [ScoreRecord("t", "m", "b", 1, score=0.5, error=0.01)], timeout=1.5)
    finally:
        os.kill(holder.pid, signal.SIGCONT)
        holder.kill()
        holder.wait()
    waiting = [str(w.message) for w in record if issubclass(w.category, CacheLockWarning)]
    assert len(waiting) == 1, waiting
    assert waiting[0].startswith(f"Waiting for the baseline lock {baseline}.lock, held by pid {holder.pid} on host")
    assert waiting[0].endswith("(stopped): another process is updating the same baseline file. Giving up after 1.5 s.")
    assert not baseline.exists()  # nothing was written


def test_a_baseline_lock_left_locked_for_a_gone_process_is_taken_over(tmp_path):
    import fcntl

    baseline = tmp_path / "base.json"
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    lock_path = Path(f"{baseline}.lock")
    with open(lock_path, "a+b") as inherited:  # a forked child of the gone updater still holds it
        fcntl.flock(inherited.fileno(), fcntl.LOCK_EX)
        inherited.write(json.dumps({"pid": finished.pid, "host": HOST, "since": time.time()}).encode())
        inherited.flush()
        with pytest.warns(CacheLockWarning, match=f"Took over the baseline lock {lock_path} from pid {finished.pid}"):
            written, kept = update_baseline_file(baseline, [ScoreRecord("t", "m", "b", 1, score=0.5, error=0.01)])
    assert (written, kept) == (1, 0) and baseline.is_file()


def test_the_timeout_error_of_another_purpose_uses_its_words(tmp_path):
    path = tmp_path / "x.lock"
    purpose = LockPurpose("index lock", "rebuilding the index", "Pass a longer timeout (now {timeout:g} s).")
    with file_lock(path, timeout=5), pytest.raises(CacheLockTimeout) as failure:
        acquire_lock(path, timeout=0.2, report_after=60, purpose=purpose)
    message = str(failure.value)
    assert message.startswith(f"Gave up after 0.2 s waiting for the index lock {path}, held by pid {os.getpid()}")
    assert "Another process is rebuilding the index." in message
    assert message.endswith("Pass a longer timeout (now 0.2 s).")
