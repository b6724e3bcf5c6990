"""Leave-one-stimulus-out values for the subjects ⊕ stimuli test, computed from what the metrics already have.

- :func:`rdm_spearman_loo`: RSA, Spearman rho between a model RDM and each subject's RDM, with every stimulus left out
  in turn (the pairs involving it are dropped and the rest re-ranked).
- :func:`kappa_loo`: error consistency, each subject's signed mean-over-conditions Cohen's kappa with the model, with
  every stimulus left out in turn, in O(1) per stimulus from the 2x2 counts.

Both return ``(by_subject, loo)`` of shapes ``(S,)`` and ``(S, N)``, the inputs of
:func:`~brainscore_core.comparison.estimates.subject_stimulus_test` and of
:class:`~brainscore_core.comparison.units.SubjectStimulusUnits`.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats

__all__ = ["kappa_loo", "rdm_spearman_loo"]


def rdm_spearman_loo(model_rdm: np.ndarray, subject_rdms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-subject Spearman rho over the upper triangle, and the same with each stimulus' pairs left out.

    ``model_rdm``: (N, N), or (K, N, N) for K models scored against the same subjects (the subjects' ranks are
    then computed once); ``subject_rdms``: (S, N, N), or (N, N) for one (pooled) RDM; rows in the same stimulus
    order. Returns ``(rho (S,), rho_loo (S, N))``, with a leading K axis for a batch of models.
    """
    models = np.asarray(model_rdm, dtype=float)
    subject_rdms = np.asarray(subject_rdms, dtype=float)
    batch = models.ndim == 3
    models = models if batch else models[None]
    if subject_rdms.ndim == 2:
        subject_rdms = subject_rdms[None]
    n = models.shape[-1]
    if models.shape[1:] != (n, n) or subject_rdms.shape[1:] != (n, n):
        raise ValueError(f"RDMs must be square and alike: model {models.shape}, subjects {subject_rdms.shape}.")
    if n < 4:
        raise ValueError(f"the stimulus jackknife needs >= 4 stimuli, got {n}.")
    rows, cols = np.triu_indices(n, k=1)
    model_pairs = models[:, rows, cols]
    subjects = subject_rdms[:, rows, cols]
    if not (np.all(np.isfinite(model_pairs)) and np.all(np.isfinite(subjects))):
        raise ValueError("RDMs hold non-finite dissimilarities; the jackknife needs finite RDMs.")
    kept_ranks = _leave_one_out_ranks(np.concatenate([model_pairs, subjects]), rows, cols, n)  # (K + S, N, M')
    centred = kept_ranks - (kept_ranks.shape[-1] + 1) / 2
    model_loo, subject_loo = centred[: len(models)], centred[len(models) :]
    subject_full = _centred_ranks(subjects)
    full = np.stack([_correlate(_centred_ranks(m), subject_full) for m in model_pairs])
    loo = np.stack([_correlate(m[None], subject_loo) for m in model_loo])
    return (full, loo) if batch else (full[0], loo[0])


def _leave_one_out_ranks(values: np.ndarray, rows: np.ndarray, cols: np.ndarray, n: int) -> np.ndarray:
    """Average ranks of each row of ``values`` (R, M) within the pairs not involving stimulus i, for every i.

    Re-ranking without sorting again: ``rank'(x) = rank(x) - #{removed < x} - #{removed == x}/2`` (exact with
    ties), with the counts read from prefix sums, over the sorted pairs, of "pair involves stimulus i".
    Returns (R, N, M - N + 1).
    """
    ranks = stats.rankdata(values, axis=-1)
    order = np.argsort(ranks, axis=-1, kind="stable")
    sorted_ranks = np.take_along_axis(ranks, order, axis=-1)
    start = np.stack([np.searchsorted(s, r, side="left") for s, r in zip(sorted_ranks, ranks, strict=True)])
    end = np.stack([np.searchsorted(s, r, side="right") for s, r in zip(sorted_ranks, ranks, strict=True)])
    involves = np.zeros((len(rows), n), dtype=np.int32)  # (M, N): pair p involves stimulus i
    involves[np.arange(len(rows)), rows] = 1
    involves[np.arange(len(rows)), cols] = 1
    prefix = np.zeros((len(ranks), len(rows) + 1, n), dtype=np.int32)
    np.cumsum(involves[order], axis=1, out=prefix[:, 1:])
    below = np.take_along_axis(prefix, start[:, :, None], axis=1)  # (R, M, N)
    tied = np.take_along_axis(prefix, end[:, :, None], axis=1) - below
    new_ranks = ranks[:, :, None] - below - tied / 2
    keep = np.stack([np.flatnonzero((rows != i) & (cols != i)) for i in range(n)])  # (N, M')
    return new_ranks[:, keep, np.arange(n)[:, None]]


