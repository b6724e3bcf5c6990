"""``brainscore_core.cache._atomic.atomic_write_bytes``: the one atomic file write of brainscore_core."""

import json
import os
import re
import stat
from pathlib import Path

import pytest

import brainscore_core
from brainscore_core.cache import _atomic as atomic
from brainscore_core.cache._atomic import atomic_write_bytes
from brainscore_core.cli import demo

PACKAGE = Path(brainscore_core.__file__).parent


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_writes_replaces_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "new" / "folder" / "file.json"
    atomic_write_bytes(path, b"first")
    atomic_write_bytes(path, b"second")
    assert path.read_bytes() == b"second"
    assert os.listdir(path.parent) == ["file.json"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_mode_is_applied_and_defaults_to_private(tmp_path):
    atomic_write_bytes(tmp_path / "private", b"x")
    assert _mode(tmp_path / "private") == 0o600
    atomic_write_bytes(tmp_path / "shared", b"x", mode=0o644)
    assert _mode(tmp_path / "shared") == 0o644


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary(tmp_path, monkeypatch):
    path = tmp_path / "file"
    atomic_write_bytes(path, b"old")

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_bytes(path, b"new")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["file"]


def test_demo_results_are_written_with_it(tmp_path):
    path = tmp_path / "out" / "demo_results.json"
    demo._write_json(path, {"results": [{"model": "m", "score": 0.5}], "seconds": 1.0})
    assert json.loads(path.read_text()) == {"results": [{"model": "m", "score": 0.5}], "seconds": 1.0}
    assert path.read_text() == json.dumps({"results": [{"model": "m", "score": 0.5}], "seconds": 1.0}, indent=2)
    assert os.listdir(path.parent) == ["demo_results.json"]


def test_no_other_module_of_brainscore_core_writes_files_atomically_by_itself():
    pattern = re.compile(r"os\.replace\(|mkstemp\(|NamedTemporaryFile\(")
    writers = sorted(
        str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py") if pattern.search(path.read_text())
    )
    assert writers == ["cache/_atomic.py"], writers
