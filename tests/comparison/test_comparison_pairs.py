"""gate_pair / gate_scale: the verdict for one pair from two stored records, on the benchmark's ceiled scale."""

import math

import numpy as np
import pytest

from brainscore_core.comparison import (
    PairedEstimate,
    PairingUnavailable,
    SplitUnits,
    StimulusUnits,
    SubjectStimulusUnits,
    decide,
    gate_pair,
    gate_scale,
    split_test,
    stored,
    subject_stimulus_test,
)

RNG = np.random.default_rng(0)
A_SPLITS = 0.5 + 0.02 * RNG.standard_normal(10)
B_SPLITS = A_SPLITS - 0.03 + 0.005 * RNG.standard_normal(10)


def splits(scores, fingerprint="sha256:aaaa"):
    return SplitUnits(scores, 90, 10, fingerprint)


def subjects(by_subject, loo, stimuli="sha256:s"):
    return SubjectStimulusUnits(("s1", "s2", "s3"), by_subject, loo, stimuli)


def verdict(a, b, formula="raw / ceiling", ceiling=0.8, **kwargs):
    raw_a = float(np.mean(a.scores)) if isinstance(a, SplitUnits) else kwargs.pop("raw_a")
    raw_b = float(np.mean(b.scores)) if isinstance(b, SplitUnits) else kwargs.pop("raw_b")
    options = {"alpha": 0.01, "tol": 0.01, "score_a": None, "score_b": None, **kwargs}
    return gate_pair(a.to_dict(), b.to_dict(), formula=formula, ceiling=ceiling, raw_a=raw_a, raw_b=raw_b, **options)


def test_linear_ceiling_gives_the_split_test_on_the_ceiled_scale():
    result = verdict(splits(A_SPLITS), splits(B_SPLITS))
    a, b = stored(A_SPLITS), stored(B_SPLITS)  # what the records hold: 7 significant digits
    expected = decide(split_test(a, b, n_train=90, n_test=10, scale=1 / 0.8), alpha=0.01, tol=0.01)
    assert result.status == expected.status == "regression"
    assert result.delta == pytest.approx(float(np.mean(B_SPLITS - A_SPLITS)) / 0.8)
    assert (result.t, result.p, result.se) == pytest.approx((expected.t, expected.p, expected.se), rel=1e-12)


def test_the_scale_follows_the_ceiling_formula():
    units = splits(A_SPLITS)
    assert gate_scale("raw / ceiling", 0.8, 0.5, 0.4, units) == (1 / 0.8, "")
    assert gate_scale("raw**2 / ceiling", 0.8, 0.5, 0.4, units) == (pytest.approx(0.9 / 0.8), "")
    assert gate_scale("none (no ceiling can be estimated)", None, 0.5, 0.4, units) == (1.0, "")
    assert gate_scale(None, None, 0.5, 0.4, units) == (1.0, "")
    factor, note = gate_scale("raw / ceiling", -0.1, 0.5, 0.4, units)
    assert factor == 1.0 and note == "raw scale: the ceiling -0.1 is not above 0"
    with pytest.raises(PairingUnavailable, match="does not know the ceiling formula 'mean over repetitions"):
        gate_scale("mean over repetitions of raw / sqrt(ceiling)", 0.8, 0.5, 0.4, units)


def test_t_and_p_do_not_depend_on_the_ceiling():
    low, high = verdict(splits(A_SPLITS), splits(B_SPLITS), ceiling=0.5), verdict(splits(A_SPLITS), splits(B_SPLITS))
    assert low.t == pytest.approx(high.t) and low.p == pytest.approx(high.p)
    assert low.delta == pytest.approx(high.delta * 0.8 / 0.5)


def test_absolute_mean_scores_flip_the_sign_of_signed_units():
    """Error consistency's raw score is |mean signed kappa|: when A's kappas average below 0, a kappa that moves
    further below 0 is an improvement of the raw score."""
    loo_a = np.full((3, 5), -0.2) + 0.01 * np.arange(5)
    by_a = np.array([-0.2, -0.22, -0.18])
    units_a = subjects(by_a, loo_a)
    factor, _ = gate_scale("raw / ceiling", 0.5, 0.2, 0.3, units_a)
    assert factor == -2.0
    result = verdict(units_a, subjects(by_a - 0.1, loo_a - 0.1), ceiling=0.5, raw_a=0.2, raw_b=0.3)
    expected = subject_stimulus_test(by_a, by_a - 0.1, loo_a, loo_a - 0.1, scale=-2.0)
    assert result.delta == pytest.approx(expected.delta) == pytest.approx(0.2)


def test_units_of_other_stimuli_are_incomparable_and_different_splits_fall_back():
    loo = np.ones((3, 4)) * 0.3
    result = verdict(
        subjects(np.full(3, 0.3), loo), subjects(np.full(3, 0.2), loo, "sha256:t"), raw_a=0.3, raw_b=0.2, score_a=0.4
    )
    assert result.status == "incomparable" and result.note.startswith("stimulus fingerprint differs")
    assert result.score_a == 0.4 and math.isnan(result.p)
    fallback = verdict(splits(A_SPLITS), splits(B_SPLITS, "sha256:bbbb"))
    assert not fallback.paired and fallback.note == "splits differ (baseline aaaa, now bbbb); unpaired"


def test_class_index_decisions_without_a_statistic_are_unavailable():
    a = StimulusUnits(np.array([0, 1, 2, 1]), "sha256:s")
    b = StimulusUnits(np.array([0, 1, 1, 1]), "sha256:s")
    with pytest.raises(PairingUnavailable, match="class-index decisions need the benchmark's `statistic`"):
        verdict(a, b, raw_a=0.5, raw_b=0.4)


def test_bonferroni_and_the_scale_note_reach_the_result():
    result = verdict(splits(A_SPLITS), splits(B_SPLITS), ceiling=0.0, n_comparisons=4)
    assert result.alpha == pytest.approx(0.0025)
    assert result.note == "raw scale: the ceiling 0.0 is not above 0"
    assert result.line("m", "b", 1).endswith("; raw scale: the ceiling 0.0 is not above 0")


@pytest.mark.parametrize(("df", "ratio"), [(3, 0.60), (41, 0.77)])
def test_alpha_005_shrinks_the_minimum_detectable_drop_by_a_quarter_to_two_fifths(df, ratio):
    """README "Why alpha = 0.01": a larger alpha does not make underpowered pairs testable."""
    estimate = PairedEstimate(-0.01, 0.02, df, "x")
    strict, loose = decide(estimate, alpha=0.01), decide(estimate, alpha=0.05)
    assert loose.mdd / strict.mdd == pytest.approx(ratio, abs=0.005)
