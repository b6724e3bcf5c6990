"""Regression solvers against scikit-learn fitted split by split and against direct numpy derivations."""

import warnings

import numpy as np
import pytest
from sklearn.cross_decomposition import PLSRegression
from sklearn.linear_model import LinearRegression as SkLinearRegression
from sklearn.linear_model import Ridge as SkRidge
from sklearn.linear_model import RidgeCV as SkRidgeCV

from brainscore_core.metrics._splits import SplitSpec, shuffle_splits
from brainscore_core.metrics.regression import (
    BRAINSCORE_RIDGECV_ALPHAS,
    PLS,
    LinearRegression,
    NeuronToNeuron,
    Ridge,
    RidgeCV,
    SplitData,
)
from brainscore_core.metrics.regression._factorisation import _factorise
from brainscore_core.metrics.regression._ridgecv_scan import (
    _leave_one_out_losses,
    _low_rank_losses,
    _plausible_minima,
)


def _problem(n, f, t, seed=0, offset=5.0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, f)) @ (np.eye(f) + 0.3 * rng.normal(size=(f, f))) + offset
    y = x[:, : min(f, 6)] @ rng.normal(size=(min(f, 6), t)) + 2.0 * rng.normal(size=(n, t)) + 10 * offset
    return x, y


def _data(x, y, n_splits=3):
    splits = shuffle_splits(len(x), SplitSpec(n_splits=n_splits))
    return SplitData(x, y, splits), splits


def _per_split(make_estimator, x, y, splits):
    return np.stack([make_estimator().fit(x[s.train], y[s.train]).predict(x[s.test]) for s in splits])


def _reference_pls(x_train, y_train, x_test, n_components):
    """Textbook PLS2 with explicit regression deflation; weights from a dense SVD of X_k^T Y_k."""
    x_mean, y_mean = x_train.mean(axis=0), y_train.mean(axis=0)
    x_k, y_k = x_train - x_mean, y_train - y_mean
    weights, loadings, y_loadings = [], [], []
    for _ in range(n_components):
        w = np.linalg.svd(x_k.T @ y_k, full_matrices=False)[0][:, 0]
        t = x_k @ w
        p, q = x_k.T @ t / (t @ t), y_k.T @ t / (t @ t)
        x_k, y_k = x_k - np.outer(t, p), y_k - np.outer(t, q)
        weights.append(w), loadings.append(p), y_loadings.append(q)
    w, p, q = (np.array(v).T for v in (weights, loadings, y_loadings))
    return (x_test - x_mean) @ w @ np.linalg.pinv(p.T @ w) @ q.T + y_mean


