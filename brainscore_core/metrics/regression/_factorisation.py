"""One eigendecomposition per split of the centred train features, shared by the ridge family."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg

from ._blas import _SMALL_FACTORISATION, _single_blas_thread
from ._data import SplitData

__all__: list[str] = []


@dataclass
class _TrainFactorisation:
    """Centred train features ``X_0 = U diag(sqrt(lam)) V^T`` (nonzero part), with test projections.

    ``test_basis = X0_test V diag(sqrt(lam))`` so that the ridge prediction is
    ``test_basis @ diag(1/(lam + alpha)) @ projected_targets`` with ``projected_targets = U^T Y0_train``.
    ``null_basis`` spans the train rows' remaining directions, constant vector included (Gram route only).
    """

    left: np.ndarray  # U (n_train, r)
    eigenvalues: np.ndarray  # lam (r,)
    test_basis: np.ndarray  # (n_test, r)
    projected_targets: np.ndarray  # (r, t)
    centred_targets: np.ndarray  # Y0_train (n_train, t)
    null_basis: np.ndarray | None = None  # (n_train, n_train - r)

    def outside_targets(self) -> np.ndarray:
        """The part of ``Y0_train`` outside the span of ``U``: what no alpha can fit."""
        if self.null_basis is not None:
            return self.null_basis @ (self.null_basis.T @ self.centred_targets)
        return self.centred_targets - self.left @ self.projected_targets

    def null_leverage(self) -> np.ndarray:
        """Per train row, ``1 - 1/n - diag(U U^T)``: the leave-one-out leverage left by an infinite alpha."""
        n_train = len(self.left)
        if self.null_basis is not None:
            return np.einsum("ij,ij->i", self.null_basis, self.null_basis) - 1.0 / n_train
        return 1.0 - 1.0 / n_train - np.einsum("ij,ij->i", self.left, self.left)


def _uses_gram(data: SplitData) -> bool:
    """Work with the ``n_train x n_train`` Gram matrix when it is not larger than the covariance."""
    return data.n_train <= data.n_features


def _centred_gram(data: SplitData, split: int) -> tuple[np.ndarray, np.ndarray]:
    """``(X0_train X0_train^T, X0_test X0_train^T)`` with train-mean centring, from the whole-data Gram."""
    train, test = data.train[split], data.test[split]
    gram = data.gram()
    row_means = (gram.sum(axis=1) - gram[:, test].sum(axis=1)) / data.n_train  # x_i . mean_train(x)
    grand = row_means[train].mean()
    centred_train, centred_test = gram[np.ix_(train, train)], gram[np.ix_(test, train)]
    for centred, rows in ((centred_train, train), (centred_test, test)):
        centred -= row_means[rows][:, None]
        centred -= row_means[train][None, :] - grand
    return centred_train, centred_test


def _centred_covariance(data: SplitData, split: int) -> np.ndarray:
    """``X0_train^T X0_train`` with train-mean centring, from the whole-data covariance."""
    x_test, mean = data.x[data.test[split]], data.x_train_mean[split]
    return data.covariance() - x_test.T @ x_test - data.n_train * np.outer(mean, mean)


def _symmetric_eigh(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ascending eigenpairs of a symmetric matrix, overwriting it (one BLAS thread when small).

    LAPACK's MRRR driver (``evr``) needs O(n) workspace where divide and conquer (``evd``) needs ``2 n^2``
    floats: on the large benchmark case that is 0.6x the inputs' size less peak memory for ~10% more time.
    """
    with _single_blas_thread(len(matrix) <= _SMALL_FACTORISATION):
        # the transpose of a symmetric C-ordered matrix is the same matrix in Fortran order: no copy
        return scipy.linalg.eigh(matrix.T, overwrite_a=True, check_finite=False, driver="evr")


def _columns(matrix: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``matrix[:, keep]``, as a view when ``keep`` is a trailing block (the usual case after ``eigh``)."""
    start = len(keep) - int(keep.sum())
    return matrix[:, start:] if keep[start:].all() else matrix[:, keep]


def _factorise(data: SplitData, split: int) -> _TrainFactorisation:
    """One eigendecomposition: of the centred train Gram (n_train <= n_features) or covariance (otherwise)."""
    train, test = data.train[split], data.test[split]
    y_train = data.y[train] - data.y_train_mean[split]
    cutoff = max(data.n_train, data.n_features) * np.finfo(float).eps
    if _uses_gram(data):
        centred_train, centred_test = _centred_gram(data, split)
        eigenvalues, vectors = _symmetric_eigh(centred_train)
        del centred_train  # overwritten by eigh
        keep = eigenvalues > eigenvalues[-1] * cutoff
        keep[np.argmax(np.abs(vectors.sum(axis=0)))] = False  # the constant vector is null after centring
        left, null_basis = _columns(vectors, keep), vectors[:, ~keep]
        eigenvalues = eigenvalues[keep]
        test_basis = centred_test @ left
    else:
        eigenvalues, vectors = _symmetric_eigh(_centred_covariance(data, split))
        keep = eigenvalues > eigenvalues[-1] * cutoff
        eigenvalues, vectors = eigenvalues[keep], _columns(vectors, keep)
        singular = np.sqrt(eigenvalues)
        mean = data.x_train_mean[split]
        left = ((data.x[train] - mean) @ vectors) / singular
        test_basis = ((data.x[test] - mean) @ vectors) * singular
        null_basis = None
    return _TrainFactorisation(left, eigenvalues, test_basis, left.T @ y_train, y_train, null_basis)


def _ridge_predict(factors: _TrainFactorisation, alpha: float | np.ndarray) -> np.ndarray:
    """Centred test predictions for ``alpha`` (a scalar or one value per target)."""
    shrink = 1.0 / (factors.eigenvalues[:, None] + np.atleast_1d(alpha)[None, :])
    return factors.test_basis @ (shrink * factors.projected_targets)
