"""Baselines: pass, regression, noise tolerated, new, version changed, improvement, update (merged, atomic)."""

import json
import math
from pathlib import Path

import pytest
from toy_expectations import TOY_CEILING, TOY_ERROR, toy_score

from pytest_brainscore.baselines import Baseline, BaselineEntry, BaselineError
from pytest_brainscore.records import ScoreRecord

V4 = "ToyLab2024.V4-mean"
PAIRS_TEST = f"""
import pytest

@pytest.mark.brainscore(model=["toy_good", "toy_poor", "toy_v4only"], benchmark="{V4}")
def test_v4(brainscore_result):
    pass
"""


def write_baseline(path: Path, *entries: dict) -> Path:
    path.write_text(json.dumps({"format": "pytest-brainscore baseline", "format_version": 1, "scores": list(entries)}))
    return path


def entry(model: str, score: float, version: int = 1, error: float = TOY_ERROR, benchmark: str = V4) -> dict:
    return {"model": model, "benchmark": benchmark, "benchmark_version": version, "score": score, "error": error}


# --- the comparison rule, against numbers derived here -----------------------------------------------------------
def record(score: float, error: float | None, version: int = 1) -> ScoreRecord:
    return ScoreRecord("t::x", "m", "b", benchmark_version=version, score=score, error=error)


@pytest.mark.parametrize(
    ("now", "now_error", "before_error", "status"),
    [
        (0.70, 0.0, 0.0, "regression"),  # a drop of 0.05 with no noise: beyond the tolerance
        (0.745, 0.0, 0.0, "unchanged"),  # within the tolerance 0.01
        (0.70, 0.02, 0.02, "unchanged"),  # allowed 2 * hypot(0.02, 0.02) = 0.0566 covers the drop of 0.05
        (0.70, 0.01, 0.01, "regression"),  # allowed 2 * hypot(0.01, 0.01) = 0.0283 does not
        (0.70, 0.03, 0.0, "unchanged"),  # allowed 2 * 0.03 = 0.06 > 0.05
        (0.80, 0.0, None, "improvement"),
        (0.755, math.nan, None, "unchanged"),
    ],
)
def test_noise_rule_is_max_of_tolerance_and_twice_the_combined_error(
    now: float, now_error: float, before_error: float | None, status: str
) -> None:
    baseline = Baseline([BaselineEntry("m", "b", 1, 0.75, before_error)])
    comparison = baseline.compare(record(now, now_error), tolerance=0.01)
    combined = math.sqrt((0 if math.isnan(now_error) else now_error) ** 2 + (before_error or 0) ** 2)
    allowed = max(0.01, 2 * combined)
    expected = "regression" if now - 0.75 < -allowed else "improvement" if now - 0.75 > allowed else "unchanged"
    assert comparison.status == expected
    assert expected == status  # the hand-derived expectation agrees with the formula
    assert math.isclose(comparison.allowed, allowed) and math.isclose(comparison.delta, now - 0.75)


def test_new_and_incomparable_pairs_are_not_compared() -> None:
    baseline = Baseline([BaselineEntry("m", "b", 1, 0.75)])
    assert baseline.compare(ScoreRecord("t", "other", "b", 1, score=0.1, error=0.0), 0.01).status == "new"
    changed = baseline.compare(record(0.1, 0.0, version=2), 0.01)
    assert (changed.status, changed.baseline_version, changed.delta) == ("incomparable", 1, None)


def test_malformed_baseline_names_the_file_and_the_entry(tmp_path: Path) -> None:
    path = write_baseline(tmp_path / "baseline.json", entry("toy_good", 0.5), {"model": "toy_poor", "benchmark": V4})
    with pytest.raises(BaselineError, match=r"baseline.json, scores\[1\] is malformed .*'score'"):
        Baseline.load(path)
    path.write_text("[1, 2]")
    with pytest.raises(BaselineError, match="must be a JSON object with a 'scores' list"):
        Baseline.load(path)


