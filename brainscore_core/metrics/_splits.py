"""Train/test splits: Brain-Score's splits are scikit-learn's (Stratified)ShuffleSplit with fixed arguments.

The splitter runs over the rows in the order given (the metrics sort by ``stimulus_id`` first), so with the
default arguments the indices equal Brain-Score's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import MetricInputError

__all__ = ["Split", "SplitSpec", "shuffle_splits", "split_half_groups"]


@dataclass(frozen=True)
class Split:
    """One split: sorted-row indices of the train and test parts."""

    train: np.ndarray
    test: np.ndarray


@dataclass(frozen=True)
class SplitSpec:
    """How to split: ``n_splits`` shuffles with ``train_size`` / ``test_size`` (sklearn semantics) and a seed.

    The defaults are Brain-Score's regression cross-validation: 10 splits, 90 % train, seed 1.
    """

    n_splits: int = 10
    train_size: float | int | None = 0.9
    test_size: float | int | None = None
    random_state: int = 1

    def sizes(self, n_samples: int) -> tuple[int, int]:
        """``(n_train, n_test)`` for ``n_samples`` rows, computed as scikit-learn does."""
        test, train = self.test_size, self.train_size
        n_test = None if test is None else (math.ceil(test * n_samples) if isinstance(test, float) else int(test))
        n_train = None if train is None else (math.floor(train * n_samples) if isinstance(train, float) else int(train))
        if n_train is None:
            n_test = math.ceil(0.1 * n_samples) if n_test is None else n_test
            n_train = n_samples - n_test
        elif n_test is None:
            n_test = n_samples - n_train
        return n_train, n_test


def shuffle_splits(
    n_samples: int,
    spec: SplitSpec = SplitSpec(),
    *,
    stratify: Sequence[object] | np.ndarray | None = None,
    min_train: int = 2,
    min_test: int = 2,
    what: str = "stimuli",
) -> list[Split]:
    """Splits of ``n_samples`` rows: ``StratifiedShuffleSplit`` by ``stratify`` when given, else ``ShuffleSplit``.

    Raises :class:`MetricInputError` when a part would have fewer than ``min_train`` / ``min_test`` rows or the
    stratification is impossible (e.g. a class with a single member).
    """
    from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit

    n_train, n_test = spec.sizes(n_samples)
    if n_train < min_train or n_test < min_test:
        raise MetricInputError(
            f"Too few {what} for the cross-validation: {n_samples} {what} give {n_train} train and {n_test} test "
            f"{what} per split (train_size={spec.train_size}, test_size={spec.test_size}); at least {min_train} "
            f"train and {min_test} test {what} are needed. Use more {what}."
        )
    arguments = dict(
        n_splits=spec.n_splits, train_size=spec.train_size, test_size=spec.test_size, random_state=spec.random_state
    )
    placeholder = np.zeros((n_samples, 1))
    try:
        if stratify is None:
            generator = ShuffleSplit(**arguments).split(placeholder)
        else:
            labels = np.asarray(stratify)
            if len(labels) != n_samples:
                raise MetricInputError(f"The stratification labels have {len(labels)} values for {n_samples} {what}.")
            generator = StratifiedShuffleSplit(**arguments).split(placeholder, labels)
        return [Split(train=np.asarray(train), test=np.asarray(test)) for train, test in generator]
    except ValueError as error:
        if isinstance(error, MetricInputError):
            raise
        kind = "stratified " if stratify is not None else ""
        raise MetricInputError(
            f"Cannot make {spec.n_splits} {kind}splits of {n_samples} {what}: {error}"
            + (" Pass stratification_coord=None to split without stratification." if stratify is not None else "")
        ) from error


def split_half_groups(n_groups: int, spec: SplitSpec) -> list[Split]:
    """Split-half partitions of ``n_groups`` (e.g. sorted unique repetition values) with ``ShuffleSplit``.

    Each part must keep at least one group.
    """
    return shuffle_splits(n_groups, spec, min_train=1, min_test=1, what="repetitions")
