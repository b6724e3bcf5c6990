"""Shard and merge end to end: shards 0/2 and 1/2 merged equal an unsharded run; every refusal; skip-done; SLURM."""

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from brainscore_core.cli import main
from pytest_brainscore.sharding import assign, digest

SUITE = """
import pytest

@pytest.mark.brainscore(model=["toy_good", "toy_poor", "toy_v4only"], benchmark="ToyLab2024.*", min_score=0.5)
def test_alignment(brainscore_result):
    assert brainscore_result.raw > 0

def test_unrelated():
    pass
"""
PAIRS = 6  # 3 toy models x 2 benchmarks (toy_v4only cannot record from IT: skipped)
VOLATILE = ("seconds",)


def _comparable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        row = {key: value for key, value in row.items() if key not in VOLATILE}
        row["attrs"] = {key: value for key, value in row.get("attrs", {}).items() if key not in VOLATILE}
        out.append(row)
    return sorted(out, key=lambda row: (row["model"], row["benchmark"]))


def _shard(toy: pytest.Pytester, shard: str, *args: str) -> tuple[pytest.RunResult, Path]:
    report = toy.path / f"shard-{shard.replace('/', '-')}.json"
    return toy.runpytest_subprocess(f"--brainscore-shard={shard}", f"--brainscore-report={report}", *args), report


@pytest.fixture
def shards(toy: pytest.Pytester) -> tuple[Path, Path]:
    toy.makepyfile(test_suite=SUITE)
    first, report0 = _shard(toy, "0/2")
    _, report1 = _shard(toy, "1/2")
    first.stdout.fnmatch_lines(["Shard 0/2: * scored pair(s) of a selection of 6*"])
    return report0, report1


def test_merged_shards_equal_an_unsharded_run(toy: pytest.Pytester, shards: tuple[Path, Path], capsys) -> None:
    whole = toy.path / "whole.json"
    toy.runpytest_subprocess(f"--brainscore-report={whole}").assert_outcomes(passed=4, failed=2, skipped=1)
    merged = toy.path / "merged.json"
    status = main(["merge", *map(str, shards), "-o", str(merged)])
    assert status == 1  # toy_poor fails min_score=0.5 on both benchmarks, as in the unsharded run
    expected, got = json.loads(whole.read_text()), json.loads(merged.read_text())
    assert _comparable(got["results"]) == _comparable(expected["results"])
    assert [row["model"] for row in got["results"]] == [row["model"] for row in expected["results"]]  # same order
    assert got["data"] == expected["data"]
    parts = [json.loads(path.read_text())["shard"] for path in shards]
    assert sorted(tuple(p) for part in parts for p in part["pairs"]) == sorted(
        (row["model"], row["benchmark"]) for row in expected["results"]
    )
    assert not set(map(tuple, parts[0]["pairs"])) & set(map(tuple, parts[1]["pairs"]))
    assert parts[0]["selection_sha256"] == parts[1]["selection_sha256"] == got["merged"]["selection_sha256"]
    assert {"host", "started", "finished"} <= set(parts[0])
    for path in shards:  # model-major: no model in two shards
        others = [p for p in shards if p != path]
        models = {m for m, _ in json.loads(path.read_text())["shard"]["pairs"]}
        assert not models & {m for p in others for m, _ in json.loads(p.read_text())["shard"]["pairs"]}
    out = capsys.readouterr().out
    assert re.search(r"toy_poor +ToyLab2024.IT-mean .* min_score 0.5 FAILED", out)
    assert f"Merged 2 shard(s), {PAIRS} pair(s): {merged}" in out


def test_each_shard_runs_only_its_pairs_and_ordinary_tests_run_in_shard_0(toy: pytest.Pytester) -> None:
    toy.makepyfile(test_suite=SUITE)
    outcomes = []
    for shard in ("0/2", "1/2"):
        result, _ = _shard(toy, shard)
        outcomes.append(result.parseoutcomes())
        assert "deselected" in outcomes[-1]
    scored = [sum(o.get(k, 0) for k in ("passed", "failed", "skipped")) for o in outcomes]
    assert scored[0] + scored[1] == PAIRS + 1  # every pair once, test_unrelated once
    result, _ = _shard(toy, "1/2", "-k", "unrelated")
    result.assert_outcomes(deselected=7)  # ordinary tests: shard 0 only


