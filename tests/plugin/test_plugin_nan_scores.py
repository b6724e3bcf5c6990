"""A score that is not a number fails every brainscore test with its reason: gated, thresholded, baselined or not."""

import json
from pathlib import Path

import pytest
from toy_expectations import toy_score

V4 = "ToyLab2024.V4-mean"
NAN_REASON = (
    f"*brainscore: toy_good on {V4} v1: the score is not a number (NaN), so the test cannot pass: the metric gave "
    "NaN, e.g. from NaN or infinite model activations, or responses that are the same for every stimulus*"
)


@pytest.fixture
def nan_toy(toy: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("TOY_LEVEL_toy_good", "nan")  # every response NaN: raw, and so the score, is NaN
    return toy


def test_marker_without_any_gate_fails_a_nan_score(nan_toy: pytest.Pytester) -> None:
    nan_toy.makepyfile(
        f"""
        import pytest

        @pytest.mark.brainscore(model=["toy_good", "toy_poor"], benchmark="{V4}")
        def test_plain():
            pass
        """
    )
    result = nan_toy.runpytest()
    result.assert_outcomes(passed=1, failed=1)  # toy_poor still scores a number and passes
    result.stdout.fnmatch_lines([NAN_REASON, "*toy_good * score NaN FAILED*"])


def test_fixture_test_without_a_marker_fails_a_nan_score(nan_toy: pytest.Pytester) -> None:
    nan_toy.makepyfile(
        """
        def test_uses_the_result(brainscore_result):
            assert brainscore_result.model_identifier == "toy_good"  # the body passes; the NaN still fails it
        """
    )
    result = nan_toy.runpytest("--brainscore-model=toy_good", f"--brainscore-benchmark={V4}")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([NAN_REASON])


def test_thresholds_and_baseline_fail_a_nan_score_once_with_the_reason(nan_toy: pytest.Pytester) -> None:
    baseline = nan_toy.path / "baseline.json"
    entry = {"model": "toy_good", "benchmark": V4, "benchmark_version": 1, "score": toy_score("toy_good")}
    baseline.write_text(json.dumps({"format": "pytest-brainscore baseline", "format_version": 2, "scores": [entry]}))
    nan_toy.makepyfile(
        f"""
        import pytest

        @pytest.mark.brainscore(model="toy_good", benchmark="{V4}", min_score=0.0)
        def test_gated():
            pass
        """
    )
    result = nan_toy.runpytest(f"--brainscore-baseline={baseline}")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([NAN_REASON])
    failure = next(line for line in result.stdout.lines if "brainscore: toy_good" in line)
    assert failure.count("not a number") == 1  # one reason, not one per bound and baseline


def test_update_baseline_does_not_write_a_nan_score(nan_toy: pytest.Pytester) -> None:
    baseline = Path(nan_toy.path / "baseline.json")
    nan_toy.makepyfile(
        f"""
        import pytest

        @pytest.mark.brainscore(model=["toy_good", "toy_poor"], benchmark="{V4}")
        def test_plain():
            pass
        """
    )
    result = nan_toy.runpytest(f"--brainscore-baseline={baseline}", "--brainscore-update-baseline")
    result.assert_outcomes(passed=1, failed=1)
    assert [e["model"] for e in json.loads(baseline.read_text())["scores"]] == ["toy_poor"]


def test_the_score_factory_fails_a_nan_score(nan_toy: pytest.Pytester) -> None:
    nan_toy.makepyfile(
        f"""
        def test_factory(brainscore_score):
            assert brainscore_score("toy_poor", "{V4}").value > 0
            brainscore_score("toy_good", "{V4}")  # returns the NaN Score; the test still fails after its body
        """
    )
    result = nan_toy.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([NAN_REASON])