def test_split_data_train_means_are_those_of_the_train_rows():
    x, y = _problem(60, 7, 3)
    data, splits = _data(x, y)
    for s, split in enumerate(splits):
        np.testing.assert_allclose(data.x_train_mean[s] + data.x_offset, x[split.train].mean(axis=0), rtol=1e-12)
        np.testing.assert_allclose(data.y_prediction_offset(s), y[split.train].mean(axis=0), rtol=1e-12)
        x0 = x[split.train] - x[split.train].mean(axis=0)
        y0 = y[split.train] - y[split.train].mean(axis=0)
        np.testing.assert_allclose(data.train_cross_covariance(s), x0.T @ y0, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("n,f,t", [(150, 40, 8), (80, 120, 5), (90, 30, 60)])
def test_pls_equals_textbook_nipals_at_convergence(n, f, t):
    x, y = _problem(n, f, t)
    data, splits = _data(x, y)
    out = PLS(n_components=25).fit_predict(data)
    expected = np.stack([_reference_pls(x[s.train], y[s.train], x[s.test], 25) for s in splits])
    scale = np.abs(expected).max()
    np.testing.assert_allclose(out.predictions, expected, atol=1e-9 * scale)
    assert out.info["n_components"] == [25] * len(splits)


def test_pls_matches_scikit_learn_pls_regression():
    x, y = _problem(120, 30, 6, seed=1)
    data, splits = _data(x, y, n_splits=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn's convergence warnings at tight tolerance
        expected = _per_split(lambda: PLSRegression(25, scale=False, tol=1e-16, max_iter=5000), x, y, splits)
    ours = PLS(25).fit_predict(data).predictions
    np.testing.assert_allclose(ours, expected, atol=1e-6 * np.abs(expected).max())


def test_pls_with_as_many_components_as_features_is_least_squares():
    x, y = _problem(100, 6, 4)
    data, splits = _data(x, y)
    out = PLS(n_components=25).fit_predict(data)
    assert out.info["n_components"] == [6, 6, 6]
    np.testing.assert_allclose(out.predictions, _per_split(SkLinearRegression, x, y, splits), rtol=1e-8)


def test_pls_with_few_stimuli_uses_fewer_components_instead_of_crashing():
    x, y = _problem(12, 50, 3)
    data, _ = _data(x, y)
    out = PLS(n_components=25).fit_predict(data)
    assert out.info["n_components"] == [9, 9, 9]  # 10 train stimuli centred have rank 9
    assert np.isfinite(out.predictions).all()


def test_pls_stops_when_features_are_exhausted():
    x, y = _problem(100, 4, 3)
    x = np.hstack([x, x, 2 * x])  # 12 columns, rank 4
    out = PLS(n_components=25).fit_predict(_data(x, y)[0])
    assert out.info["n_components"] == [4, 4, 4]


@pytest.mark.parametrize("n,f", [(100, 20), (60, 150)])  # covariance and Gram paths
def test_ridge_matches_scikit_learn(n, f):
    x, y = _problem(n, f, 7)
    data, splits = _data(x, y)
    expected = _per_split(lambda: SkRidge(alpha=1.0), x, y, splits)
    np.testing.assert_allclose(Ridge(1.0).fit_predict(data).predictions, expected, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("n,f", [(100, 20), (60, 150)])
def test_linear_matches_scikit_learn_minimum_norm_least_squares(n, f):
    x, y = _problem(n, f, 4)
    data, splits = _data(x, y)
    expected = _per_split(SkLinearRegression, x, y, splits)
    np.testing.assert_allclose(LinearRegression().fit_predict(data).predictions, expected, rtol=1e-6, atol=1e-6)


def test_linear_recovers_an_exact_linear_map():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(80, 10))
    y = x @ rng.normal(size=(10, 3)) + 4.0
    data, splits = _data(x, y)
    expected = np.stack([y[s.test] for s in splits])
    np.testing.assert_allclose(LinearRegression().fit_predict(data).predictions, expected, rtol=1e-10)


def _ill_conditioned(n, f, t, seed=0):
    """Features whose scales span nine decades: the shrinkage grid is then far from low rank."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, f)) * np.logspace(-6, 3, f) + 2.0
    y = x[:, -5:] @ rng.normal(size=(5, t)) + rng.normal(size=(n, t))
    return x, y


@pytest.mark.parametrize(
    "n,f,conditioning", [(100, 20, "plain"), (60, 150, "plain"), (100, 20, "ill"), (60, 150, "ill")]
)
def test_ridgecv_chooses_scikit_learns_alpha_and_predictions(n, f, conditioning):
    x, y = _problem(n, f, 5) if conditioning == "plain" else _ill_conditioned(n, f, 5)
    data, splits = _data(x, y)
    out = RidgeCV().fit_predict(data)
    for s, split in enumerate(splits):
        model = SkRidgeCV(alphas=BRAINSCORE_RIDGECV_ALPHAS).fit(x[split.train], y[split.train])
        assert out.info["alpha"][s] == model.alpha_
        np.testing.assert_allclose(out.predictions[s], model.predict(x[split.test]), rtol=1e-9, atol=1e-9)


def test_ridgecv_alpha_per_target_matches_scikit_learn():
    x, y = _problem(70, 90, 4, seed=2)
    y[:, 1] = x[:, 0] + 0.01 * np.random.default_rng(1).normal(size=70)  # wants little shrinkage
    data, splits = _data(x, y)
    alphas = np.array([0.01, 1.0, 100.0, 1e4])
    out = RidgeCV(alphas=alphas, alpha_per_target=True).fit_predict(data)
    for s, split in enumerate(splits):
        model = SkRidgeCV(alphas=alphas, alpha_per_target=True).fit(x[split.train], y[split.train])
        np.testing.assert_array_equal(out.info["alpha"][s], model.alpha_)
        np.testing.assert_allclose(out.predictions[s], model.predict(x[split.test]), rtol=1e-9, atol=1e-9)
    assert len(set(np.ravel(out.info["alpha"]))) > 1


def test_ridgecv_ties_go_to_the_first_alpha():
    x, _ = _problem(50, 8, 1)
    y = np.full((50, 2), 3.0)  # every alpha predicts the train mean exactly: all scores tie at 0
    out = RidgeCV(alphas=[5.0, 1.0, 3.0]).fit_predict(_data(x, y)[0])
    assert out.info["alpha"] == [5.0, 5.0, 5.0]
    assert SkRidgeCV(alphas=[5.0, 1.0, 3.0]).fit(x, y).alpha_ == 5.0


@pytest.mark.parametrize("per_target", [False, True])
@pytest.mark.parametrize("n,f,conditioning", [(120, 30, "plain"), (80, 200, "plain"), (80, 200, "ill")])
def test_ridgecv_low_rank_scan_bounds_hold_and_keep_the_exact_optimum(n, f, conditioning, per_target):
    """The scan's losses stay within their bounds of the exact ones, and the exact best alpha survives pruning."""
    x, y = _problem(n, f, 6, seed=3) if conditioning == "plain" else _ill_conditioned(n, f, 6, seed=3)
    factors = _factorise(_data(x, y)[0], 0)
    alphas = BRAINSCORE_RIDGECV_ALPHAS
    exact = _leave_one_out_losses(factors, alphas)
    approximate, bound = _low_rank_losses(factors, alphas, per_target)
    if not per_target:
        exact = exact.mean(axis=1, keepdims=True)
    assert np.all(np.abs(approximate - exact) <= bound * exact)
    kept = _plausible_minima(approximate, bound)
    assert set(np.argmin(exact, axis=0)) <= set(kept)
    assert len(kept) < len(alphas) // 4  # the scan prunes: most alphas are never computed exactly


def test_ridgecv_pruning_keeps_every_alpha_it_cannot_rule_out():
    losses = np.array([[1.0], [1.1], [np.nan], [5.0], [2.0]])
    bound = np.array([[1e-3], [0.2], [1e-3], [1e-3], [1.5]])  # row 1 may reach 0.92, row 4 is unbounded
    assert list(_plausible_minima(losses, bound)) == [0, 1, 2, 4]


def test_brainscore_alpha_grid():
    grid = BRAINSCORE_RIDGECV_ALPHAS
    assert len(grid) == 99
    assert list(grid[:6]) == [0.01, 0.1, 0.5, 1.0, 10.0, 32.5]
    assert grid[-1] == 1e7 and grid[-2] == pytest.approx(1e7 - 5e5)
    assert np.all(np.diff(grid) > 0)


def test_neuron_to_neuron_picks_the_best_train_correlated_unit():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(100, 12))
    y = np.stack([x[:, 3] * 2 + 1, -x[:, 7] + 0.5 * rng.normal(size=100), rng.normal(size=100)], axis=1)
    data, splits = _data(x, y)
    out = NeuronToNeuron().fit_predict(data)
    for s, split in enumerate(splits):
        r = np.array([[np.corrcoef(x[split.train, i], y[split.train, j])[0, 1] for j in range(3)] for i in range(12)])
        np.testing.assert_array_equal(out.info["source_unit"][s], np.argmax(r, axis=0))
        np.testing.assert_allclose(out.predictions[s], x[split.test][:, np.argmax(r, axis=0)], rtol=1e-12)
    assert all(units[0] == 3 for units in out.info["source_unit"])


def test_neuron_to_neuron_ties_go_to_the_first_unit_and_constant_units_are_skipped():
    rng = np.random.default_rng(7)
    base = rng.normal(size=(60, 1))
    x = np.hstack([np.ones((60, 1)), base, base, rng.normal(size=(60, 1))])
    y = base * 3
    out = NeuronToNeuron().fit_predict(_data(x, y)[0])
    assert out.info["source_unit"] == [[1], [1], [1]]


def test_non_positive_alphas_are_refused():
    with pytest.raises(ValueError, match="alpha > 0"):
        Ridge(alpha=0.0)
    x, y = _problem(30, 4, 2)
    with pytest.raises(ValueError, match="positive alphas"):
        RidgeCV(alphas=[1.0, -1.0]).fit_predict(_data(x, y)[0])


def test_regression_package_keeps_its_public_names_and_the_scan_in_its_own_module():
    import brainscore_core.metrics.regression as regression
    from brainscore_core.metrics.regression import _ridge, _ridgecv_scan

    assert regression.__all__ == [
        "BRAINSCORE_RIDGECV_ALPHAS",
        "PLS",
        "CrossValidatedPrediction",
        "LinearRegression",
        "NeuronToNeuron",
        "Regression",
        "Ridge",
        "RidgeCV",
        "SplitData",
    ]
    assert all(hasattr(regression, name) for name in regression.__all__)
    assert _ridge._best_alphas is _ridgecv_scan._best_alphas
    assert RidgeCV.__module__ == "brainscore_core.metrics.regression._ridge"