def test_generated_items_outside_the_shard_are_never_made(toy: pytest.Pytester) -> None:
    toy.makepyfile(test_other="def test_plain():\n    pass\n")
    args = ("--brainscore-model=toy_good,toy_poor", "--brainscore-benchmark=ToyLab2024.V4-mean", "--collect-only", "-q")
    names = []
    for shard in ("0/2", "1/2"):
        result = toy.runpytest_subprocess(f"--brainscore-shard={shard}", *args)
        names.append([line for line in result.stdout.lines if line.startswith(("brainscore[", "test_other"))])
        assert "deselected" not in result.stdout.str().split("\n")[-1] or shard == "1/2"
    assert sorted(n for part in names for n in part) == [
        "brainscore[toy_good-ToyLab2024.V4-mean]",
        "brainscore[toy_poor-ToyLab2024.V4-mean]",
        "test_other.py::test_plain",
    ]
    assert len([n for n in names[0] if n.startswith("brainscore[")]) == 1


def _refused(capsys, *args: str) -> str:
    assert main(["merge", *args]) == 2
    return capsys.readouterr().err


def _write_shards(tmp_path: Path, count: int = 2) -> list[Path]:
    """Shard reports as pytest writes them, for a 3 x 2 grid in which every pair passes."""
    pairs = [(model, benchmark) for model in ("m_a", "m_b", "m_c") for benchmark in ("B.x", "B.y")]
    assignment = assign(pairs, count)
    paths = []
    for index in range(count):
        mine = sorted(pair for pair, shard in assignment.items() if shard == index)
        section = {
            "index": index,
            "count": count,
            "selection_size": len(pairs),
            "selection_sha256": digest(f"{m}\t{b}" for m, b in pairs),
            "assignment_sha256": digest(f"{m}\t{b}\t{s}" for (m, b), s in assignment.items()),
            "pairs": [list(pair) for pair in mine],
            "reused": [],
            "host": "node-1",
            "started": "2026-01-01T00:00:00+00:00",
            "finished": "2026-01-01T00:01:00+00:00",
        }
        results = [
            {
                "nodeid": f"t.py::test[{m}-{b}]",
                "model": m,
                "benchmark": b,
                "benchmark_version": 1,
                "score": 0.5,
                "error": 0.01,
                "outcome": "passed",
                "status": "passed",
                "gate": "-",
            }
            for m, b in mine
        ]
        path = tmp_path / f"shard-{index}.json"
        path.write_text(json.dumps({"versions": {}, "configuration": {}, "results": results, "shard": section}))
        paths.append(path)
    return paths


def _edit(path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    payload = json.loads(path.read_text())
    change(payload)
    path.write_text(json.dumps(payload))


def test_merge_of_complete_shards_passes(tmp_path: Path, capsys) -> None:
    assert main(["merge", *map(str, _write_shards(tmp_path, 3)), "-o", str(tmp_path / "m.json")]) == 0
    merged = json.loads((tmp_path / "m.json").read_text())
    assert len(merged["results"]) == 6 and [s["index"] for s in merged["merged"]["shards"]] == [0, 1, 2]
    assert "Merged 3 shard(s), 6 pair(s)" in capsys.readouterr().out


def test_merge_refuses_a_missing_shard(tmp_path: Path, capsys) -> None:
    shards = _write_shards(tmp_path, 3)
    err = _refused(capsys, str(shards[0]), "-o", str(tmp_path / "m.json"))
    assert "Missing shard(s) 1/3, 2/3 of 3" in err and not (tmp_path / "m.json").exists()


def test_merge_refuses_different_selections(tmp_path: Path, capsys) -> None:
    shards = _write_shards(tmp_path)
    _edit(shards[1], lambda payload: payload["shard"].update(selection_sha256="0" * 64))
    err = _refused(capsys, *map(str, shards), "-o", str(tmp_path / "m.json"))
    assert "different selections" in err and str(shards[1]) in err


def test_merge_refuses_different_shard_counts(tmp_path: Path, capsys) -> None:
    shards = _write_shards(tmp_path)
    _edit(shards[1], lambda payload: payload["shard"].update(count=3))
    assert "different shard counts" in _refused(capsys, *map(str, shards), "-o", str(tmp_path / "m.json"))


def test_merge_refuses_different_assignments(tmp_path: Path, capsys) -> None:
    shards = _write_shards(tmp_path)
    _edit(shards[1], lambda payload: payload["shard"].update(assignment_sha256="0" * 64))
    err = _refused(capsys, *map(str, shards), "-o", str(tmp_path / "m.json"))
    assert "different assignments" in err and "--brainscore-durations" in err


def test_merge_refuses_a_pair_without_a_row(tmp_path: Path, capsys) -> None:
    shards = _write_shards(tmp_path)
    lost = json.loads(shards[0].read_text())["results"][-1]
    _edit(shards[0], lambda payload: payload["results"].pop())
    err = _refused(capsys, *map(str, shards), "-o", str(tmp_path / "m.json"))
    assert f"has no row for 1 pair(s): {lost['model']} on {lost['benchmark']}" in err


def test_merge_refuses_a_report_without_a_shard_section(tmp_path: Path, capsys) -> None:
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({"results": []}))
    err = _refused(capsys, str(plain), "-o", str(tmp_path / "m.json"))
    assert "no 'shard' section" in err and "--brainscore-shard=K/N --brainscore-report=PATH" in err


