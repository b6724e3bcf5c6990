"""Error consistency (Geirhos et al. 2020): Cohen's kappa between the trial-by-trial correctness of two observers.

Inputs
    ``source``: model decisions, dims ``(presentation,)``, one per stimulus, with ``stimulus_id`` and ``truth``
    (values = the chosen label; a ``condition`` coord may be present but the target's conditions are used).
    ``target``: human decisions, one row per trial, with ``stimulus_id``, ``truth``, ``condition`` and
    ``subject``. Correct means ``decision == truth``.

Per subject and condition (over the stimuli the subject saw in that condition), with accuracies ``a_s``,
``a_t`` and observed agreement ``p_obs``: ``kappa = (p_obs - p_exp) / (1 - p_exp)``,
``p_exp = a_s a_t + (1 - a_s)(1 - a_t)``. The score is ``|mean over subjects of the mean over conditions|``
(Brain-Score's choice: it keeps scores non-negative); error = std (ddof 0) over all kappas. The ceiling is the
same over all pairs of subjects.

A kappa is undefined (NaN) when both observers are always right, or always wrong, in a condition
(``p_exp == 1``); such kappas are left out of the means and the std with a warning (Brain-Score's xarray
means and std skip them silently, so the numbers agree).
A subject must see each stimulus at most once.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import xarray as xr

from ..assemblies import require_coords, validate_behavioral_assembly
from ..comparison.attach import attach_units, error_consistency_units
from ..errors import MetricInputError
from ..score import Score
from ._base import Ceiling, Metric
from ._inputs import matched_stimulus_order

__all__ = ["ErrorConsistency", "ErrorConsistencyCeiling", "SubjectCorrectness", "cohens_kappas", "subject_correctness"]


@dataclass(frozen=True)
class SubjectCorrectness:
    """Human correctness as a ``(subject, stimulus)`` matrix: 1 correct, 0 wrong, NaN not seen."""

    correct: np.ndarray
    subjects: np.ndarray  #: sorted
    stimuli: np.ndarray  #: sorted stimulus ids
    condition: np.ndarray  #: per stimulus: index into ``conditions``
    conditions: np.ndarray  #: sorted


def _trial_vectors(assembly: xr.DataArray, role: str, *coords: str) -> xr.DataArray:
    assembly = validate_behavioral_assembly(assembly)
    if assembly.ndim != 1:
        raise MetricInputError(
            f"Error consistency takes decisions with dims ('presentation',) as the {role}, got {tuple(assembly.dims)}."
        )
    require_coords(assembly, "presentation", "truth", *coords, what=f"(the {role} of error consistency)")
    return assembly


def _is_correct(assembly: xr.DataArray) -> np.ndarray:
    return np.asarray(assembly.values).astype(str) == np.asarray(assembly["truth"].values).astype(str)


def subject_correctness(target: xr.DataArray) -> SubjectCorrectness:
    """Build the ``(subject, stimulus)`` correctness matrix from human trials."""
    target = _trial_vectors(target, "target", "condition", "subject")
    subjects, subject = np.unique(np.asarray(target["subject"].values), return_inverse=True)
    stimuli, stimulus = np.unique(np.asarray(target["stimulus_id"].values), return_inverse=True)
    conditions, trial_condition = np.unique(np.asarray(target["condition"].values), return_inverse=True)
    cell = subject * len(stimuli) + stimulus
    unique_cells, counts = np.unique(cell, return_counts=True)
    if (counts > 1).any():
        repeated = unique_cells[counts > 1][0]
        raise MetricInputError(
            f"Subject {subjects[repeated // len(stimuli)]!r} saw stimulus_id {stimuli[repeated % len(stimuli)]!r} "
            f"{counts.max()} times; error consistency needs at most one trial per subject and stimulus."
        )
    condition = np.full(len(stimuli), -1)
    condition[stimulus] = trial_condition
    if np.any(condition[stimulus] != trial_condition):
        inconsistent = stimuli[np.unique(stimulus[condition[stimulus] != trial_condition])][:5].tolist()
        raise MetricInputError(f"The same stimulus appears under different conditions (stimulus_id {inconsistent}).")
    correct = np.full((len(subjects), len(stimuli)), np.nan)
    correct[subject, stimulus] = _is_correct(target)
    return SubjectCorrectness(correct, subjects, stimuli, condition, conditions)


def cohens_kappas(first: np.ndarray, second: np.ndarray, condition: np.ndarray, n_conditions: int) -> np.ndarray:
    """Cohen's kappa per observer pair and condition from correctness matrices (NaN = not seen).

    ``first`` is ``(A, stimuli)``, ``second`` ``(B, stimuli)``; returns ``(A, B, n_conditions)`` computed over the
    stimuli both observers saw in each condition.
    """
    membership = np.zeros((len(condition), n_conditions))
    membership[np.arange(len(condition)), condition] = 1.0

    def split(correct: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        seen = (~np.isnan(correct)).astype(float)
        right = np.nan_to_num(correct, nan=0.0)
        return seen, right, seen - right

    def shared(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.einsum("am,mk,bm->abk", x, membership, y, optimize=True)

    seen_a, right_a, wrong_a = split(first)
    seen_b, right_b, wrong_b = split(second)
    n = shared(seen_a, seen_b)
    with np.errstate(invalid="ignore", divide="ignore"):
        accuracy_a = shared(right_a, seen_b) / n
        accuracy_b = shared(seen_a, right_b) / n
        observed = (shared(right_a, right_b) + shared(wrong_a, wrong_b)) / n
        expected = accuracy_a * accuracy_b + (1 - accuracy_a) * (1 - accuracy_b)
        kappas = (observed - expected) / (1 - expected)
    kappas[~np.isfinite(kappas)] = np.nan
    return kappas


def _aggregate(kappas: np.ndarray, what: str) -> tuple[float, float]:
    """``|nanmean over observers of the nanmean over conditions|`` and the nanstd of all kappas."""
    undefined = int(np.isnan(kappas).sum())
    if undefined:
        warnings.warn(
            f"{undefined} of {kappas.size} {what} kappas are undefined (both observers always right or always wrong "
            "in a condition, or no shared stimuli) and were left out.",
            RuntimeWarning,
            stacklevel=3,
        )
    if undefined == kappas.size:
        return float("nan"), float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        per_observer = np.nanmean(kappas, axis=1)
    return float(abs(np.nanmean(per_observer))), float(np.nanstd(kappas))


class ErrorConsistency(Metric):
    """``error_consistency``: Cohen's kappa between model and each subject's correctness (see module docs)."""

    identifier = "error_consistency"
    higher_is_better = True
    valid_range = (0.0, 1.0)

    def __call__(self, source: xr.DataArray, target: xr.DataArray) -> Score:
        humans = subject_correctness(target)
        source = _trial_vectors(source, "source")
        source_order, _ = matched_stimulus_order(np.asarray(source["stimulus_id"].values), humans.stimuli)
        model = _is_correct(source)[source_order].astype(float)[np.newaxis]
        kappas = cohens_kappas(model, humans.correct, humans.condition, len(humans.conditions))[0]
        value, error = _aggregate(kappas, "subject x condition")
        details = xr.DataArray(
            kappas, dims=("subject", "condition"), coords={"subject": humans.subjects, "condition": humans.conditions}
        )
        score = Score(
            value=value,
            error=error,
            details={"kappa": details},
            attrs={"n_subjects": len(humans.subjects), "n_conditions": len(humans.conditions)},
        )
        # paired units for the regression gate (issue 17): signed per-subject kappa + leave-one-stimulus-out
        return attach_units(
            score,
            lambda: error_consistency_units(
                model[0] > 0.5,
                humans.correct,
                humans.condition,
                len(humans.conditions),
                humans.subjects,
                humans.stimuli,
            ),
        )


class ErrorConsistencyCeiling(Ceiling):
    """``error_consistency_ceiling``: the error consistency between all pairs of subjects."""

    identifier = "error_consistency_ceiling"
    valid_range = (0.0, 1.0)

    def __call__(self, assembly: xr.DataArray) -> Score:
        humans = subject_correctness(assembly)
        if len(humans.subjects) < 2:
            raise MetricInputError(
                f"The error-consistency ceiling needs at least 2 subjects, got {humans.subjects.tolist()}."
            )
        all_pairs = cohens_kappas(humans.correct, humans.correct, humans.condition, len(humans.conditions))
        left, right = np.triu_indices(len(humans.subjects), k=1)
        kappas = all_pairs[left, right]
        value, error = _aggregate(kappas, "subject-pair x condition")
        details = xr.DataArray(
            kappas,
            dims=("pair", "condition"),
            coords={
                "subject_left": ("pair", humans.subjects[left]),
                "subject_right": ("pair", humans.subjects[right]),
                "condition": humans.conditions,
            },
        )
        return Score(
            value=value,
            error=error,
            details={"kappa": details},
            attrs={"n_subjects": len(humans.subjects), "n_conditions": len(humans.conditions)},
        )
