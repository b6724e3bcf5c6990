"""Exactness of the paired estimates: hand computations, brute-force jackknives, scipy's binomial test,
ceiling and order invariance."""

import math

import numpy as np
import pytest
from scipy import stats

from brainscore_core.comparison import (
    decide,
    explained_variance_scale,
    jackknife_variance,
    linear_scale,
    mcnemar_test,
    nadeau_bengio_factor,
    satterthwaite_df,
    split_test,
    stimulus_jackknife_test,
    subject_stimulus_test,
    unpaired_split_test,
    unpaired_test,
)


@pytest.fixture
def splits():
    rng = np.random.default_rng(0)
    a = rng.normal(0.45, 0.02, 10)
    return a, a - 0.01 + rng.normal(0, 0.004, 10)


@pytest.fixture
def subjects():
    rng = np.random.default_rng(1)
    a = rng.normal(0.3, 0.05, 4)
    b = a - 0.02 + rng.normal(0, 0.01, 4)
    loo_a = a[:, None] + rng.normal(0, 0.002, (4, 30))
    loo_b = b[:, None] + rng.normal(0, 0.002, (4, 30))
    return a, b, loo_a, loo_b


def test_nadeau_bengio_factor_for_ten_90_10_splits():
    assert nadeau_bengio_factor(10, 576, 64) == pytest.approx(0.1 + 1 / 9)
    assert nadeau_bengio_factor(10, 576, 64) == pytest.approx(0.2111, abs=1e-4)


def test_split_test_against_hand_computation(splits):
    a, b = splits
    d = b - a
    hand_var = sum((x - sum(d) / 10) ** 2 for x in d) / 9
    estimate = split_test(a, b, n_train=576, n_test=64)
    assert estimate.delta == pytest.approx(sum(d) / 10, rel=1e-12)
    assert estimate.se == pytest.approx(math.sqrt((1 / 10 + 64 / 576) * hand_var), rel=1e-12)
    assert estimate.df == 9
    assert estimate.resampled == "10 splits, Nadeau-Bengio"


@pytest.mark.parametrize("ceiling", [0.3, 0.661, 1.0])
def test_linear_ceiling_scales_delta_and_se_but_not_t_or_p(splits, subjects, ceiling):
    a, b = splits
    raw = decide(split_test(a, b, n_train=576, n_test=64))
    ceiled = decide(split_test(a, b, n_train=576, n_test=64, scale=linear_scale(ceiling)))
    assert ceiled.delta == pytest.approx(raw.delta / ceiling)
    assert (ceiled.t, ceiled.p) == pytest.approx((raw.t, raw.p), rel=1e-12)
    sa, sb, la, lb = subjects
    raw = decide(subject_stimulus_test(sa, sb, la, lb))
    ceiled = decide(subject_stimulus_test(sa, sb, la, lb, scale=linear_scale(ceiling)))
    assert (ceiled.t, ceiled.p, ceiled.df) == pytest.approx((raw.t, raw.p, raw.df), rel=1e-10)


def test_explained_variance_scale_is_exact_for_delta(splits):
    a, b = splits
    ceiling = 0.7
    estimate = split_test(a, b, n_train=576, n_test=64, scale=explained_variance_scale(a.mean(), b.mean(), ceiling))
    assert estimate.delta == pytest.approx((b.mean() ** 2 - a.mean() ** 2) / ceiling, rel=1e-12)


def test_split_test_is_invariant_to_a_consistent_permutation_of_splits(splits):
    a, b = splits
    order = np.random.default_rng(5).permutation(10)
    one = split_test(a, b, n_train=576, n_test=64)
    other = split_test(a[order], b[order], n_train=576, n_test=64)
    assert (other.delta, other.se, other.df) == pytest.approx((one.delta, one.se, one.df), rel=1e-12)


def test_subject_stimulus_test_against_formulas(subjects):
    a, b, loo_a, loo_b = subjects
    scale = 1 / 0.661
    d = (b - a) * scale
    theta = ((loo_b - loo_a) * scale).mean(axis=0)
    v_subj = np.var(d, ddof=1) / 4
    v_stim = 29 / 30 * np.sum((theta - theta.mean()) ** 2)
    df = (v_subj + v_stim) ** 2 / (v_subj**2 / 3 + v_stim**2 / 29)
    estimate = subject_stimulus_test(a, b, loo_a, loo_b, scale=scale)
    assert estimate.delta == pytest.approx(d.mean())
    assert estimate.se == pytest.approx(math.sqrt(v_subj + v_stim))
    assert estimate.df == pytest.approx(df)
    assert estimate.resampled == "4 subjects ⊕ 30-stimulus jackknife"


def test_subject_stimulus_test_is_invariant_to_subject_and_stimulus_order(subjects):
    a, b, loo_a, loo_b = subjects
    rng = np.random.default_rng(2)
    s, i = rng.permutation(4), rng.permutation(30)
    one = subject_stimulus_test(a, b, loo_a, loo_b)
    other = subject_stimulus_test(a[s], b[s], loo_a[s][:, i], loo_b[s][:, i])
    assert (other.delta, other.se, other.df) == pytest.approx((one.delta, one.se, one.df), rel=1e-12)


