"""The ridge family: :class:`Ridge` (fixed alpha), :class:`LinearRegression` and :class:`RidgeCV`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.linalg import cho_factor, cho_solve

from ._blas import _SMALL_FACTORISATION, _single_blas_thread
from ._data import BRAINSCORE_RIDGECV_ALPHAS, CrossValidatedPrediction, Regression, SplitData
from ._factorisation import _centred_covariance, _centred_gram, _factorise, _ridge_predict, _uses_gram
from ._ridgecv_scan import _best_alphas

__all__ = ["LinearRegression", "Ridge", "RidgeCV"]


@dataclass
class Ridge(Regression):
    """Ridge regression with intercept, ``alpha`` fixed (scikit-learn ``Ridge(alpha)``)."""

    alpha: float = 1.0

    def __post_init__(self) -> None:
        if not self.alpha > 0:
            raise ValueError(f"Ridge needs alpha > 0, got {self.alpha}; use LinearRegression for alpha = 0.")

    def fit_predict(self, data: SplitData) -> CrossValidatedPrediction:
        predictions = np.stack([self._predict_split(data, s) for s in range(data.n_splits)])
        return CrossValidatedPrediction(predictions, {"alpha": self.alpha})

    def _predict_split(self, data: SplitData, split: int) -> np.ndarray:
        """One Cholesky solve: dual (Gram) when n_train <= n_features, primal (covariance) otherwise."""
        if _uses_gram(data):
            centred_train, centred_test = _centred_gram(data, split)
            centred_train[np.diag_indices_from(centred_train)] += self.alpha
            targets = data.y[data.train[split]] - data.y_train_mean[split]
            with _single_blas_thread(len(centred_train) <= _SMALL_FACTORISATION):
                dual = cho_solve(cho_factor(centred_train, overwrite_a=True), targets)
            prediction = centred_test @ dual
        else:
            covariance = _centred_covariance(data, split)
            covariance[np.diag_indices_from(covariance)] += self.alpha
            cross = data.train_cross_covariance(split)
            with _single_blas_thread(len(covariance) <= _SMALL_FACTORISATION):
                coefficients = cho_solve(cho_factor(covariance, overwrite_a=True), cross)
            prediction = (data.x[data.test[split]] - data.x_train_mean[split]) @ coefficients
        return prediction + data.y_prediction_offset(split)


@dataclass
class LinearRegression(Regression):
    """Ordinary least squares with intercept; the minimum-norm solution when underdetermined.

    Directions of the centred train features with eigenvalue below ``max(n, f) * eps`` times the largest
    count as null (as ``lstsq``'s cut-off, applied to squared singular values).
    """

    def fit_predict(self, data: SplitData) -> CrossValidatedPrediction:
        predictions = np.stack(
            [_ridge_predict(_factorise(data, s), 0.0) + data.y_prediction_offset(s) for s in range(data.n_splits)]
        )
        return CrossValidatedPrediction(predictions, {})


@dataclass
class RidgeCV(Regression):
    """Ridge with alpha chosen per split by efficient leave-one-out on the train rows (scikit-learn ``RidgeCV``).

    One alpha for all targets (the mean squared error over rows and targets decides), or one per target with
    ``alpha_per_target``. Ties go to the first alpha in ``alphas``, as in scikit-learn.
    ``info["alpha"]`` holds the chosen alphas, ``(split,)`` or ``(split, target)``.
    """

    alphas: Sequence[float] | np.ndarray = field(default_factory=lambda: BRAINSCORE_RIDGECV_ALPHAS.copy())
    alpha_per_target: bool = False

    def fit_predict(self, data: SplitData) -> CrossValidatedPrediction:
        alphas = np.asarray(self.alphas, dtype=float).ravel()
        if alphas.size == 0 or not np.all(alphas > 0):
            raise ValueError(f"RidgeCV needs a non-empty grid of positive alphas, got {self.alphas!r}.")
        per_target = self.alpha_per_target and data.n_targets > 1
        fits = [self._fit_split(data, s, alphas, per_target) for s in range(data.n_splits)]
        predictions, chosen = zip(*fits, strict=True)
        return CrossValidatedPrediction(np.stack(predictions), {"alpha": np.asarray(chosen).tolist()})

    def _fit_split(
        self, data: SplitData, split: int, alphas: np.ndarray, per_target: bool
    ) -> tuple[np.ndarray, float | np.ndarray]:
        """Test predictions and chosen alpha(s) of one split (its factorisation is freed on return)."""
        factors = _factorise(data, split)
        with _single_blas_thread(factors.left.size <= _SMALL_FACTORISATION**2):
            scanned = _best_alphas(factors, alphas, per_target)
        best: float | np.ndarray = scanned
        if not per_target:
            best = np.full(data.n_targets, scanned[0]) if self.alpha_per_target else float(scanned[0])
        return _ridge_predict(factors, best) + data.y_prediction_offset(split), best
