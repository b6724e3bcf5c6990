"""Brain-Score's test-only cross-validation (``rdm_cv``, ``cka_cv``): the splits, their stratification, the
aggregate and its error, and the wiring shared by the cross-validated metrics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import xarray as xr

from ..comparison.attach import attach_units, split_units
from ..score import Score
from ._splits import SplitSpec, shuffle_splits
from ._stats import standard_error

__all__ = [
    "SPLIT_ORDERS",
    "TestOnlyCrossValidated",
    "checked_split_order",
    "cross_validated",
    "stratification_labels",
]


def cross_validated(
    compare: Callable[[np.ndarray], float],
    n_stimuli: int,
    stratify: np.ndarray | None,
    *,
    n_splits: int,
    test_size: float,
    random_state: int,
    stratification_coord: str | None,
    stimulus_ids: np.ndarray | None = None,
) -> Score:
    """Brain-Score's test-only cross-validation: ``compare(test indices)`` on every split; mean and its error.

    Splits are :func:`brainscore_core.metrics._splits.shuffle_splits` with ``train_size=None`` over the stimuli
    sorted by ``stimulus_id`` (stratified by ``stratify`` when given); error = std (ddof 0) / sqrt(n_splits).
    With ``stimulus_ids`` (of the rows, in order) the score carries its paired units (per-split values).
    """
    spec = SplitSpec(n_splits=n_splits, train_size=None, test_size=test_size, random_state=random_state)
    splits = shuffle_splits(n_stimuli, spec, stratify=stratify, min_train=1, min_test=4)
    values = np.array([compare(np.sort(split.test)) for split in splits])
    score = Score(
        value=float(np.mean(values)),
        error=standard_error(values),
        details={"split": xr.DataArray(values, dims=("split",), coords={"split": np.arange(len(values))})},
        attrs={
            "n_splits": n_splits,
            "test_size": test_size,
            "random_state": random_state,
            "stratification_coord": stratification_coord,
            "n_test_stimuli": len(splits[0].test),
        },
    )
    if stimulus_ids is not None:  # paired units for the regression gate (issue 17)
        train, test = [split.train for split in splits], [split.test for split in splits]
        attach_units(score, lambda: split_units(values, train, test, stimulus_ids))
    return score


SPLIT_ORDERS = ("stimulus_id", "given")


def checked_split_order(split_order: str) -> str:
    """``split_order`` of the cross-validated metrics: ``"stimulus_id"`` (splits drawn over the target sorted by
    ``stimulus_id``, the default) or ``"given"`` (over the target's rows as passed, as Brain-Score 2.4 does)."""
    if split_order not in SPLIT_ORDERS:
        raise ValueError(f"split_order must be one of {SPLIT_ORDERS}, got {split_order!r}.")
    return split_order


def stratification_labels(target: xr.DataArray, order: np.ndarray, coord: str | None) -> np.ndarray | None:
    """The target's ``coord`` values on ``presentation`` in ``order``, or None when absent / not wanted."""
    if coord and coord in target.coords and target[coord].dims == ("presentation",):
        return np.asarray(target[coord].values)[order]
    return None


class TestOnlyCrossValidated:
    """The split settings of a test-only cross-validated metric, and the call that scores its splits.

    A subclass aligns its inputs (target rows in ``order``), builds ``compare(test indices) -> float`` and returns
    :meth:`_cross_validate`; see :func:`cross_validated` for the splits and :func:`checked_split_order` for
    ``split_order``.
    """

    __test__ = False  # a metric base, not a pytest test class

    def __init__(
        self,
        *,
        n_splits: int = 10,
        test_size: float = 0.9,
        random_state: int = 1,
        stratification_coord: str | None = "object_name",
        split_order: str = "stimulus_id",
    ) -> None:
        self.split_order = checked_split_order(split_order)
        self.n_splits = n_splits
        self.test_size = test_size
        self.random_state = random_state
        self.stratification_coord = stratification_coord

    @property
    def _sorted_by_id(self) -> bool:
        """Whether the splits are drawn over the target sorted by ``stimulus_id`` (else in its given order)."""
        return self.split_order == "stimulus_id"

    def _cross_validate(
        self, compare: Callable[[np.ndarray], float], target: xr.DataArray, order: np.ndarray, **attrs: Any
    ) -> Score:
        """``compare`` on every split of the target's rows in ``order``; ``attrs`` and ``split_order`` added."""
        stratify = stratification_labels(target, order, self.stratification_coord)
        score = cross_validated(
            compare,
            len(order),
            stratify,
            n_splits=self.n_splits,
            test_size=self.test_size,
            random_state=self.random_state,
            stratification_coord=self.stratification_coord if stratify is not None else None,
            stimulus_ids=np.asarray(target["stimulus_id"].values)[order],  # paired units (issue 17)
        )
        score.attrs.update(attrs)
        score.attrs["split_order"] = self.split_order
        return score
