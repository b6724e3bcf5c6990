"""Leave-one-stimulus-out helpers against brute-force loops (scipy Spearman, direct kappa)."""

import numpy as np
import pytest
from scipy import stats

from brainscore_core.comparison import kappa_loo, rdm_spearman_loo


def rdm(rng, n):
    features = rng.normal(size=(n, 6))
    return 1 - np.corrcoef(features)


def upper(matrix):
    return matrix[np.triu_indices(matrix.shape[0], k=1)]


def test_rdm_spearman_loo_against_brute_force_scipy():
    rng = np.random.default_rng(0)
    model, subjects = rdm(rng, 12), np.stack([rdm(rng, 12) for _ in range(3)])
    subjects[0, 1, 2] = subjects[0, 2, 1] = subjects[0, 3, 4]  # a tie
    full, loo = rdm_spearman_loo(model, subjects)
    for s in range(3):
        assert full[s] == pytest.approx(stats.spearmanr(upper(model), upper(subjects[s]))[0], rel=1e-12)
        for i in range(12):
            keep = np.delete(np.arange(12), i)
            expected = stats.spearmanr(upper(model[np.ix_(keep, keep)]), upper(subjects[s][np.ix_(keep, keep)]))[0]
            assert loo[s, i] == pytest.approx(expected, rel=1e-12)


def test_rdm_spearman_loo_batches_models_and_accepts_one_pooled_rdm():
    rng = np.random.default_rng(1)
    models, pooled = np.stack([rdm(rng, 10), rdm(rng, 10)]), rdm(rng, 10)
    full, loo = rdm_spearman_loo(models, pooled)
    assert full.shape == (2, 1) and loo.shape == (2, 1, 10)
    single_full, single_loo = rdm_spearman_loo(models[1], pooled)
    np.testing.assert_allclose(loo[1], single_loo, rtol=1e-12)
    np.testing.assert_allclose(full[1], single_full, rtol=1e-12)


def brute_kappa(model, human, condition, n_conditions):
    kappas = []
    for k in range(n_conditions):
        seen = (condition == k) & np.isfinite(human)
        m, h = model[seen].astype(float), human[seen]
        a, b = m.mean(), h.mean()
        expected = a * b + (1 - a) * (1 - b)
        kappas.append((np.mean(m == h) - expected) / (1 - expected) if expected < 1 else np.nan)
    return np.nanmean(kappas)


def test_kappa_loo_against_brute_force_with_conditions_and_unseen_trials():
    rng = np.random.default_rng(2)
    n, n_subjects = 40, 3
    model = rng.random(n) < 0.6
    humans = (rng.random((n_subjects, n)) < 0.7).astype(float)
    humans[rng.random((n_subjects, n)) < 0.1] = np.nan
    condition = rng.integers(0, 2, n)
    full, loo = kappa_loo(model, humans, condition, 2)
    for s in range(n_subjects):
        assert full[s] == pytest.approx(brute_kappa(model, humans[s], condition, 2), rel=1e-12)
        for i in range(n):
            keep = np.delete(np.arange(n), i)
            expected = brute_kappa(model[keep], humans[s][keep], condition[keep], 2)
            assert loo[s, i] == pytest.approx(expected, rel=1e-12)


def test_grouped_kappa_loo_leaves_each_group_out():
    rng = np.random.default_rng(3)
    n, n_subjects, n_groups = 30, 2, 4
    model = rng.random(n) < 0.6
    humans = (rng.random((n_subjects, n)) < 0.7).astype(float)
    condition = rng.integers(0, 2, n)
    groups = np.arange(n) % n_groups
    full, loo = kappa_loo(model, humans, condition, 2, groups=groups)
    assert loo.shape == (n_subjects, n_groups)
    assert full == pytest.approx(kappa_loo(model, humans, condition, 2)[0], rel=1e-12)
    for s in range(n_subjects):
        for g in range(n_groups):
            keep = groups != g
            expected = brute_kappa(model[keep], humans[s][keep], condition[keep], 2)
            assert loo[s, g] == pytest.approx(expected, rel=1e-12)


def test_shapes_are_checked():
    with pytest.raises(ValueError, match="square and alike"):
        rdm_spearman_loo(np.zeros((5, 5)), np.zeros((2, 6, 6)))
    with pytest.raises(ValueError, match="shapes do not match"):
        kappa_loo(np.ones(4, bool), np.ones((2, 5)), np.zeros(4, int), 1)
