"""RidgeCV's alpha scan: exact leave-one-out losses, and the low-rank scan with rigorous error bounds that
leaves only the alphas which may be best to compute exactly."""

from __future__ import annotations

import numpy as np

from ._factorisation import _TrainFactorisation

__all__: list[str] = []


def _shrinkage(eigenvalues: np.ndarray, alphas: np.ndarray) -> np.ndarray:
    """``s[j, k] = alpha_j / (lam_k + alpha_j)``: the part of direction k that alpha j leaves unfitted."""
    return alphas[:, None] / (eigenvalues[None, :] + alphas[:, None])


_ROW_BLOCK = 1024
"""Rows of ``U`` squared at a time when computing leverages (bounds the temporary to ``1024 x r`` floats)."""


def _leverages(factors: _TrainFactorisation, shrink: np.ndarray) -> np.ndarray:
    """``1 - 1/n - diag(H)`` per train row and alpha ``(n_train, a)``, as ``null_leverage + (U o U) s``.

    Written with the shrinkage so that nothing cancels when alpha is small.
    """
    left = factors.left
    leverage = np.empty((len(left), len(shrink)))
    for start in range(0, len(left), _ROW_BLOCK):
        leverage[start : start + _ROW_BLOCK] = np.square(left[start : start + _ROW_BLOCK]) @ shrink.T
    return leverage + factors.null_leverage()[:, None]


