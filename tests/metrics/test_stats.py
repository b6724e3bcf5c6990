"""Shared numerical helpers: correlations against numpy, Spearman-Brown, split aggregation."""

import math
import warnings

import numpy as np
import pytest

from brainscore_core.metrics._stats import (
    mean_and_error,
    median_ignoring_nan,
    nan_pearson_columns,
    pearson_columns,
    spearman_brown,
    standard_error,
)


@pytest.fixture
def pair():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(30, 5))
    y = 0.5 * x + rng.normal(size=(30, 5))
    return x, y


def test_pearson_columns_equals_numpy_corrcoef(pair):
    x, y = pair
    expected = [np.corrcoef(x[:, i], y[:, i])[0, 1] for i in range(x.shape[1])]
    np.testing.assert_allclose(pearson_columns(x, y), expected, rtol=1e-12)


def test_pearson_columns_batches_over_leading_axes(pair):
    x, y = pair
    batched = pearson_columns(np.stack([x, y]), np.stack([y, x]))
    np.testing.assert_allclose(batched[0], pearson_columns(x, y))
    np.testing.assert_allclose(batched[1], pearson_columns(x, y))


def test_pearson_is_invariant_to_affine_maps_and_self_is_one(pair):
    x, y = pair
    np.testing.assert_allclose(pearson_columns(3 * x + 7, y), pearson_columns(x, y), rtol=1e-12)
    np.testing.assert_allclose(pearson_columns(x, -y), -pearson_columns(x, y), rtol=1e-12)
    np.testing.assert_allclose(pearson_columns(x, x), 1.0)


def test_constant_column_gives_nan_without_warning(pair):
    x, y = pair
    y = y.copy()
    y[:, 2] = 0.1  # floating-point mean of a constant column is not exactly 0.1 after centring
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = pearson_columns(x, y)
    assert np.isnan(r[2]) and np.isfinite(r[[0, 1, 3, 4]]).all()


def test_pearson_columns_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="equal shapes"):
        pearson_columns(np.zeros((3, 2)), np.zeros((3, 3)))


def test_nan_pearson_uses_complete_rows_only(pair):
    x, y = pair
    x, y = x.copy(), y.copy()
    x[[1, 4], 0] = np.nan
    y[7, 0] = np.nan
    keep = np.setdiff1d(np.arange(30), [1, 4, 7])
    r = nan_pearson_columns(x, y)
    assert r[0] == pytest.approx(np.corrcoef(x[keep, 0], y[keep, 0])[0, 1], rel=1e-12)
    np.testing.assert_allclose(r[1:], pearson_columns(x[:, 1:], y[:, 1:]), rtol=1e-12)


def test_nan_pearson_needs_enough_pairs():
    x = np.array([[1.0], [2.0], [np.nan], [np.nan]])
    y = np.array([[2.0], [1.0], [3.0], [4.0]])
    assert nan_pearson_columns(x, y)[0] == pytest.approx(-1.0)
    assert np.isnan(nan_pearson_columns(x, y, min_pairs=3)[0])


def test_spearman_brown_known_values():
    np.testing.assert_allclose(spearman_brown([0.0, 0.5, 1.0, -0.2]), [0.0, 2 / 3, 1.0, -0.4 / 0.8])
    assert spearman_brown(0.5, factor=3) == pytest.approx(1.5 / 2.0)


def test_mean_and_error_is_mean_and_population_std_over_sqrt_n():
    values = np.array([0.2, 0.4, 0.9, 0.5])
    mean, error = mean_and_error(values)
    assert mean == pytest.approx(values.mean())
    assert error == pytest.approx(np.std(values, ddof=0) / 2.0)


def test_standard_error_is_population_std_over_sqrt_n_and_nan_below_two_values():
    values = [0.2, 0.4, 0.9, 0.5]
    assert standard_error(values) == np.std(values, ddof=0) / 2.0
    assert standard_error(np.array(values).reshape(2, 2)) == standard_error(values)  # all values, any shape
    assert math.isnan(standard_error([0.3]))
    assert math.isnan(standard_error([]))
    assert standard_error([0.3], min_count=1) == 0.0
    assert math.isnan(standard_error([], min_count=0))


def test_mean_and_error_of_one_value_has_error_zero_and_of_none_nan():
    assert mean_and_error(np.array([0.7])) == (0.7, 0.0)
    assert all(math.isnan(v) for v in mean_and_error(np.array([])))


def test_metrics_use_the_one_standard_error():
    """rsa, accuracy and the test-only cross-validation compute their errors with stats.standard_error."""
    import inspect

    from brainscore_core.metrics import _crossval, accuracy, rsa

    for module in (_crossval, accuracy, rsa):
        assert module.standard_error is standard_error
        assert "sqrt(len(" not in inspect.getsource(module)


def test_median_ignoring_nan_warns_and_leaves_nan_out():
    values = np.array([[0.1, np.nan, 0.5, 0.3], [0.2, np.nan, 0.4, np.nan]])
    with pytest.warns(RuntimeWarning, match="2 of 4 neuroids"):
        medians = median_ignoring_nan(values, axis=-1, what="neuroids")
    np.testing.assert_allclose(medians, [0.3, 0.3])


def test_median_of_all_nan_is_nan():
    with pytest.warns(RuntimeWarning, match="gave NaN"):
        assert np.isnan(median_ignoring_nan(np.full(3, np.nan)))
