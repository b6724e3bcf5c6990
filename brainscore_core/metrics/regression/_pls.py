"""PLS2 regression (NIPALS, as scikit-learn's ``PLSRegression(scale=False)``), batched over splits."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse.linalg import ArpackNoConvergence, eigsh

from ._blas import _single_blas_thread
from ._data import CrossValidatedPrediction, Regression, SplitData

__all__ = ["PLS"]


def _top_eigenvector(matrix: np.ndarray, start: np.ndarray) -> tuple[np.ndarray, float]:
    """Dominant eigenpair of the symmetric PSD ``matrix``: Lanczos (ARPACK), dense ``eigh`` when small.

    ``start`` is a fixed starting vector, so the result is deterministic. (Beyond ~128 rows dense ``eigh`` is
    slower than Lanczos for one eigenpair: ~5x at 256 rows.)
    """
    if matrix.shape[0] > 128:
        try:
            values, vectors = eigsh(matrix, k=1, which="LA", tol=1e-15, v0=start)
            return vectors[:, 0], float(values[0])
        except ArpackNoConvergence:
            pass  # fall back to the dense solver
    values, vectors = np.linalg.eigh(matrix)
    return vectors[:, -1], float(values[-1])


class _PLSPath:
    """One split's PLS components, built one at a time from its train cross-covariance ``C_0 = X_0^T Y_0``.

    The deflated cross-covariance ``C_k = C_0 - P_{<k} A_{<k}^T`` (``A = Y_0^T T``) is never formed; its small
    Gram matrix (``C_k^T C_k`` or ``C_k C_k^T``, whichever is smaller) is kept up to date by rank-2 updates.
    """

    def __init__(self, cross: np.ndarray, n_rows: int, n_components: int) -> None:
        n_features, n_targets = cross.shape
        self.cross = cross
        self.target_side = n_targets <= n_features
        self.gram = cross.T @ cross if self.target_side else cross @ cross.T
        self.start = np.random.default_rng(0).standard_normal(self.gram.shape[0])
        self.weights = np.zeros((n_features, n_components))
        self.loadings = np.zeros((n_features, n_components))
        self.y_products = np.zeros((n_targets, n_components))  # A = Y_0^T t per component
        self.scores = np.zeros((n_rows, n_components))
        self.score_sizes = np.zeros(n_components)
        self.size = 0  # components accepted so far

    def _deflated(self, vector: np.ndarray) -> np.ndarray:
        """``C_k @ vector``."""
        k = self.size
        return self.cross @ vector - self.loadings[:, :k] @ (self.y_products[:, :k].T @ vector)

    def _deflated_transposed(self, vector: np.ndarray) -> np.ndarray:
        """``C_k^T @ vector``."""
        k = self.size
        return self.cross.T @ vector - self.y_products[:, :k] @ (self.loadings[:, :k].T @ vector)

    def next_weight(self) -> np.ndarray | None:
        """The unit weight vector of the next component (dominant left singular vector of ``C_k``), or None."""
        vector, value = _top_eigenvector(self.gram, self.start)
        if value <= 0:
            return None
        w = self._deflated(vector) if self.target_side else vector
        norm = np.linalg.norm(w)
        if norm == 0 or not np.isfinite(norm):
            return None
        w /= norm
        return w * np.sign(w[np.argmax(np.abs(w))])  # scikit-learn's sign convention

    def deflate_score(self, x0_w: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Score ``t = X_k w = X_0 w - T_{<k} P_{<k}^T w``, re-orthogonalised against the earlier scores."""
        k = self.size
        previous = self.scores[:, :k]
        t = x0_w - previous @ (self.loadings[:, :k].T @ w)
        if k:
            t -= previous @ ((previous.T @ t) / self.score_sizes[:k])
        return t

    def add(self, w: np.ndarray, t: np.ndarray, x0_t: np.ndarray, y0_t: np.ndarray) -> None:
        """Accept a component given ``X_0^T t`` and ``Y_0^T t``; update the small Gram matrix."""
        k, size = self.size, t @ t
        p, a = x0_t / size, y0_t
        if self.target_side:
            ctp = self._deflated_transposed(p)
            self.gram -= np.outer(ctp, a) + np.outer(a, ctp) - (p @ p) * np.outer(a, a)
        else:
            ca = self._deflated(a)
            self.gram -= np.outer(ca, p) + np.outer(p, ca) - (a @ a) * np.outer(p, p)
        self.weights[:, k], self.loadings[:, k], self.y_products[:, k] = w, p, a
        self.scores[:, k], self.score_sizes[k] = t, size
        self.size += 1

    def coefficients(self) -> np.ndarray:
        """``W (P^T W)^+ Q^T`` with ``Q = A / (t.t)``: maps centred features to centred targets."""
        k = self.size
        w, p = self.weights[:, :k], self.loadings[:, :k]
        q = self.y_products[:, :k] / self.score_sizes[:k]
        return w @ np.linalg.pinv(p.T @ w) @ q.T


