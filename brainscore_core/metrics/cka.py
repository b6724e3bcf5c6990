"""Linear centred kernel alignment (CKA; Kornblith et al. 2019) between model and neural responses.

- ``cka``: the unbiased estimator (Song et al. 2012 HSIC on the uncentred Gram matrices ``K = X X^T``,
  ``L = Y Y^T`` with zeroed diagonals); ``CKA = HSIC(K, L) / (sqrt(HSIC(K, K) HSIC(L, L)) + 1e-12)``, and 0
  when ``HSIC(K, K) HSIC(L, L) <= 0``.
- ``cka_biased``: the biased estimator, ``HSIC = sum(HKH o HLH)`` with ``H = I - 11^T / n``.

Both equal Brain-Score 2.4's ``cka`` and ``cka_biased`` to rounding (``benchmarks/crosscheck_brainscore.py``).
- ``cka_cv``: ``cka`` on the test stimuli of each of Brain-Score's test-only splits (as ``rdm_cv``).

Rows (stimuli) are matched by ``stimulus_id``. Gram matrices are computed once; a split's Gram matrices are
sub-matrices of them, so cross-validation costs one ``n x n`` product per assembly.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..errors import MetricInputError
from ..score import Score
from ._base import Metric
from ._checks import SOURCE, TARGET
from ._crossval import TestOnlyCrossValidated
from ._inputs import matched_stimulus_order, two_dim_responses

__all__ = ["CKACrossValidated", "CKAMetric", "biased_hsic", "cka_from_grams", "gram", "linear_cka", "unbiased_hsic"]

_EPSILON = 1e-12


def gram(features: np.ndarray) -> np.ndarray:
    """The linear kernel ``X X^T`` of ``(stimuli, features)``."""
    features = np.asarray(features, dtype=float)
    return features @ features.T


def _zero_diagonal(K: np.ndarray) -> np.ndarray:
    K = np.array(K, dtype=float, copy=True)
    np.fill_diagonal(K, 0.0)
    return K


def _hsic_of_hollow(K: np.ndarray, L: np.ndarray) -> float:
    """Song et al.'s estimator for Gram matrices whose diagonals are already zero."""
    n = K.shape[0]
    trace_kl = np.vdot(K, L)
    sums = K.sum() * L.sum() / ((n - 1) * (n - 2))
    cross = 2.0 * (K.sum(axis=0) @ L.sum(axis=0)) / (n - 2)
    return float((trace_kl + sums - cross) / (n * (n - 3)))


def _check_unbiased_size(n: int) -> None:
    if n < 4:
        raise MetricInputError(f"The unbiased CKA estimator needs at least 4 stimuli, got {n}.")


def unbiased_hsic(K: np.ndarray, L: np.ndarray) -> float:
    """Song et al.'s unbiased HSIC of two ``(n, n)`` Gram matrices (diagonals are ignored); needs ``n >= 4``."""
    _check_unbiased_size(K.shape[0])
    return _hsic_of_hollow(_zero_diagonal(K), _zero_diagonal(L))


def _centre(K: np.ndarray) -> np.ndarray:
    """``H K H`` with ``H = I - 11^T / n``."""
    return K - K.mean(axis=0, keepdims=True) - K.mean(axis=1, keepdims=True) + K.mean()


def biased_hsic(K: np.ndarray, L: np.ndarray) -> float:
    """The biased HSIC ``sum(HKH o HLH)`` (no ``1/(n-1)^2`` factor; it cancels in CKA)."""
    return float(np.vdot(_centre(K), _centre(L)))


def cka_from_grams(K: np.ndarray, L: np.ndarray, *, unbiased: bool = True) -> float:
    """Linear CKA from two Gram matrices over the same stimuli."""
    if unbiased:
        _check_unbiased_size(K.shape[0])
        K, L = _zero_diagonal(K), _zero_diagonal(L)
        kl, kk, ll = _hsic_of_hollow(K, L), _hsic_of_hollow(K, K), _hsic_of_hollow(L, L)
        product = kk * ll
        return 0.0 if product <= 0 else float(kl / (np.sqrt(product) + _EPSILON))
    K, L = _centre(K), _centre(L)
    kl, kk, ll = np.vdot(K, L), np.vdot(K, K), np.vdot(L, L)
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(kl / np.sqrt(kk * ll))


