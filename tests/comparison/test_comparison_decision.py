"""The gate rule (Δ < -tol and one-sided p < alpha): statuses, bounds, MDD, Bonferroni, CI line, serialisation."""

import json
import math

import pytest
from scipy import stats

from brainscore_core.comparison import GateResult, PairedEstimate, decide, incomparable

RSA = "4 subjects ⊕ 92-stimulus jackknife"


def estimate(delta, se, df=41.0, resampled=RSA, **kwargs):
    return PairedEstimate(delta=delta, se=se, df=df, resampled=resampled, **kwargs)


def test_the_issue_example_line():
    result = decide(estimate(-0.049, 0.01678), score_a=0.512, score_b=0.463)
    assert result.status == "regression"
    assert result.failed
    assert result.line("alexnet", "Kriegeskorte2008.hIT-rsa", 1) == (
        "REGRESSION alexnet @ Kriegeskorte2008.hIT-rsa v1: 0.512 -> 0.463 (Δ -0.049 < -tol 0.010; 99% bound -0.008) "
        "p=0.003, t=-2.92 df=41 [4 subjects ⊕ 92-stimulus jackknife]"
    )


def test_numbers_follow_the_formulas():
    result = decide(estimate(-0.03, 0.01, df=9), alpha=0.05, tol=0.01)
    critical = stats.t.ppf(0.95, 9)
    assert result.t == pytest.approx(-3.0)
    assert result.p == pytest.approx(stats.t.cdf(-3.0, 9))
    assert result.p_better == pytest.approx(stats.t.sf(-3.0, 9))
    assert result.upper == pytest.approx(-0.03 + critical * 0.01)
    assert result.lower == pytest.approx(-0.03 - critical * 0.01)
    assert result.mdd == pytest.approx((critical + stats.t.ppf(0.8, 9)) * 0.01)


def test_a_drop_within_tolerance_passes_even_when_significant():
    result = decide(estimate(-0.009, 0.0001))
    assert result.p < 1e-10
    assert result.status == "ok"
    assert not result.failed


def test_a_drop_beyond_tolerance_passes_when_not_significant():
    result = decide(estimate(-0.05, 0.03))
    assert result.status == "underpowered"
    assert result.underpowered
    assert not result.failed
    assert "< -tol 0.010;" in result.line("m", "b", 1)
    assert "too little power to detect a drop of tol" in result.line("m", "b", 1)


def test_improvement_uses_the_same_test_and_never_fails():
    result = decide(estimate(0.05, 0.01), score_a=0.4, score_b=0.45)
    assert result.status == "improved"
    assert not result.failed
    line = result.line("m", "b", 2)
    assert line.startswith("IMPROVED m @ b v2: 0.400 -> 0.450 (Δ +0.050 > tol 0.010; 99% bound +0.026)")
    assert result.p_better < 0.001
    assert ") p<0.001, t=5.00 df=41 [" in line


def test_ok_line_reports_the_minimum_detectable_drop():
    splits = "10 splits, Nadeau-Bengio"
    result = decide(estimate(-0.003, 0.002, df=9, resampled=splits), score_a=0.431, score_b=0.428)
    assert result.status == "ok"
    assert result.mdd == pytest.approx((stats.t.ppf(0.99, 9) + stats.t.ppf(0.8, 9)) * 0.002)
    assert result.line("alexnet", "Cowley2023.V4-ridgecv", 1) == (
        "ok alexnet @ Cowley2023.V4-ridgecv v1: 0.431 -> 0.428 (Δ -0.003, tol 0.010; 99% bound +0.003) "
        "p=0.084, t=-1.50 df=9 [10 splits, Nadeau-Bengio] MDD 0.007"
    )


def test_bonferroni_divides_alpha_by_the_number_of_pairs():
    one = decide(estimate(-0.05, 0.02))
    twelve = decide(estimate(-0.05, 0.02), n_comparisons=12)
    assert one.status == "regression"
    assert twelve.alpha == pytest.approx(0.01 / 12)
    assert twelve.status != "regression"
    assert "99.9% bound" in twelve.line("m", "b", 1)