@dataclass
class PLS(Regression):
    """PLS2 regression with ``n_components`` (scikit-learn ``PLSRegression(scale=False)`` at convergence).

    Uses ``min(n_components, n_features, n_train - 1)`` components, fewer when the train features are
    exhausted (rank-deficient); ``info["n_components"]`` lists the number used per split. All splits advance
    together so that each component reads the feature matrix twice in total, not twice per split.
    """

    n_components: int = 25

    def fit_predict(self, data: SplitData) -> CrossValidatedPrediction:
        n_splits, n_rows = data.n_splits, len(data.x)
        max_components = max(min(self.n_components, data.n_features, data.n_train - 1), 0)
        paths = [_PLSPath(data.train_cross_covariance(s), data.n_train, max_components) for s in range(n_splits)]
        x_norms = self._train_norms(data)
        active = np.ones(n_splits, dtype=bool)
        for _ in range(max_components):
            weights = np.zeros((data.n_features, n_splits))
            with _single_blas_thread():  # small eigenproblems and matrix-vector products
                for s in np.flatnonzero(active):
                    w = paths[s].next_weight()
                    if w is None:
                        active[s] = False
                    else:
                        weights[:, s] = w
            x_weights = data.x @ weights  # (n, S): one pass over X for all splits
            padded_scores = np.zeros((n_rows, n_splits))
            for s in np.flatnonzero(active):
                w = weights[:, s]
                t = paths[s].deflate_score(x_weights[data.train[s], s] - data.x_train_mean[s] @ w, w)
                if t @ t <= (1e-9 * x_norms[s]) ** 2:  # the train features are exhausted
                    active[s] = False
                else:
                    padded_scores[data.train[s], s] = t
            if not active.any():
                break
            x_products, y_products = data.x.T @ padded_scores, data.y.T @ padded_scores
            with _single_blas_thread():
                for s in np.flatnonzero(active):
                    t = padded_scores[data.train[s], s]
                    total = t.sum()  # ~0: scores are train-centred
                    paths[s].add(
                        weights[:, s],
                        t,
                        x_products[:, s] - data.x_train_mean[s] * total,
                        y_products[:, s] - data.y_train_mean[s] * total,
                    )
        predictions = np.empty((n_splits, data.test.shape[1], data.n_targets))
        for split, path in enumerate(paths):
            predictions[split] = data.y_prediction_offset(split)
            if path.size:
                with _single_blas_thread():
                    coefficients = path.coefficients()
                predictions[split] += (data.x[data.test[split]] - data.x_train_mean[split]) @ coefficients
        used = [path.size for path in paths]
        info = {"n_components": used, "n_components_requested": self.n_components}
        return CrossValidatedPrediction(predictions, info)

    @staticmethod
    def _train_norms(data: SplitData) -> np.ndarray:
        """Frobenius norm of each split's centred train features."""
        total = np.einsum("ij,ij->", data.x, data.x)
        squares = [
            total - np.sum(data.x[test] ** 2) - data.n_train * mean @ mean
            for test, mean in zip(data.test, data.x_train_mean, strict=True)
        ]
        return np.sqrt(np.maximum(squares, 0.0))
