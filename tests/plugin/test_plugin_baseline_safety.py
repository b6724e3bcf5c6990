"""Baseline files are never lost or misread: validation, format versions, locking, modes, unwritable files."""

import json
import math
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from toy_expectations import TOY_CEILING, TOY_ERROR, toy_score

from pytest_brainscore import baselines
from pytest_brainscore.baselines import Baseline, BaselineEntry, BaselineError, update_baseline_file
from pytest_brainscore.records import ScoreRecord

V4 = "ToyLab2024.V4-mean"
PAIRS_TEST = f"""
import pytest

@pytest.mark.brainscore(model=["toy_good", "toy_poor", "toy_v4only"], benchmark="{V4}")
def test_v4():
    pass
"""


def write(path: Path, *entries: dict, version: object = 2, **extra: object) -> Path:
    payload = {"format": "pytest-brainscore baseline", "format_version": version, "scores": list(entries), **extra}
    path.write_text(json.dumps(payload))
    return path


def item(model: str = "m", benchmark: str = "b", score: float = 0.5, **fields: object) -> dict:
    return {"model": model, "benchmark": benchmark, "benchmark_version": 1, "score": score, **fields}


def record(model: str, score: float = 0.5, benchmark: str = "b") -> ScoreRecord:
    return ScoreRecord(f"t::{model}", model, benchmark, 1, score=score, raw=score * 0.8, ceiling=0.8, error=0.01)


# --- refused content ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (item(score=math.nan), r"scores\[0\] \(m on b\) has score nan, not a finite number"),
        (item(score=math.inf), r"scores\[0\] \(m on b\) has score inf, not a finite number"),
        (item(error=-5), r"scores\[0\] \(m on b\) has error -5.0; an error must be finite and >= 0"),
        (item(error=math.inf), r"scores\[0\] \(m on b\) has error inf; an error must be finite and >= 0"),
        (item(raw_error=math.nan), r"scores\[0\] \(m on b\) has raw_error nan; an error must be finite"),
        (item(score="0.5"), r"scores\[0\] is malformed \(TypeError: 'score' must be a number, got '0.5'\)"),
        (item(comment="x"), r"scores\[0\] is malformed .*unknown field\(s\) 'comment'"),
    ],
)
def test_entries_that_would_disable_the_gate_are_refused_with_the_entry_named(
    tmp_path: Path, entry: dict, message: str
) -> None:
    path = write(tmp_path / "base.json", entry)
    with pytest.raises(BaselineError, match=rf"Baseline file {path}, {message}"):
        Baseline.load(path)


def test_duplicate_pairs_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "base.json", item(score=0.9), item("other"), item(score=0.1))
    with pytest.raises(BaselineError, match=r"scores\[2\] \(m on b\) is a duplicate"):
        Baseline.load(path)


@pytest.mark.parametrize("version", [99, 0, "1", True, None])
def test_an_unknown_format_version_is_refused(tmp_path: Path, version: object) -> None:
    path = write(tmp_path / "base.json", item(), version=version)
    with pytest.raises(BaselineError, match=rf"has format_version {version!r}, which this pytest-brainscore cannot"):
        Baseline.load(path)


def test_another_format_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "base.json", item(), format="something else entirely")
    with pytest.raises(BaselineError, match="has format 'something else entirely', not 'pytest-brainscore baseline'"):
        Baseline.load(path)


def test_a_future_baseline_is_a_usage_error_and_is_never_rewritten(toy: pytest.Pytester) -> None:
    baseline = write(toy.path / "base.json", item("toy_good", benchmark=V4), version=99, future_field={"keep": 1})
    before = baseline.read_bytes()
    toy.makepyfile(test_pairs=PAIRS_TEST)
    result = toy.runpytest(f"--brainscore-baseline={baseline}", "--brainscore-update-baseline")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: Baseline file {baseline} has format_version 99, *Upgrade pytest-brainscore*"])
    assert baseline.read_bytes() == before