@pytest.mark.parametrize(("text", "message"), [("{", "not valid JSON"), ("[]", "not a pytest-brainscore report")])
def test_merge_refuses_what_is_not_a_report(tmp_path: Path, capsys, text: str, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    assert message in _refused(capsys, str(bad), "-o", str(tmp_path / "m.json"))


def test_merge_keeps_the_latest_of_a_shard_given_twice(tmp_path: Path, capsys) -> None:
    shards = _write_shards(tmp_path)
    older = tmp_path / "older.json"
    older.write_text(shards[0].read_text())
    _edit(older, lambda payload: payload["shard"].update(finished="2000-01-01T00:00:00+00:00"))
    assert main(["merge", str(older), *map(str, shards), "-o", str(tmp_path / "m.json")]) == 0
    assert f"Shard 0/2 given twice: using {shards[0]} (finished last), not {older}" in capsys.readouterr().out


def test_merge_exits_1_on_a_failed_pair(tmp_path: Path) -> None:
    shards = _write_shards(tmp_path)
    _edit(shards[0], lambda payload: payload["results"][0].update(outcome="failed", status="failed"))
    assert main(["merge", *map(str, shards), "-o", str(tmp_path / "m.json")]) == 1


def test_merge_updates_the_baseline_and_then_gates_against_it(tmp_path: Path, capsys) -> None:
    shards = _write_shards(tmp_path)
    baseline = tmp_path / "baseline.json"
    args = ["merge", *map(str, shards), "-o", str(tmp_path / "m.json"), "--baseline", str(baseline)]
    assert main([*args, "--update-baseline"]) == 0
    assert f"Baseline updated: {baseline} (6 written, 0 kept)" in capsys.readouterr().out
    assert len(json.loads(baseline.read_text())["scores"]) == 6
    assert main(args) == 0
    merged = json.loads((tmp_path / "m.json").read_text())
    assert {row["baseline"]["status"] for row in merged["results"]} == {"unchanged"}
    _edit(shards[1], lambda payload: payload["results"][0].update(score=0.3))  # a drop of 0.2
    assert main(args) == 1
    assert "Regressions (1):" in capsys.readouterr().out
    assert "needs a file to write" in _refused(
        capsys, *map(str, shards), "-o", str(tmp_path / "x.json"), "--update-baseline"
    )


def test_updating_the_baseline_from_a_shard_is_a_usage_error(toy: pytest.Pytester) -> None:
    toy.makepyfile(test_suite=SUITE)
    result = toy.runpytest_subprocess(
        "--brainscore-shard=0/2", f"--brainscore-baseline={toy.path / 'b.json'}", "--brainscore-update-baseline"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*a shard sees only its own pairs*brainscore merge SHARD.json*--update-baseline*"])


def test_shard_auto_reads_slurm(toy: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    toy.makepyfile(test_suite=SUITE)
    reports = []
    for task in ("1", "2"):  # sbatch --array=1-2
        monkeypatch.setenv("SLURM_ARRAY_TASK_ID", task)
        monkeypatch.setenv("SLURM_ARRAY_TASK_COUNT", "2")
        monkeypatch.setenv("SLURM_ARRAY_TASK_MIN", "1")
        result, report = _shard(toy, "auto")
        reports.append(json.loads(report.read_text())["shard"])
        (toy.path / "shard-auto.json").rename(toy.path / f"slurm-{task}.json")
    assert [(r["index"], r["count"]) for r in reports] == [(0, 2), (1, 2)]
    monkeypatch.delenv("SLURM_ARRAY_TASK_ID")
    result = toy.runpytest_subprocess("--brainscore-shard=auto")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*SLURM_ARRAY_TASK_ID not set*"])


def test_skip_done_runs_only_what_did_not_pass(toy: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    toy.makepyfile(test_suite=SUITE)
    first = toy.path / "first.json"
    toy.runpytest_subprocess(f"--brainscore-report={first}").assert_outcomes(passed=4, failed=2, skipped=1)
    second = toy.path / "second.json"
    result = toy.runpytest_subprocess(f"--brainscore-skip-done={first}", f"--brainscore-report={second}")
    # toy_poor's two failures and the incompatible pair rerun (test_unrelated too); the 3 passed pairs do not
    result.assert_outcomes(passed=1, failed=2, skipped=1, deselected=3)
    result.stdout.fnmatch_lines([f"Reused 3 pair(s) already done in {first}"])
    payload = json.loads(second.read_text())
    assert len(payload["shard"]["reused"]) == 3 and len(payload["results"]) == 3
    merged = toy.path / "merged.json"
    assert main(["merge", str(second), "-o", str(merged)]) == 1
    assert len(json.loads(merged.read_text())["results"]) == PAIRS
    monkeypatch.setenv("TOY_BENCHMARK_VERSION", "2")  # a new benchmark version: nothing is done any more
    result = toy.runpytest_subprocess(f"--brainscore-skip-done={first}")
    result.assert_outcomes(passed=4, failed=2, skipped=1)
    result.stdout.fnmatch_lines([f"Reused 0 pair(s) already done in {first}"])


def test_a_shard_run_with_xdist_reports_the_same_plan(toy: pytest.Pytester) -> None:
    toy.makepyfile(test_suite=SUITE)
    _, single = _shard(toy, "1/2")
    plan = json.loads(single.read_text())["shard"]
    report = toy.path / "xdist.json"
    result = toy.runpytest_subprocess("-n", "2", "--brainscore-shard=1/2", f"--brainscore-report={report}")
    assert result.ret in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)
    with_xdist = json.loads(report.read_text())["shard"]
    for key in ("selection_sha256", "assignment_sha256", "pairs", "selection_size"):
        assert with_xdist[key] == plan[key]
    assert sorted(row["model"] for row in json.loads(report.read_text())["results"]) == sorted(
        model for model, _ in plan["pairs"]
    )


BROKEN = """
import pytest

@pytest.mark.brainscore(model=["toy_good", "toy_poor"], benchmark="ToyLab2024.V4-mean")
def test_broken(brain_model):
    raise RuntimeError("broken before scoring")

@pytest.mark.brainscore(model="toy_good", benchmark="ToyLab2024.IT-mean")
def test_fine(brainscore_result):
    pass
"""


def test_a_test_that_fails_before_scoring_fails_the_merge_without_a_gap(
    toy: pytest.Pytester, tmp_path: Path, capsys
) -> None:
    toy.makepyfile(test_suite=BROKEN)
    result, report = _shard(toy, "0/1")
    result.assert_outcomes(passed=1, failed=2)
    unscored = json.loads(report.read_text())["shard"]["unscored"]
    assert [(e["model"], e["nodeid"]) for e in unscored] == [
        ("toy_good", "test_suite.py::test_broken[toy_good-ToyLab2024.V4-mean]"),
        ("toy_poor", "test_suite.py::test_broken[toy_poor-ToyLab2024.V4-mean]"),
    ]
    assert main(["merge", str(report), "-o", str(tmp_path / "m.json")]) == 1
    out = capsys.readouterr().out
    assert "toy_poor on ToyLab2024.V4-mean: FAILED before it was scored (test_suite.py::test_broken[" in out
    assert len(json.loads((tmp_path / "m.json").read_text())["unscored"]) == 2