def test_identical_units_are_unchanged_without_a_test():
    result = decide(estimate(0.0, 0.0, identical=True), score_a=0.402, score_b=0.402)
    assert result.status == "unchanged"
    assert math.isnan(result.t)
    assert result.line("alexnet", "Kiani2007.mIT-rsa", 1) == (
        "unchanged alexnet @ Kiani2007.mIT-rsa v1: 0.402 (identical per-unit values)"
    )


def test_nan_delta_is_a_regression():
    result = decide(estimate(math.nan, math.nan), score_a=0.5, score_b=math.nan)
    assert result.status == "regression"
    assert result.line("m", "b", 1) == "REGRESSION m @ b v1: 0.500 -> nan (score is NaN)"


def test_zero_se_with_a_drop_is_significant():
    result = decide(estimate(-0.02, 0.0))
    assert result.status == "regression"
    assert result.p == 0.0


def test_exact_mcnemar_estimate_uses_its_own_p_values():
    exact = estimate(-0.05, 0.02, df=math.inf, resampled="160-stimulus McNemar, exact", kind="exact", p_worse=0.004)
    exact = PairedEstimate(**{**exact.__dict__, "p_better": 0.998})
    result = decide(exact, score_a=0.7, score_b=0.65)
    assert (result.status, result.p, result.p_better) == ("regression", 0.004, 0.998)
    assert result.upper == pytest.approx(-0.05 + stats.norm.ppf(0.99) * 0.02)
    assert result.line("m", "acc", 1).endswith("p=0.004 [160-stimulus McNemar, exact]")


def test_unpaired_fallback_note_is_on_the_line():
    fallback = estimate(-0.013, 0.02, paired=False, note="unpaired fallback: baseline has no per-unit values")
    line = decide(fallback).line("m", "b", 1)
    assert line.endswith("; unpaired fallback: baseline has no per-unit values")


def test_incomparable_names_the_reason():
    result = incomparable("split fingerprint differs (baseline 3fa1, now 9c07)")
    assert result.status == "incomparable"
    assert not result.failed
    assert result.line("m", "b", 1) == "incomparable m @ b v1: split fingerprint differs (baseline 3fa1, now 9c07)"


@pytest.mark.parametrize(
    "result",
    [
        decide(estimate(-0.049, 0.0168), score_a=0.5, score_b=0.45),
        decide(estimate(0.0, 0.0, identical=True)),
        decide(estimate(-0.02, 0.01, df=math.inf, kind="exact", p_worse=0.01, p_better=0.99)),
        incomparable("stimuli differ"),
    ],
)
def test_to_dict_round_trips_through_strict_json(result):
    text = json.dumps(result.to_dict(), allow_nan=False)
    back = GateResult.from_dict(json.loads(text))
    assert back.to_dict() == result.to_dict()


def test_from_dict_refuses_unknown_versions_and_fields():
    data = decide(estimate(-0.02, 0.01)).to_dict()
    with pytest.raises(ValueError, match="version 2 is not supported"):
        GateResult.from_dict({**data, "version": 2})
    with pytest.raises(ValueError, match=r"unknown field\(s\) \['extra'\]"):
        GateResult.from_dict({**data, "extra": 1})


def test_user_properties_carry_the_numbers():
    properties = dict(decide(estimate(-0.049, 0.0168)).user_properties())
    assert properties["brainscore_status"] == "regression"
    assert properties["brainscore_resampled"] == RSA
    assert properties["brainscore_df"] == 41.0


def test_invalid_settings_are_refused():
    with pytest.raises(ValueError, match="alpha and power"):
        decide(estimate(-0.02, 0.01), alpha=0)
    with pytest.raises(ValueError, match="tol must be"):
        decide(estimate(-0.02, 0.01), tol=-1)