# --- the gate in a pytest run ---------------------------------------------------------------------------------------
def test_regression_improvement_and_new_pairs_in_one_run(toy: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    good_before, poor_before = toy_score("toy_good"), toy_score("toy_poor")
    baseline = write_baseline(
        toy.path / "baseline.json", entry("toy_good", good_before), entry("toy_poor", poor_before)
    )
    monkeypatch.setenv("TOY_LEVEL_toy_good", "0.5")  # score 0.625: a real drop of 0.125
    monkeypatch.setenv("TOY_LEVEL_toy_poor", "0.4")  # score 0.5: an improvement of 0.25
    good_now, poor_now = 0.5 / 0.8, 0.4 / 0.8
    toy.makepyfile(test_pairs=PAIRS_TEST)
    result = toy.runpytest(f"--brainscore-baseline={baseline}")
    result.assert_outcomes(passed=2, failed=1)
    error = TOY_ERROR / TOY_CEILING  # both errors compared on the ceiled scale (raw / 0.8)
    allowed = max(0.01, 2 * math.hypot(error, error))
    result.stdout.fnmatch_lines(
        [
            (
                f"brainscore: toy_good on {V4} v1: regressed, score dropped {good_before - good_now:.4f} below the "
                f"baseline {good_before:.4f} (error {error:.4f}), more than the allowed {allowed:.4f} = "
                f"max(tolerance 0.0100, 2 x combined error {math.hypot(error, error):.4f}) "
                f"[[]score {good_now:.4f}, raw 0.5000, *]"
            ),
            "*= brainscore =*",
            "model * gate *",
            f"toy_good * {good_now:.4f} *baseline {good_now - good_before:+.4f} REGRESSION (allowed {allowed:.4f})*",
            "Regressions (1):",
            f"  toy_good on {V4} v1: {good_before:.4f} -> {good_now:.4f} ({good_now - good_before:+.4f}, *",
            "Improvements (1):",
            f"  toy_poor on {V4} v1: {poor_before:.4f} -> {poor_now:.4f} ({poor_now - poor_before:+.4f}, *",
            "New (not in the baseline) (1):",
            f"  toy_v4only on {V4} v1: {toy_score('toy_v4only'):.4f}",
        ]
    )


def test_drop_within_the_measurement_noise_passes(toy: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    baseline = write_baseline(toy.path / "baseline.json", entry("toy_good", toy_score("toy_good"), error=0.04))
    monkeypatch.setenv("TOY_LEVEL_toy_good", "0.55")  # a drop of 0.0625 ...
    monkeypatch.setenv("TOY_ERROR", "0.03")  # ... within 2 * hypot(0.03, 0.04) / 0.8 = 0.125 (raw errors, ceiled)
    toy.makepyfile(test_pairs=PAIRS_TEST)
    result = toy.runpytest(f"--brainscore-baseline={baseline}")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines([f"toy_good * baseline {0.55 / 0.8 - toy_score('toy_good'):+.4f} ok (allowed 0.1250)*"])
    monkeypatch.setenv("TOY_ERROR", "0.0")  # the same drop with a precise measurement fails
    write_baseline(baseline, entry("toy_good", toy_score("toy_good"), error=0.0))
    toy.runpytest(f"--brainscore-baseline={baseline}").assert_outcomes(passed=2, failed=1)


def test_changed_benchmark_version_is_incomparable(toy: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    baseline = write_baseline(toy.path / "baseline.json", entry("toy_good", 0.99, version=1))
    monkeypatch.setenv("TOY_BENCHMARK_VERSION", "2")
    toy.makepyfile(test_pairs=PAIRS_TEST)
    result = toy.runpytest(f"--brainscore-baseline={baseline}")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(
        [
            "Incomparable (benchmark version changed) (1):",
            f"  toy_good on {V4}: baseline v1 0.9900, now v2 {toy_score('toy_good'):.4f}",
        ]
    )


def test_update_writes_merged_scores_atomically_and_keeps_pairs_not_run(
    toy: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = entry("toy_good", 0.5, benchmark="ToyLab2024.IT-mean")
    baseline = write_baseline(toy.path / "baseline.json", entry("toy_good", 0.99), kept)
    monkeypatch.setenv("TOY_LEVEL_toy_good", "0.3")  # a regression, accepted by the update
    toy.makepyfile(test_pairs=PAIRS_TEST)
    result = toy.runpytest(f"--brainscore-baseline={baseline}", "--brainscore-update-baseline")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines([f"Baseline updated: {baseline} (3 written, 1 kept)"])
    scores = {(e["model"], e["benchmark"]): e for e in json.loads(baseline.read_text())["scores"]}
    assert set(scores) == {("toy_good", V4), ("toy_poor", V4), ("toy_v4only", V4), ("toy_good", "ToyLab2024.IT-mean")}
    assert math.isclose(scores[("toy_good", V4)]["score"], 0.3 / 0.8)
    assert math.isclose(scores[("toy_poor", V4)]["score"], toy_score("toy_poor"))
    assert scores[("toy_good", V4)]["benchmark_version"] == 1 and scores[("toy_good", V4)]["raw"] == pytest.approx(0.3)
    assert scores[("toy_good", "ToyLab2024.IT-mean")]["score"] == kept["score"]
    assert [p.name for p in toy.path.glob(".baseline.json.*")] == []  # no temporary file left behind
    toy.runpytest(f"--brainscore-baseline={baseline}").assert_outcomes(passed=3)  # now the gate holds


def test_update_creates_a_missing_baseline(toy: pytest.Pytester) -> None:
    baseline = toy.path / "ci" / "baseline.json"
    toy.makepyfile(test_pairs=PAIRS_TEST)
    result = toy.runpytest(f"--brainscore-baseline={baseline}", "--brainscore-update-baseline")
    result.assert_outcomes(passed=3)
    assert len(json.loads(baseline.read_text())["scores"]) == 3


def test_malformed_baseline_file_is_a_usage_error(pytester: pytest.Pytester) -> None:
    baseline = pytester.path / "baseline.json"
    baseline.write_text("{not json")
    result = pytester.runpytest(f"--brainscore-baseline={baseline}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: Baseline file {baseline} is not valid JSON*"])