# --- version 1 files and matching scales --------------------------------------------------------------------------
def test_version_1_raw_errors_are_compared_on_the_ceiled_scale(tmp_path: Path) -> None:
    path = write(tmp_path / "base.json", item(score=0.5, error=0.02, raw=0.6, ceiling=0.72), version=1)
    entry = Baseline.load(path).entries[("m", "b")]
    assert (entry.error, entry.raw_error) == (None, 0.02)  # version 1 stored the raw error
    now = ScoreRecord("t", "m", "b", 1, score=0.5, raw=0.6, ceiling=0.72, error=0.0, raw_error=0.0)
    now.attrs["ceiling_formula"] = "raw**2 / ceiling"
    comparison = Baseline.load(path).compare(now, tolerance=0.0)
    assert math.isclose(comparison.baseline_error, 2 * 0.6 * 0.02 / 0.72)  # d(raw**2/c)/draw = 2 raw / c
    now.attrs["ceiling_formula"] = "raw / ceiling"
    assert math.isclose(Baseline.load(path).compare(now, 0.0).baseline_error, 0.02 / 0.72)


def test_version_1_entry_without_raw_and_ceiling_uses_the_records_scale(tmp_path: Path) -> None:
    path = write(tmp_path / "base.json", item(score=0.5, error=0.02), version=1)
    ratio = {"ceiling_formula": "raw / ceiling"}
    now = ScoreRecord("t", "m", "b", 1, score=0.5, error=0.025, raw_error=0.02, attrs=ratio)
    assert math.isclose(Baseline.load(path).compare(now, 0.0).baseline_error, 0.025)


def test_version_1_errors_of_other_normalisations_are_kept(tmp_path: Path) -> None:
    """Per-repetition ceiling (Rajalingham2018) already reported its error on the ceiled scale; none: no ceiling."""
    path = write(tmp_path / "base.json", item(score=0.5, error=0.02, raw=0.4, ceiling=0.64), version=1)
    for formula in ("mean over repetitions of raw / sqrt(ceiling)", "none (no ceiling can be estimated)"):
        now = ScoreRecord("t", "m", "b", 1, score=0.5, error=0.03, raw_error=0.01, attrs={"ceiling_formula": formula})
        assert Baseline.load(path).compare(now, 0.0).baseline_error == 0.02


def test_an_update_writes_version_2_with_both_errors(toy: pytest.Pytester) -> None:
    baseline = write(toy.path / "base.json", item("toy_good", benchmark=V4, error=0.5), version=1)
    toy.makepyfile(test_pairs=PAIRS_TEST)
    result = toy.runpytest(f"--brainscore-baseline={baseline}", "--brainscore-update-baseline")
    result.assert_outcomes(passed=3)
    payload = json.loads(baseline.read_text())
    assert payload["format_version"] == 2
    good = next(e for e in payload["scores"] if e["model"] == "toy_good")
    assert math.isclose(good["score"], toy_score("toy_good"))
    assert math.isclose(good["error"], TOY_ERROR / TOY_CEILING) and math.isclose(good["raw_error"], TOY_ERROR)


# --- writing: modes, unwritable files, concurrency ----------------------------------------------------------------
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664])
def test_an_update_keeps_the_files_mode(tmp_path: Path, mode: int) -> None:
    path = write(tmp_path / "base.json", item())
    path.chmod(mode)
    update_baseline_file(path, [record("n")])
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert set(Baseline.load(path).entries) == {("m", "b"), ("n", "b")}


def test_a_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        update_baseline_file(tmp_path / "new" / "base.json", [record("n")])
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new" / "base.json").stat().st_mode) == 0o644


def test_a_read_only_file_or_folder_is_a_clear_error_and_untouched(tmp_path: Path) -> None:
    path = write(tmp_path / "base.json", item())
    before = path.read_bytes()
    path.chmod(0o444)
    with pytest.raises(BaselineError, match=rf"Cannot write baseline file {path}: the file {path} is read-only. Make"):
        update_baseline_file(path, [record("n")])
    assert path.read_bytes() == before and stat.S_IMODE(path.stat().st_mode) == 0o444
    path.chmod(0o644)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(BaselineError, match=rf"the folder {tmp_path} is read-only. .*chmod u\+w"):
            update_baseline_file(path, [record("n")])
    finally:
        tmp_path.chmod(0o755)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["base.json"]


