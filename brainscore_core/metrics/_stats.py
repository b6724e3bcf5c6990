"""Shared numerical helpers for metrics and ceilings: column-wise correlations, Spearman-Brown, aggregation.

All functions work on numpy arrays. Correlations run along the second-to-last axis ("rows are observations,
columns are variables"), so a 2-D ``(n, k)`` pair gives ``k`` values and leading axes batch (e.g. splits).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np

__all__ = [
    "mean_and_error",
    "median_ignoring_nan",
    "nan_pearson_columns",
    "pearson_columns",
    "spearman_brown",
    "standard_error",
]


def _constant_columns(values: np.ndarray) -> np.ndarray:
    """True where a column (along axis -2) has a single value, i.e. where Pearson r is undefined."""
    return np.max(values, axis=-2) == np.min(values, axis=-2)


def pearson_columns(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson r between matching columns of ``x`` and ``y`` (shape ``(..., n, k)`` each) along axis -2.

    Returns shape ``(..., k)``. A constant column (on either side) gives NaN, never a warning.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape:
        raise ValueError(f"pearson_columns needs equal shapes, got {x.shape} and {y.shape}.")
    if x.ndim < 2:
        raise ValueError(f"pearson_columns needs arrays of shape (..., n, k), got shape {x.shape}.")
    x_centred = x - x.mean(axis=-2, keepdims=True)
    y_centred = y - y.mean(axis=-2, keepdims=True)
    covariance = np.einsum("...nk,...nk->...k", x_centred, y_centred)
    norms = np.sqrt(np.einsum("...nk,...nk->...k", x_centred, x_centred)) * np.sqrt(
        np.einsum("...nk,...nk->...k", y_centred, y_centred)
    )
    undefined = _constant_columns(x) | _constant_columns(y) | (norms == 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = covariance / np.where(undefined, 1.0, norms)
    r = np.clip(r, -1.0, 1.0)
    return np.where(undefined, np.nan, r)


def nan_pearson_columns(x: np.ndarray, y: np.ndarray, *, min_pairs: int = 2) -> np.ndarray:
    """Like :func:`pearson_columns`, but each column uses only the rows where both ``x`` and ``y`` are finite.

    Columns with fewer than ``min_pairs`` complete rows, or constant over their complete rows, give NaN.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape:
        raise ValueError(f"nan_pearson_columns needs equal shapes, got {x.shape} and {y.shape}.")
    if x.ndim < 2:
        raise ValueError(f"nan_pearson_columns needs arrays of shape (..., n, k), got shape {x.shape}.")
    valid = np.isfinite(x) & np.isfinite(y)
    count = valid.sum(axis=-2)
    x_valid = np.where(valid, x, 0.0)
    y_valid = np.where(valid, y, 0.0)
    safe_count = np.maximum(count, 1)[..., np.newaxis, :]
    x_centred = np.where(valid, x_valid - x_valid.sum(axis=-2, keepdims=True) / safe_count, 0.0)
    y_centred = np.where(valid, y_valid - y_valid.sum(axis=-2, keepdims=True) / safe_count, 0.0)
    covariance = np.einsum("...nk,...nk->...k", x_centred, y_centred)
    norms = np.sqrt(np.einsum("...nk,...nk->...k", x_centred, x_centred)) * np.sqrt(
        np.einsum("...nk,...nk->...k", y_centred, y_centred)
    )
    x_constant = np.max(np.where(valid, x, -np.inf), axis=-2) == np.min(np.where(valid, x, np.inf), axis=-2)
    y_constant = np.max(np.where(valid, y, -np.inf), axis=-2) == np.min(np.where(valid, y, np.inf), axis=-2)
    undefined = (count < max(min_pairs, 2)) | x_constant | y_constant | (norms == 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = covariance / np.where(undefined, 1.0, norms)
    r = np.clip(r, -1.0, 1.0)
    return np.where(undefined, np.nan, r)


def spearman_brown(r: np.ndarray | float, factor: float = 2.0) -> np.ndarray:
    """Spearman-Brown prediction ``factor * r / (1 + (factor - 1) * r)`` (``2r / (1 + r)`` for split halves)."""
    r = np.asarray(r, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return factor * r / (1.0 + (factor - 1.0) * r)


def standard_error(values: np.ndarray | Sequence[float], *, min_count: int = 2) -> float:
    """Brain-Score's error over splits or subjects: ``std(ddof=0) / sqrt(n)`` of all ``values``.

    NaN for fewer than ``min_count`` values (the default 2: one value has no spread to measure).
    """
    values = np.asarray(values, dtype=float).ravel()
    if values.size < max(min_count, 1):
        return math.nan
    return float(values.std(ddof=0) / np.sqrt(values.size))


def mean_and_error(values: np.ndarray) -> tuple[float, float]:
    """Mean over the first axis and its :func:`standard_error` (0.0, not NaN, for a single value)."""
    values = np.asarray(values, dtype=float).ravel()
    if values.size == 0:
        return float("nan"), float("nan")
    return float(values.mean()), standard_error(values, min_count=1)


def median_ignoring_nan(values: np.ndarray, *, axis: int = -1, what: str = "values") -> np.ndarray:
    """Median along ``axis`` leaving NaN out; warns (once per call) naming ``what`` when NaNs were left out.

    An all-NaN slice gives NaN without numpy's RuntimeWarning.
    """
    values = np.asarray(values, dtype=float)
    missing = np.isnan(values)
    if missing.any():
        count = int(missing.any(axis=tuple(i for i in range(values.ndim) if i != axis % values.ndim)).sum())
        warnings.warn(
            f"{count} of {values.shape[axis]} {what} gave NaN (e.g. a constant unit, whose Pearson r is "
            "undefined) and were left out of the median.",
            RuntimeWarning,
            stacklevel=2,
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(values, axis=axis)