def _centred_ranks(values: np.ndarray) -> np.ndarray:
    """Average ranks along the last axis, minus their mean."""
    ranks = stats.rankdata(values, axis=-1)
    return ranks - ranks.mean(axis=-1, keepdims=True)


def _correlate(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson r of centred vectors along the last axis (broadcasting)."""
    x, y = np.broadcast_arrays(x, y)
    dot = np.einsum("...m,...m->...", x, y)
    return dot / np.sqrt(np.einsum("...m,...m->...", x, x) * np.einsum("...m,...m->...", y, y))


def _kappa(both: np.ndarray, model: np.ndarray, human: np.ndarray, n: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        a, b = model / n, human / n
        observed = (n - model - human + 2 * both) / n
        expected = a * b + (1 - a) * (1 - b)
        kappa = (observed - expected) / (1 - expected)
    return np.where(np.isfinite(kappa), kappa, np.nan)


def kappa_loo(
    model_correct: np.ndarray,
    human_correct: np.ndarray,
    condition: np.ndarray,
    n_conditions: int,
    groups: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Signed per-subject mean-over-conditions kappa and its leave-one-stimulus-out values.

    ``model_correct``: (N,) booleans; ``human_correct``: (S, N) with 1/0 and NaN for a trial the subject did not
    see; ``condition``: (N,) integers in ``[0, n_conditions)``. Undefined kappa (both always right or always wrong in a
    condition) are left out of the condition mean. Returns ``(kappa (S,), kappa_loo (S, N))``. With ``groups`` (N,)
    integers in ``[0, G)``, each stimulus group is left out instead: ``kappa_loo`` is then (S, G) (a grouped
    jackknife, for stimulus sets too large to store one value per stimulus).
    """
    model = np.asarray(model_correct, dtype=bool)
    human = np.asarray(human_correct, dtype=float)
    condition = np.asarray(condition, dtype=int)
    if human.ndim != 2 or human.shape[1] != model.size or condition.shape != model.shape:
        raise ValueError(
            f"shapes do not match: model {model.shape}, humans {human.shape}, condition {condition.shape}."
        )
    seen = np.isfinite(human)
    h = np.where(seen, human, 0.0)
    m = np.where(seen, model[None, :].astype(float), 0.0)
    onehot = np.eye(n_conditions)[condition]  # (N, K)
    counts = [x @ onehot for x in (m * h, m, h, seen.astype(float))]  # each (S, K)
    full = _kappa(*counts)
    # stimulus i (or group g) removes its own contribution from its condition's counts: (S, K, N) or (S, K, G)
    parts = (m * h, m, h, seen.astype(float))
    if groups is None:
        removed = [c[:, :, None] - (x[:, None, :] * onehot.T[None]) for c, x in zip(counts, parts, strict=True)]
    else:
        member = np.eye(int(np.max(groups)) + 1)[np.asarray(groups, dtype=int)]  # (N, G)
        removed = [
            c[:, :, None] - np.einsum("sn,nk,ng->skg", x, onehot, member, optimize=True)
            for c, x in zip(counts, parts, strict=True)
        ]
    loo = _kappa(*removed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(full, axis=1), np.nanmean(loo, axis=1)