def _target_losses(residual: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per target, the mean over rows of ``(residual / leverage)^2`` (``weights = leverage^-2``)."""
    return weights @ np.square(residual) / len(residual)


def _leave_one_out_losses(factors: _TrainFactorisation, alphas: np.ndarray) -> np.ndarray:
    """Mean squared leave-one-out error per alpha and target ``(a, t)``, exactly: one product per alpha.

    Closed form with an unpenalised intercept: ``e = (y0 - H y0) / (1 - 1/n - diag(H))`` with
    ``H = U diag(lam / (lam + alpha)) U^T``, and ``y0 - H y0 = Y_out + U diag(s) U^T y0``.
    """
    shrink = _shrinkage(factors.eigenvalues, alphas)
    weights = 1.0 / _leverages(factors, shrink) ** 2
    outside = factors.outside_targets()
    losses = np.empty((len(alphas), outside.shape[1]))
    for j, row in enumerate(shrink):
        residual = outside + factors.left @ (row[:, None] * factors.projected_targets)
        losses[j] = _target_losses(residual, weights[:, j])
    return losses


_BASIS_TOLERANCE = 1e-10
"""Relative accuracy of the low-rank shrinkage basis (each alpha's shrinkage vector, relative to its norm)."""

_MAX_BASIS_SHARE = 0.75
"""The low-rank scan runs when its basis has at most this share of the alphas' count (else: one product each).

At ``_BASIS_TOLERANCE``, Brain-Score's 99-value grid needs ~20 basis vectors when the eigenvalues span two
decades and ~40 however wide they spread."""

_ROUNDING_SLACK = 1e-8
"""Relative slack added to every bound of the low-rank scan, for float64 rounding."""

_PRODUCT_BUDGET = 2**24
"""Bytes of basis products the low-rank scan holds at once (twice: factors and products); targets are taken in
chunks that fit."""

_RESIDUAL_BUDGET = 2**23
"""Bytes of residuals (all alphas, a block of rows) the low-rank scan forms at once."""


def _shrinkage_basis(shrink: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``(coefficients, basis)`` with ``shrink ~ coefficients @ basis`` to ``_BASIS_TOLERANCE`` per row.

    None when the basis would not be much smaller than the number of alphas.
    """
    norms = np.linalg.norm(shrink, axis=1, keepdims=True)
    _, singular, basis = np.linalg.svd(shrink / norms, full_matrices=False)
    tail = np.sqrt(np.cumsum(np.square(singular[::-1]))[::-1])  # tail[p]: what the first p vectors miss
    if tail[-1] > _BASIS_TOLERANCE:
        return None
    rank = int(np.argmax(tail <= _BASIS_TOLERANCE))
    if rank == 0 or rank > _MAX_BASIS_SHARE * len(shrink):
        return None
    basis = basis[:rank]
    return shrink @ basis.T, basis


def _low_rank_losses(
    factors: _TrainFactorisation, alphas: np.ndarray, per_target: bool
) -> tuple[np.ndarray, np.ndarray] | None:
    """Leave-one-out losses from a few products with a relative error bound for each, or None when the grid is
    not of low rank. Both are ``(a, t)`` when ``per_target``, else ``(a, 1)`` (the mean over targets).

    Across an alpha grid the shrinkage vectors ``s_j`` (rows of a Cauchy-like matrix) are numerically of low
    rank, ``s_j ~ sum_p c_jp b_p`` with 20-40 basis vectors for 99 alphas, so ``U diag(s_j) Q`` is
    ``sum_p c_jp Z_p`` with ``Z_p = U diag(b_p) Q``: ``P`` big products instead of one per alpha.
    """
    shrink = _shrinkage(factors.eigenvalues, alphas)
    fit = _shrinkage_basis(shrink)
    if fit is None:
        return None
    coefficients, basis = fit
    weights = 1.0 / _leverages(factors, shrink) ** 2
    outside = factors.outside_targets()
    left, targets = factors.left, factors.projected_targets
    (n_train, n_targets), rank = outside.shape, len(basis)
    width = int(np.clip(_PRODUCT_BUDGET // (8 * rank * n_train), 1, n_targets))
    losses = np.empty((len(alphas), n_targets))
    for first in range(0, n_targets, width):
        columns = slice(first, first + width)
        weighted = basis.T[:, :, None] * targets[:, None, columns]  # (r, rank, width): b_p o Q, side by side
        products = (left @ weighted.reshape(len(weighted), -1)).reshape(n_train, rank, -1)  # one wide product
        del weighted
        losses[:, columns] = _combined_losses(coefficients, products, outside[:, columns], weights)
    if not per_target:
        losses = losses.mean(axis=1, keepdims=True)
    bound = _loss_bounds(factors, shrink, shrink - coefficients @ basis, weights, outside, per_target)
    return losses, bound


def _combined_losses(
    coefficients: np.ndarray, products: np.ndarray, outside: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """Per alpha and target, the leave-one-out loss of ``residual_j = outside + sum_p c_jp products[:, p]``.

    Works through the rows in blocks, all alphas at once, so that each block of products is read once.
    """
    n_train, _, width = products.shape
    rows_per_block = max(1, _RESIDUAL_BUDGET // (8 * len(coefficients) * width))
    total = np.zeros((len(coefficients), width))
    for start in range(0, n_train, rows_per_block):
        rows = slice(start, start + rows_per_block)
        residuals = np.tensordot(coefficients, products[rows], axes=([1], [1]))  # (alpha, row, target)
        residuals += outside[rows]
        np.square(residuals, out=residuals)
        total += np.matmul(weights[rows].T[:, None, :], residuals)[:, 0, :]  # per alpha: w_rows @ residual^2
    return total / n_train


def _loss_bounds(
    factors: _TrainFactorisation,
    shrink: np.ndarray,
    shrink_error: np.ndarray,
    weights: np.ndarray,
    outside: np.ndarray,
    per_target: bool,
) -> np.ndarray:
    """Relative error bounds ``(a, 1)`` or ``(a, t)`` of the low-rank losses (summed over targets unless per target).

    ``U`` has orthonormal columns, so each residual's error has the exact norm ``||diag(e_j) Q||`` (``e_j``: the
    shrinkage error) and the residual the exact norm ``sqrt(||Y_out||^2 + ||diag(s_j) Q||^2)``; with rows
    weighted by ``w_i``, a residual off by the relative norm ``rho`` moves the loss by at most
    ``(max w / min w)(2 rho + rho^2)``.
    """
    squared_targets = np.square(factors.projected_targets)
    outside_squares = np.einsum("ij,ij->j", outside, outside)
    if not per_target:
        squared_targets, outside_squares = squared_targets.sum(axis=1, keepdims=True), outside_squares.sum()
    error_squares = np.square(shrink_error) @ squared_targets
    residual_squares = outside_squares + np.square(shrink) @ squared_targets
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(error_squares > 0, np.sqrt(error_squares / residual_squares), 0.0)
        spread = weights.max(axis=0) / weights.min(axis=0)
    return spread[:, None] * (2 * relative + relative**2) + _ROUNDING_SLACK


def _plausible_minima(losses: np.ndarray, bound: np.ndarray) -> np.ndarray:
    """Rows (alphas) that may hold a column's exact minimum, given ``|approx - exact| <= bound * exact``."""
    known = np.isfinite(losses) & (bound < 1)
    lower = np.where(known, losses / (1 + bound), 0.0)
    upper = np.where(known, losses / np.where(known, 1 - bound, 1.0), np.inf)
    return np.flatnonzero(np.any(lower <= upper.min(axis=0), axis=1))


def _best_alphas(factors: _TrainFactorisation, alphas: np.ndarray, per_target: bool) -> np.ndarray:
    """The alphas of least exact leave-one-out error (first on ties), ``(1,)`` or ``(t,)``.

    A low-rank scan bounds every alpha's error; only the alphas that may be best are then computed exactly.
    """
    scan = _low_rank_losses(factors, alphas, per_target)
    near = np.arange(len(alphas)) if scan is None else _plausible_minima(*scan)
    exact = _leave_one_out_losses(factors, alphas[near])
    if not per_target:
        exact = exact.mean(axis=1, keepdims=True)
    losses = np.full((len(alphas), exact.shape[1]), np.inf)
    losses[near] = exact
    return alphas[np.argmin(losses, axis=0)]  # argmin returns the first minimum
