"""Image-level behavioural consistency ``i1`` and ``i2n`` (Rajalingham et al. 2018, as in Brain-Score 2.4).

Inputs
    ``source``: model choice probabilities, dims ``(presentation, choice)`` with ``stimulus_id`` (one row per
    image; the ``choice`` coord holds the labels). ``target``: human trials, dims ``(presentation,)``, one row
    per trial with ``stimulus_id``, ``sample_obj`` (the true object), ``dist_obj`` (the distractor offered) and
    the answer in a ``choice`` coord (or, without it, as the values). Each image's truth is its ``truth`` coord
    when present, else ``sample_obj``; the model side takes the truths from the target.

Response matrices (images x labels)
    model ``p[i, c] = P[i, c] / (P[i, c] + P[i, truth_i])``; human ``p[i, c]`` = trials of image ``i``
    answered ``c`` / trials of image ``i`` offering ``c`` (as sample or distractor); ``p[i, truth_i]`` is NaN.
    ``d'[i, c] = z(1 - p[i, c]) - z(FA)`` with ``FA`` = nanmean of ``p[j, truth_i]`` over images ``j`` whose
    truth is ``c``, clipped to [-5, 5]. ``i2n`` subtracts, per (truth, label) cell, the nanmean over images of
    that truth; ``i1`` averages ``d'`` over labels (no normalisation).

Score
    Pearson r between model and human patterns over the entries defined in the human pattern, for 2
    repetitions: trials are split into halves by ``numpy.random.RandomState(0)`` permutations (``perm[:N//2]``
    is the first half, the one the model is compared with). Value = mean over repetitions, error = std (ddof 0).
    The ceiling is r between the two halves (no Spearman-Brown). A benchmark ceils per repetition,
    ``raw / sqrt(ceiling)``, then averages (:func:`ceil_per_repetition`, Brain-Score's Rajalingham2018).

Brain-Score asserts where a model entry is NaN but the human one is not (e.g. ``P[i, c] + P[i, truth] == 0``);
here such entries are left out with a warning and counted in ``attrs['n_model_nan_dropped']``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr
from scipy.special import ndtri

from ..assemblies import require_coords, validate_behavioral_assembly
from ..benchmarks._normalisation import ceil_per_repetition
from ..errors import MetricInputError
from ..score import Score
from ._base import Ceiling, Metric
from ._inputs import matched_stimulus_order

__all__ = [
    "HumanTrials",
    "ImageLevelCeiling",
    "ImageLevelConsistency",
    "ceil_per_repetition",
    "dprimes",
    "human_false_alarm_rates",
    "human_trials",
    "model_false_alarm_rates",
    "split_halves",
    "subtract_truth_means",
]

DPRIME_CAP = 5.0


@dataclass(frozen=True)
class HumanTrials:
    """Trials encoded as indices into sorted ``images`` and ``labels``."""

    images: np.ndarray  #: sorted unique stimulus ids
    labels: np.ndarray  #: sorted labels (answers, truths and distractors)
    image: np.ndarray  #: per trial: index into ``images``
    answer: np.ndarray  #: per trial: index into ``labels``
    sample: np.ndarray  #: per trial: index of the true object
    distractor: np.ndarray  #: per trial: index of the distractor offered
    truth: np.ndarray  #: per image: index of its true object

    def __len__(self) -> int:
        return len(self.image)


def human_trials(target: xr.DataArray) -> HumanTrials:
    """Parse a human trial assembly (see the module docstring) into :class:`HumanTrials`."""
    target = validate_behavioral_assembly(target)
    if target.ndim != 1:
        raise MetricInputError(f"Human trials must have dims ('presentation',), got {tuple(target.dims)}.")
    require_coords(target, "presentation", "sample_obj", "dist_obj", what="(human trials for i1/i2n)")
    answers = target["choice"].values if "choice" in target.coords else target.values
    truth_per_trial = target["truth"].values if "truth" in target.coords else target["sample_obj"].values
    columns = (answers, target["sample_obj"].values, target["dist_obj"].values, truth_per_trial)
    codes, labels = pd.factorize(np.concatenate([np.asarray(values).astype(str) for values in columns]), sort=True)
    answer, sample, distractor, trial_truth = np.split(codes, 4)
    image, images = pd.factorize(np.asarray(target["stimulus_id"].values), sort=True)
    truth = np.full(len(images), -1)
    truth[image] = trial_truth
    if np.any(truth[image] != trial_truth):
        conflicting = images[np.unique(image[truth[image] != trial_truth])][:5].tolist()
        raise MetricInputError(f"Trials of the same image name different truths (stimulus_id {conflicting}).")
    return HumanTrials(np.asarray(images), np.asarray(labels), image, answer, sample, distractor, truth)


def model_false_alarm_rates(probabilities: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """``p[i, c] = P[i, c] / (P[i, c] + P[i, truth_i])``; NaN at ``c == truth_i`` (and where both are 0)."""
    probabilities = np.asarray(probabilities, dtype=float)
    rows = np.arange(len(probabilities))
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = probabilities / (probabilities + probabilities[rows, truth][:, None])
    rates[rows, truth] = np.nan
    return rates


def human_false_alarm_rates(trials: HumanTrials, subset: np.ndarray | None = None) -> np.ndarray:
    """Per image and label: trials answered with the label / trials offering it; NaN at the truth or unoffered."""
    n_images, n_labels = len(trials.images), len(trials.labels)
    keep = slice(None) if subset is None else subset
    image = trials.image[keep]

    def count(label_index: np.ndarray) -> np.ndarray:
        return np.bincount(image * n_labels + label_index[keep], minlength=n_images * n_labels).reshape(
            n_images, n_labels
        )

    chosen = count(trials.answer)
    offered = count(trials.sample) + count(trials.distractor)
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = np.where(offered > 0, chosen / offered, np.nan)
    rates[np.arange(n_images), trials.truth] = np.nan
    return rates


def _group_nanmean(values: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group (rows of ``values`` labelled by ``group``) and column: the mean of the non-NaN values."""
    membership = np.zeros((n_groups, len(group)))
    membership[group, np.arange(len(group))] = 1.0
    valid = ~np.isnan(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (membership @ np.where(valid, values, 0.0)) / (membership @ valid)


def dprimes(rates: np.ndarray, truth: np.ndarray, cap: float = DPRIME_CAP) -> np.ndarray:
    """``d'[i, c] = z(1 - p[i, c]) - z(FA[c, truth_i])``, clipped to ``[-cap, cap]``.

    ``FA[c, t]`` is the nanmean of ``p[j, t]`` over images ``j`` whose truth is ``c``.
    """
    n_labels = rates.shape[1]
    object_rates = _group_nanmean(rates, truth, n_labels)  # [truth c, column t]
    false_alarms = object_rates.T[truth]  # [image i, label c] = object_rates[c, truth_i]
    with np.errstate(invalid="ignore"):
        return np.clip(ndtri(1.0 - rates) - ndtri(false_alarms), -cap, cap)


def subtract_truth_means(scores: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Subtract from each entry the nanmean over images with the same truth, per label (the ``n`` of i2n)."""
    return scores - _group_nanmean(scores, truth, scores.shape[1])[truth]


def split_halves(n_trials: int, repetitions: int = 2, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Brain-Score's trial halves: successive ``RandomState(seed)`` permutations, split at ``n_trials // 2``."""
    random_state = np.random.RandomState(seed)
    halves = []
    for _ in range(repetitions):
        permutation = random_state.permutation(n_trials)
        halves.append((permutation[: n_trials // 2], permutation[n_trials // 2 :]))
    return halves


def _pearson(x: np.ndarray, y: np.ndarray) -> tuple[float, int]:
    """Pearson r over entries defined in ``y``; entries NaN only in ``x`` are dropped and counted."""
    x, y = x.ravel(), y.ravel()
    defined = ~np.isnan(y)
    dropped = int(np.sum(defined & np.isnan(x)))
    keep = defined & ~np.isnan(x)
    if keep.sum() < 2:
        return float("nan"), dropped
    xc, yc = x[keep] - x[keep].mean(), y[keep] - y[keep].mean()
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.sum(xc * yc) / np.sqrt(np.sum(xc * xc) * np.sum(yc * yc))), dropped


class _ImageLevel:
    """Shared settings: ``i1`` = ``collapse_distractors=True, normalize=False``; ``i2n`` = ``False, True``."""

    def __init__(self, *, collapse_distractors: bool, normalize: bool, repetitions: int = 2, seed: int = 0) -> None:
        self.collapse_distractors = collapse_distractors
        self.normalize = normalize
        self.repetitions = repetitions
        self.seed = seed
        self.identifier = self.variant + ("_ceiling" if isinstance(self, Ceiling) else "")

    @property
    def variant(self) -> str:
        return ("i1" if self.collapse_distractors else "i2") + ("n" if self.normalize else "")

    def pattern(self, rates: np.ndarray, truth: np.ndarray) -> np.ndarray:
        """The response pattern (d' per image, or per image and label) from a false-alarm matrix."""
        scores = dprimes(rates, truth)
        if self.normalize:
            scores = subtract_truth_means(scores, truth)
        if self.collapse_distractors:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows stay NaN
                scores = np.nanmean(scores, axis=1)
        return scores

    def _score(self, values: list[float], dropped: int, trials: HumanTrials) -> Score:
        values_array = np.array(values)
        return Score(
            value=float(np.mean(values_array)),
            error=float(np.std(values_array)),
            details={"split": xr.DataArray(values_array, dims=("split",), coords={"split": np.arange(len(values))})},
            attrs={
                "variant": self.variant,
                "repetitions": self.repetitions,
                "n_images": len(trials.images),
                "n_labels": len(trials.labels),
                "n_trials": len(trials),
                "n_model_nan_dropped": dropped,
            },
        )


class ImageLevelConsistency(_ImageLevel, Metric):
    """``i1`` / ``i2n``: Pearson r between the model's and one half of the humans' image-level patterns."""

    higher_is_better = True
    valid_range = (-1.0, 1.0)

    def __call__(self, source: xr.DataArray, target: xr.DataArray) -> Score:
        trials = human_trials(target)
        model_pattern = self.pattern(self._model_rates(source, trials), trials.truth)
        values, dropped = [], 0
        for half, _ in split_halves(len(trials), self.repetitions, self.seed):
            human_pattern = self.pattern(human_false_alarm_rates(trials, half), trials.truth)
            value, n_dropped = _pearson(model_pattern, human_pattern)
            values.append(value)
            dropped += n_dropped
        if dropped:
            warnings.warn(
                f"{self.variant}: {dropped} model entries are undefined (P[i, c] + P[i, truth] == 0) where the human "
                "entries are defined; they were left out.",
                RuntimeWarning,
                stacklevel=2,
            )
        return self._score(values, dropped, trials)

    @staticmethod
    def _model_rates(source: xr.DataArray, trials: HumanTrials) -> np.ndarray:
        source = validate_behavioral_assembly(source)
        if "choice" not in source.dims:
            raise MetricInputError(
                f"Model probabilities must have dims ('presentation', 'choice'), got {tuple(source.dims)}; use "
                "the model's probabilities task, not its choices."
            )
        source_order, _ = matched_stimulus_order(np.asarray(source["stimulus_id"].values), trials.images)
        model_labels = np.asarray(source["choice"].values).astype(str)
        missing = np.setdiff1d(trials.labels, model_labels)
        if len(missing):
            raise MetricInputError(
                f"The model gives no probability for the labels {missing[:10].tolist()} that the human trials use; "
                f"its choices are {model_labels[:10].tolist()}{' ...' if len(model_labels) > 10 else ''}."
            )
        label_sorter = np.argsort(model_labels)
        columns = label_sorter[np.searchsorted(model_labels, trials.labels, sorter=label_sorter)]
        probabilities = np.asarray(source.values, dtype=float)[np.ix_(source_order, columns)]
        return model_false_alarm_rates(probabilities, trials.truth)


class ImageLevelCeiling(_ImageLevel, Ceiling):
    """``i1_ceiling`` / ``i2n_ceiling``: Pearson r between the patterns of the two trial halves (no correction)."""

    valid_range = (-1.0, 1.0)

    def __call__(self, assembly: xr.DataArray) -> Score:
        trials = human_trials(assembly)
        values, dropped = [], 0
        for first, second in split_halves(len(trials), self.repetitions, self.seed):
            pattern_first = self.pattern(human_false_alarm_rates(trials, first), trials.truth)
            pattern_second = self.pattern(human_false_alarm_rates(trials, second), trials.truth)
            value, n_dropped = _pearson(pattern_first, pattern_second)
            values.append(value)
            dropped += n_dropped
        return self._score(values, dropped, trials)
