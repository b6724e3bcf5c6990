"""What every regression solver takes and returns: the split data, the predictions, the contract."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._splits import Split

__all__ = ["BRAINSCORE_RIDGECV_ALPHAS", "CrossValidatedPrediction", "Regression", "SplitData"]


BRAINSCORE_RIDGECV_ALPHAS: np.ndarray = np.concatenate(
    [
        [0.01, 0.1, 0.5, 1.0],
        np.linspace(1e1, 1e2, 4, endpoint=False),
        np.linspace(1e2, 1e3, 18, endpoint=False),
        np.linspace(1e3, 1e4, 18, endpoint=False),
        np.linspace(1e4, 1e5, 18, endpoint=False),
        np.linspace(1e5, 1e6, 18, endpoint=False),
        np.linspace(1e6, 1e7, 19),
    ]
)
"""Brain-Score's 99-value alpha grid for ``ridgecv``."""


class SplitData:
    """Features ``x (n, f)`` and targets ``y (n, t)`` with their splits, centred once on the whole data.

    Whole-data centring does not change any split's fit (each split re-centres on its train means) but keeps
    the split-wise corrections ``sum_train = sum_all - sum_test`` numerically exact.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, splits: Sequence[Split], *, copy: bool = True) -> None:
        """``copy=False`` lets a float64 ``x`` / ``y`` be centred in place (for callers passing fresh arrays)."""
        self.x = np.array(x, dtype=np.float64, copy=copy or None)
        self.y = np.array(y, dtype=np.float64, copy=copy or None)
        if self.x.ndim != 2 or self.y.ndim != 2 or len(self.x) != len(self.y):
            raise ValueError(f"x and y must be (n, features) and (n, targets), got {self.x.shape} and {self.y.shape}.")
        self.x_offset = self.x.mean(axis=0)
        self.y_offset = self.y.mean(axis=0)
        self.x -= self.x_offset
        self.y -= self.y_offset
        self.splits = list(splits)
        self.train = np.stack([split.train for split in self.splits])
        self.test = np.stack([split.test for split in self.splits])
        n_train = self.train.shape[1]
        # train means in the centred coordinates: (sum_all = 0) - sum_test, over n_train
        self.x_train_mean = np.stack([-self.x[test].sum(axis=0) / n_train for test in self.test])
        self.y_train_mean = np.stack([-self.y[test].sum(axis=0) / n_train for test in self.test])
        self._cross: np.ndarray | None = None
        self._gram: np.ndarray | None = None
        self._covariance: np.ndarray | None = None

    @property
    def n_splits(self) -> int:
        return len(self.splits)

    @property
    def n_train(self) -> int:
        return int(self.train.shape[1])

    @property
    def n_features(self) -> int:
        return int(self.x.shape[1])

    @property
    def n_targets(self) -> int:
        return int(self.y.shape[1])

    def cross(self) -> np.ndarray:
        """``X^T Y`` over all rows (centred coordinates)."""
        if self._cross is None:
            self._cross = self.x.T @ self.y
        return self._cross

    def gram(self) -> np.ndarray:
        """``X X^T`` over all rows."""
        if self._gram is None:
            self._gram = self.x @ self.x.T
        return self._gram

    def covariance(self) -> np.ndarray:
        """``X^T X`` over all rows."""
        if self._covariance is None:
            self._covariance = self.x.T @ self.x
        return self._covariance

    def train_cross_covariance(self, split: int) -> np.ndarray:
        """``X_0^T Y_0`` of split ``split``'s train rows, each centred with the train means."""
        test = self.test[split]
        x_test, y_test = self.x[test], self.y[test]
        centre = self.n_train * np.outer(self.x_train_mean[split], self.y_train_mean[split])
        return self.cross() - x_test.T @ y_test - centre

    def y_prediction_offset(self, split: int) -> np.ndarray:
        """What to add to centred predictions: the train mean of ``y`` in original units."""
        return self.y_offset + self.y_train_mean[split]


@dataclass
class CrossValidatedPrediction:
    """Test predictions ``(split, test row, target)`` (rows in ``SplitData.test`` order) and fit facts."""

    predictions: np.ndarray
    info: dict[str, Any] = field(default_factory=dict)


class Regression(ABC):
    """A regression fitted and evaluated on every split of a :class:`SplitData`."""

    @abstractmethod
    def fit_predict(self, data: SplitData) -> CrossValidatedPrediction: ...
