"""Neuron to neuron: each target predicted by its best train-correlated source unit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._data import CrossValidatedPrediction, Regression, SplitData

__all__ = ["NeuronToNeuron"]


@dataclass
class NeuronToNeuron(Regression):
    """Each target's prediction is the raw test values of the source unit with the highest train Pearson r.

    Ties go to the first unit; constant source units are never chosen. ``info["source_unit"]`` holds the
    chosen unit indices ``(split, target)``.
    """

    def fit_predict(self, data: SplitData) -> CrossValidatedPrediction:
        x_squares = np.einsum("ij,ij->j", data.x, data.x)
        y_squares = np.einsum("ij,ij->j", data.y, data.y)
        predictions, chosen = [], []
        for s in range(data.n_splits):
            test = data.test[s]
            x_spread = x_squares - np.sum(data.x[test] ** 2, axis=0) - data.n_train * data.x_train_mean[s] ** 2
            y_spread = y_squares - np.sum(data.y[test] ** 2, axis=0) - data.n_train * data.y_train_mean[s] ** 2
            in_train = np.zeros((len(data.x), 1), dtype=bool)
            in_train[data.train[s]] = True
            x_constant = np.max(data.x, axis=0, where=in_train, initial=-np.inf) == np.min(
                data.x, axis=0, where=in_train, initial=np.inf
            )
            with np.errstate(invalid="ignore", divide="ignore"):
                spread = np.sqrt(np.outer(np.maximum(x_spread, 0), np.maximum(y_spread, 0)))
                correlation = data.train_cross_covariance(s) / spread
            correlation[x_constant] = -np.inf
            correlation[np.isnan(correlation)] = -np.inf
            unit = np.argmax(correlation, axis=0)
            chosen.append(unit)
            predictions.append(data.x[test][:, unit] + data.x_offset[unit])
        return CrossValidatedPrediction(np.stack(predictions), {"source_unit": np.stack(chosen).tolist()})
