"""The shuffled-label null of a ceiling: the same estimate on data whose stimulus labels were permuted.

A ceiling is only informative when it is above what it gives on data without any stimulus-locked signal. The
null draws :data:`PERMUTATIONS` seeded permutations of the stimulus labels (:func:`shuffle_stimulus_ids` within
each repetition, or each subject and condition of behavioural trials; :func:`shuffle_rdms` for subjects' RDMs),
recomputes the ceiling on each, and records on the ceiling's ``attrs``:

- ``shuffled``: the highest null value. A ceiling above every one of the 19 draws is above its null in a one-sided
  permutation test at p = 1/20 = 0.05; :func:`~brainscore_core.benchmarks.normalisation.ceiling_unreliability`
  warns otherwise;
- ``shuffled_mean``, ``shuffled_p`` (the permutation p-value ``(1 + #draws >= value) / (draws + 1)``),
  ``shuffled_permutations``, ``shuffled_seed`` and ``shuffled_labels`` (what was permuted).

The ceiling's value, error and details are never changed. A ceiling that gives exactly its own value on every
draw does not depend on which stimulus is which (e.g. a constant): the test says nothing about it, so no
``shuffled`` threshold is recorded (``shuffled_invariant`` is True).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from ..score import Score

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["PERMUTATIONS", "SEED", "shuffle_rdms", "shuffle_stimulus_ids", "with_shuffled_null"]

PERMUTATIONS = 19  #: exceeding all 19 draws is a one-sided permutation test at p = 0.05
SEED = 0


def shuffle_stimulus_ids(
    assembly: xr.DataArray, rng: np.random.Generator, within: str | Sequence[str] | None
) -> xr.DataArray:
    """``assembly`` with its ``stimulus_id`` labels permuted independently within each group of rows that share
    the values of the ``within`` coords (e.g. each repetition, or each subject and condition; all rows at once when
    None or when a coord is absent), so no two groups agree on which response belongs to which stimulus. Values and
    the other coords are untouched; pairs of (stimulus, group) stay unique."""
    ids = np.asarray(assembly.coords["stimulus_id"].values).copy()
    dim = assembly.coords["stimulus_id"].dims[0]
    names = [within] if isinstance(within, str) else list(within or ())
    if not names or any(n not in assembly.coords for n in names):
        groups = np.zeros(len(ids), dtype=int)
    else:
        codes = [np.unique(np.asarray(assembly.coords[n].values), return_inverse=True)[1] for n in names]
        groups = np.unique(np.stack([c.ravel() for c in codes], axis=1), axis=0, return_inverse=True)[1].ravel()
    for group in np.unique(groups):
        rows = np.flatnonzero(groups == group)
        ids[rows] = ids[rng.permutation(rows)]
    return assembly.assign_coords(stimulus_id=(dim, ids))


def shuffle_rdms(rdms: xr.DataArray, rng: np.random.Generator) -> xr.DataArray:
    """Subjects' RDMs ``(subject, stimulus_a, stimulus_b)`` with each subject's stimuli permuted independently
    (rows and columns together, so each RDM stays symmetric with a zero diagonal)."""
    values = np.asarray(rdms.transpose("subject", "stimulus_a", "stimulus_b").values)
    shuffled = np.empty_like(values)
    for subject, rdm in enumerate(values):
        order = rng.permutation(rdm.shape[0])
        shuffled[subject] = rdm[np.ix_(order, order)]
    return rdms.transpose("subject", "stimulus_a", "stimulus_b").copy(data=shuffled)


def with_shuffled_null(
    ceiling: Score | None,
    ceiling_of_shuffled: Callable[[np.random.Generator], Score | None],
    labels: str,
    *,
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
) -> Score | None:
    """``ceiling`` with its shuffled-label null recorded in ``attrs`` (see the module docstring).

    ``ceiling_of_shuffled(rng)`` recomputes the ceiling on data whose stimulus labels were permuted with ``rng``
    (one generator seeded with ``seed`` serves all draws); ``labels`` says what was permuted. Warnings of the
    draws are not shown (the real ceiling has shown them). A draw that raises, or a NaN ceiling, records no null
    (``shuffled_unavailable`` says why for a draw that raised).
    """
    if ceiling is None or math.isnan(float(ceiling)):
        return ceiling
    ceiling = replace(ceiling, attrs=dict(ceiling.attrs), details=dict(ceiling.details))  # never edit the caller's
    rng = np.random.default_rng(seed)
    draws = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(permutations):
                drawn = ceiling_of_shuffled(rng)
                draws.append(math.nan if drawn is None else float(drawn))
    except Exception as error:  # noqa: BLE001 - the null is auxiliary: a ceiling that cannot take shuffled data
        ceiling.attrs["shuffled_unavailable"] = f"{type(error).__name__}: {error}"  # keeps its value, no null
        return ceiling
    null = np.asarray(draws, dtype=float)
    null = null[np.isfinite(null)]
    if not len(null):
        return ceiling
    value = float(ceiling)
    ceiling.attrs.update(
        shuffled_mean=float(np.mean(null)),
        shuffled_p=float((1 + np.sum(null >= value)) / (len(null) + 1)),
        shuffled_permutations=len(null),
        shuffled_seed=seed,
        shuffled_labels=labels,
    )
    if np.all(null == value):
        ceiling.attrs["shuffled_invariant"] = True
    else:
        ceiling.attrs["shuffled"] = float(np.max(null))
    return ceiling