def linear_cka(X: np.ndarray, Y: np.ndarray, *, unbiased: bool = True) -> float:
    """Linear CKA between ``(stimuli, features)`` matrices with rows in the same stimulus order."""
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    if X.shape[0] != Y.shape[0]:
        raise MetricInputError(f"CKA needs the same stimuli on both sides, got {X.shape[0]} and {Y.shape[0]} rows.")
    return cka_from_grams(gram(X), gram(Y), unbiased=unbiased)


def _aligned_grams(
    source: xr.DataArray, target: xr.DataArray, *, sort: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gram matrices of source and target over the target's stimuli sorted by id (as given with ``sort=False``),
    and the target order."""
    source, target = two_dim_responses(source, SOURCE), two_dim_responses(target, TARGET)
    source_order, target_order = matched_stimulus_order(
        np.asarray(source["stimulus_id"].values), np.asarray(target["stimulus_id"].values), sort=sort
    )
    K = gram(np.asarray(source.values, dtype=float)[source_order])
    L = gram(np.asarray(target.values, dtype=float)[target_order])
    return K, L, target_order


class CKAMetric(Metric):
    """``cka`` (unbiased, default) / ``cka_biased``: linear CKA between source and target responses."""

    identifier = "cka"
    higher_is_better = True
    valid_range = (-1.0, 1.0)

    def __init__(self, *, unbiased: bool = True) -> None:
        self.unbiased = unbiased
        self.identifier = "cka" if unbiased else "cka_biased"
        self.valid_range = (-1.0, 1.0) if unbiased else (0.0, 1.0)  # the biased estimator is never negative

    def __call__(self, source: xr.DataArray, target: xr.DataArray) -> Score:
        K, L, order = _aligned_grams(source, target)
        value = cka_from_grams(K, L, unbiased=self.unbiased)
        return Score(value=value, attrs={"estimator": self._estimator, "n_stimuli": len(order)})

    @property
    def _estimator(self) -> str:
        return "unbiased (Song et al. 2012)" if self.unbiased else "biased (HSIC = sum(HKH o HLH))"


class CKACrossValidated(TestOnlyCrossValidated, CKAMetric):
    """``cka_cv``: CKA on the test stimuli of each split of ``StratifiedShuffleSplit(test_size=0.9)``.

    Splits as ``rdm_cv`` (stratified by ``object_name`` when the target has it, ``random_state=1``); aggregate =
    mean over splits, error = std (ddof 0) / sqrt(n_splits); per-split values in ``details['split']``.
    ``split_order``: see :func:`brainscore_core.metrics._crossval.checked_split_order`.
    """

    identifier = "cka_cv"

    def __init__(
        self,
        *,
        unbiased: bool = True,
        n_splits: int = 10,
        test_size: float = 0.9,
        random_state: int = 1,
        stratification_coord: str | None = "object_name",
        split_order: str = "stimulus_id",
    ) -> None:
        CKAMetric.__init__(self, unbiased=unbiased)
        self.identifier = "cka_cv" if unbiased else "cka_biased_cv"
        TestOnlyCrossValidated.__init__(
            self,
            n_splits=n_splits,
            test_size=test_size,
            random_state=random_state,
            stratification_coord=stratification_coord,
            split_order=split_order,
        )

    def __call__(self, source: xr.DataArray, target: xr.DataArray) -> Score:
        K, L, order = _aligned_grams(source, target, sort=self._sorted_by_id)

        def compare(test: np.ndarray) -> float:
            block = np.ix_(test, test)
            return cka_from_grams(K[block], L[block], unbiased=self.unbiased)

        return self._cross_validate(compare, target, order, estimator=self._estimator)