def test_one_subject_uses_the_stimulus_jackknife_alone(subjects):
    a, b, loo_a, loo_b = subjects
    estimate = subject_stimulus_test(a[:1], b[:1], loo_a[:1], loo_b[:1])
    theta = loo_b[0] - loo_a[0]
    assert estimate.se == pytest.approx(math.sqrt(float(jackknife_variance(theta))))
    assert estimate.df == 29
    assert estimate.resampled == "30-stimulus jackknife"


def test_jackknife_variance_against_brute_force_leave_one_out():
    values = np.random.default_rng(3).normal(size=25)
    loo = np.array([np.delete(values, i).mean() for i in range(25)])
    # the jackknife SE of a mean is exactly the usual SEM
    assert float(jackknife_variance(loo)) == pytest.approx(values.var(ddof=1) / 25, rel=1e-12)


def test_stimulus_jackknife_test_against_brute_force_loop():
    rng = np.random.default_rng(4)
    a, b = rng.integers(0, 3, 60), rng.integers(0, 3, 60)

    def statistic(decisions):
        shape, texture = np.sum(decisions == 1), np.sum(decisions == 2)
        return 1 - abs(shape / (shape + texture) - 0.9)

    theta = [statistic(np.delete(b, i)) - statistic(np.delete(a, i)) for i in range(60)]
    brute = 59 / 60 * sum((t - sum(theta) / 60) ** 2 for t in theta)
    estimate = stimulus_jackknife_test(a, b, statistic, scale=2.0)
    assert estimate.delta == pytest.approx(2 * (statistic(b) - statistic(a)))
    assert estimate.se == pytest.approx(2 * math.sqrt(brute), rel=1e-10)
    assert estimate.df == 59


@pytest.mark.parametrize("seed", range(5))
def test_mcnemar_matches_scipy_binomtest(seed):
    rng = np.random.default_rng(seed)
    a = rng.random(160) < 0.7
    b = np.where(rng.random(160) < 0.15, ~a, a)
    worse, better = int(np.sum(a & ~b)), int(np.sum(~a & b))
    estimate = mcnemar_test(a, b)
    expected = stats.binomtest(worse, worse + better, 0.5, alternative="greater").pvalue
    assert estimate.p_worse == pytest.approx(expected, rel=1e-12)
    assert estimate.p_worse == pytest.approx(stats.binom.sf(worse - 1, worse + better, 0.5), rel=1e-9)
    assert estimate.delta == pytest.approx(b.mean() - a.mean())
    assert decide(estimate).p == estimate.p_worse


def test_mcnemar_is_invariant_to_stimulus_order():
    rng = np.random.default_rng(7)
    a, b = rng.random(100) < 0.6, rng.random(100) < 0.55
    order = rng.permutation(100)
    assert mcnemar_test(a, b) == mcnemar_test(a[order], b[order])


def test_satterthwaite_df_against_formula():
    assert satterthwaite_df((0.4, 3), (0.1, 91)) == pytest.approx(0.5**2 / (0.4**2 / 3 + 0.1**2 / 91))
    assert satterthwaite_df((0.0, 3), (0.1, 91)) == pytest.approx(91)


def test_identical_units_are_marked_and_rounding_below_stored_precision_is_identical(subjects, splits):
    a, _, loo_a, _ = subjects
    assert subject_stimulus_test(a, a, loo_a, loo_a).identical
    assert subject_stimulus_test(a, a * (1 + 1e-9), loo_a, loo_a).identical
    assert not subject_stimulus_test(a, a * (1 + 1e-5), loo_a, loo_a).identical
    s, _ = splits
    assert split_test(s, s.copy(), n_train=9, n_test=1).identical
    assert mcnemar_test(np.ones(5, bool), np.ones(5, bool)).identical


def test_shape_mismatch_and_nan_units_are_refused_with_the_reason(subjects):
    a, b, loo_a, loo_b = subjects
    with pytest.raises(ValueError, match="not paired"):
        subject_stimulus_test(a, b[:3], loo_a, loo_b)
    with pytest.raises(ValueError, match="not paired"):
        split_test(np.ones(10), np.ones(9), n_train=9, n_test=1)
    bad = b.copy()
    bad[2] = np.nan
    with pytest.raises(ValueError, match=r"this run contain 1 non-finite value\(s\) \(first at flat index 2\)"):
        subject_stimulus_test(a, bad, loo_a, loo_b)
    with pytest.raises(ValueError, match="boolean"):
        mcnemar_test(np.ones(4), np.ones(4))


def test_unpaired_fallbacks():
    rng = np.random.default_rng(8)
    a, b = rng.normal(0.5, 0.02, 10), rng.normal(0.48, 0.02, 10)
    estimate = unpaired_split_test(a, b, n_train=(576, 576), n_test=(64, 64))
    factor = nadeau_bengio_factor(10, 576, 64)
    assert estimate.se == pytest.approx(math.sqrt(factor * (a.var(ddof=1) + b.var(ddof=1))))
    assert not estimate.paired
    assert "splits differ" in estimate.note
    fallback = unpaired_test(0.5, 0.03, 0.45, 0.04, n_units=4, note="baseline has no per-unit values")
    assert (fallback.delta, fallback.se, fallback.df) == pytest.approx((-0.05, 0.05, 3))
    with pytest.raises(ValueError, match="ceiling must be a finite positive number"):
        linear_scale(0.0)