def test_a_failed_update_still_writes_the_summary_and_the_report(toy: pytest.Pytester) -> None:
    folder = toy.path / "ci"
    baseline = write(folder.mkdir() or folder / "base.json", item("toy_good", benchmark=V4))
    before = baseline.read_bytes()
    folder.chmod(0o555)
    toy.makepyfile(test_pairs=PAIRS_TEST)
    try:
        result = toy.runpytest(
            f"--brainscore-baseline={baseline}", "--brainscore-update-baseline", "--brainscore-report=report.json"
        )
    finally:
        folder.chmod(0o755)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*= brainscore =*",
            f"ERROR: baseline not updated: Cannot write baseline file {baseline}: the folder {folder} is read-only.*",
            "Report written: *report.json",
            "*3 passed*",
        ]
    )
    assert baseline.read_bytes() == before
    report = json.loads((toy.path / "report.json").read_text())
    assert "is read-only" in report["baseline"]["update"]["error"] and len(report["results"]) == 3


def test_concurrent_updates_keep_every_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two sessions that read the file at the same moment (a slow file system, widened by a delay) lose nothing."""
    path = write(tmp_path / "base.json")
    load = Baseline.load.__func__

    def slow_load(cls: type[Baseline], target: Path) -> Baseline:
        baseline = load(cls, target)
        time.sleep(0.3)  # the window in which an unlocked second session would read the same old file
        return baseline

    monkeypatch.setattr(Baseline, "load", classmethod(slow_load))
    sessions = [[record("a1"), record("a2")], [record("b1"), record("b2")]]
    results: list[tuple[int, int]] = []
    threads = [threading.Thread(target=lambda rs=rs: results.append(update_baseline_file(path, rs))) for rs in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    models = sorted(model for model, _ in Baseline.load(path).entries)
    assert models == ["a1", "a2", "b1", "b2"]  # 4 of 4
    assert sorted(results) == [(2, 0), (2, 2)]  # the second session merged the first one's entries


def test_a_held_lock_gives_up_after_the_timeout_with_the_lock_named(tmp_path: Path) -> None:
    path = write(tmp_path / "base.json")
    locked = rf"{path} is locked by another .* \(lock file {path}.lock\) for more"
    with baselines._lock(path, timeout=1), pytest.raises(BaselineError, match=locked):
        update_baseline_file(path, [record("n")], timeout=0.2)
    assert Baseline.load(path).entries == {}


def test_entries_in_memory_are_kept_as_given() -> None:
    entry = BaselineEntry("m", "b", 1, 0.5, error=0.01, raw_error=0.008)
    assert Baseline([entry]).entries[("m", "b")] is entry


UPDATER = """
import sys, time
from pytest_brainscore.baselines import Baseline, update_baseline_file
from pytest_brainscore.records import ScoreRecord

load = Baseline.load.__func__
Baseline.load = classmethod(lambda cls, path: (load(cls, path), time.sleep(0.5))[0])  # a slow shared file system
records = [ScoreRecord("t", model, "b", 1, score=0.5, error=0.01) for model in sys.argv[2:]]
print(update_baseline_file(sys.argv[1], records))
"""


def test_concurrent_update_processes_keep_every_entry(tmp_path: Path) -> None:
    path = write(tmp_path / "base.json")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    sessions = [
        subprocess.Popen([sys.executable, "-c", UPDATER, str(path), *models], env=environment, stdout=subprocess.PIPE)
        for models in (["a1", "a2"], ["b1", "b2"])
    ]
    outputs = sorted(session.communicate(timeout=60)[0].decode().strip() for session in sessions)
    assert [session.returncode for session in sessions] == [0, 0]
    assert outputs == ["(2, 0)", "(2, 2)"]
    assert sorted(model for model, _ in Baseline.load(path).entries) == ["a1", "a2", "b1", "b2"]  # 4 of 4


def test_a_read_only_file_system_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "base.json", item())
    before = path.read_bytes()

    def read_only_file_system(*_: object) -> None:
        raise OSError(30, "Read-only file system", str(path))

    monkeypatch.setattr(baselines, "_replace_atomically", read_only_file_system)
    with pytest.raises(BaselineError, match=rf"Cannot write baseline file {path}: \[Errno 30\] Read-only file system"):
        update_baseline_file(path, [record("n")])
    assert path.read_bytes() == before
