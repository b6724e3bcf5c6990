"""Decision metrics: ``accuracy`` and ``shape_bias`` (Geirhos et al. 2019).

``accuracy(source, target)``
    ``source``: model decisions, dims ``(presentation,)`` (values = the chosen label) with ``stimulus_id``.
    ``target``: the correct labels, either an assembly ``(presentation,)`` with ``stimulus_id`` (rows are matched
    to the model's decisions by id; ids may repeat) or a plain sequence in the source's row order.
    Value = mean of ``decision == label``; error = std (ddof 0) of that boolean vector.

``shape_bias(decisions)``
    Over cue-conflict stimuli whose shape and texture classes differ: shape decisions / (shape + texture
    decisions). Decision assemblies carry the cue classes as coords ``shape`` and ``texture`` on
    ``presentation``; values are the decisions. Decisions that are neither class are not counted.

``ShapeBias`` metric (``shape_bias``)
    ``1 - |model bias - human bias|`` with the human bias = mean over subjects' biases when the target has a
    ``subject`` coord (else the bias of all its trials). Both biases are in ``attrs``; error = std (ddof 0) of
    the subjects' biases / sqrt(n_subjects) (NaN without subjects).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import xarray as xr

from ..assemblies import require_coords, validate_behavioral_assembly
from ..comparison.attach import attach_units, decision_units, shape_bias_units
from ..errors import MetricInputError
from ..score import Score
from ._base import Metric
from ._stats import standard_error

__all__ = ["Accuracy", "ShapeBias", "correct_decisions", "shape_bias"]


def _decisions(assembly: xr.DataArray, role: str) -> xr.DataArray:
    assembly = validate_behavioral_assembly(assembly)
    if assembly.ndim != 1:
        raise MetricInputError(
            f"The {role} must hold one decision per row, dims ('presentation',), got {tuple(assembly.dims)}; "
            "take the model's choices, not its probabilities."
        )
    return assembly


def correct_decisions(source: xr.DataArray, target: xr.DataArray | Sequence[object]) -> np.ndarray:
    """Boolean vector ``decision == label``, one entry per target row (see the module docstring)."""
    source = _decisions(source, "source")
    decisions = np.asarray(source.values)
    if isinstance(target, xr.DataArray) and "stimulus_id" in target.coords:
        source_ids = np.asarray(source["stimulus_id"].values)
        if len(np.unique(source_ids)) != len(source_ids):
            raise MetricInputError("The model decisions repeat stimulus_id; give one decision per stimulus.")
        wanted = np.asarray(target["stimulus_id"].values)
        sorter = np.argsort(source_ids)
        position = sorter[np.minimum(np.searchsorted(source_ids, wanted, sorter=sorter), len(source_ids) - 1)]
        missing = source_ids[position] != wanted
        if missing.any():
            raise MetricInputError(
                f"The model made no decision for {int(missing.sum())} target rows "
                f"(e.g. stimulus_id {np.unique(wanted[missing])[:5].tolist()})."
            )
        decisions = decisions[position]
        labels = np.asarray(target.values)
    else:
        labels = np.asarray(target.values if isinstance(target, xr.DataArray) else target)
        if labels.shape != decisions.shape:
            raise MetricInputError(
                f"{len(labels)} labels for {len(decisions)} decisions; give one label per decision, or an assembly "
                "with stimulus_id so they can be matched."
            )
    return decisions.astype(str) == labels.astype(str)


class Accuracy(Metric):
    """``accuracy``: the fraction of correct decisions."""

    identifier = "accuracy"
    higher_is_better = True
    valid_range = (0.0, 1.0)

    def __call__(self, source: xr.DataArray, target: xr.DataArray | Sequence[object]) -> Score:
        correct = correct_decisions(source, target)
        if len(correct) == 0:
            raise MetricInputError("Accuracy needs at least one decision, got none.")
        score = Score(
            value=float(np.mean(correct)),
            error=float(np.std(correct)),
            details={"correct": xr.DataArray(correct, dims=("presentation",))},
            attrs={"n_decisions": len(correct)},
        )
        # paired units for the regression gate (issue 17): per-stimulus correctness
        return attach_units(score, lambda: decision_units(correct, _row_ids(source, target)))


def _bias(decisions: np.ndarray, shape: np.ndarray, texture: np.ndarray, group: np.ndarray | None = None) -> np.ndarray:
    """Shape bias per group (all rows in group 0 when ``group`` is None); NaN where no decision names a cue."""
    group = np.zeros(len(decisions), dtype=int) if group is None else group
    conflict = shape != texture
    shape_hits = np.bincount(group, weights=(decisions == shape) & conflict, minlength=group.max(initial=0) + 1)
    texture_hits = np.bincount(group, weights=(decisions == texture) & conflict, minlength=len(shape_hits))
    total = shape_hits + texture_hits
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, shape_hits / total, np.nan)


def _cue_columns(decisions: xr.DataArray, role: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    decisions = _decisions(decisions, role)
    require_coords(decisions, "presentation", "shape", "texture", what="(cue-conflict decisions for shape bias)")
    answers, shape, texture = (
        np.asarray(values).astype(str)
        for values in (decisions.values, decisions["shape"].values, decisions["texture"].values)
    )
    return answers, shape, texture


def shape_bias(decisions: xr.DataArray) -> float:
    """Shape decisions / (shape + texture decisions) over stimuli whose shape and texture classes differ.

    NaN when no decision names either cue.
    """
    return float(_bias(*_cue_columns(decisions, "decisions"))[0])


class ShapeBias(Metric):
    """``shape_bias``: ``1 - |model shape bias - human shape bias|``."""

    identifier = "shape_bias"
    higher_is_better = True
    valid_range = (0.0, 1.0)

    def __call__(self, source: xr.DataArray, target: xr.DataArray) -> Score:
        model_bias = shape_bias(source)
        answers, shape, texture = _cue_columns(target, "target")
        if "subject" in target.coords and target["subject"].dims == ("presentation",):
            subjects, subject = np.unique(np.asarray(target["subject"].values), return_inverse=True)
            per_subject = _bias(answers, shape, texture, subject)
            defined = per_subject[~np.isnan(per_subject)]
            human_bias = float(np.mean(defined)) if len(defined) else math.nan
            error = standard_error(defined)
            details = {"subject_shape_bias": xr.DataArray(per_subject, dims=("subject",), coords={"subject": subjects})}
        else:
            human_bias, error, details = float(_bias(answers, shape, texture)[0]), math.nan, {}
        score = Score(
            value=1.0 - abs(model_bias - human_bias),
            error=error,
            details=details,
            attrs={"model_shape_bias": model_bias, "human_shape_bias": human_bias},
        )
        # paired units for the regression gate (issue 17): the model's per-stimulus decisions as class indices, with
        # each stimulus' cues and the human bias (the gate recomputes the score on leave-one-out subsets)
        decisions, cue_shape, cue_texture = _cue_columns(source, "source")
        ids = _row_ids(source, source)
        return attach_units(score, lambda: shape_bias_units(decisions, cue_shape, cue_texture, ids, human_bias))


def _row_ids(source: xr.DataArray, target: xr.DataArray | Sequence[object]) -> np.ndarray:
    """Stimulus ids of the rows :func:`correct_decisions` returns (the target's, else the source's, else positions)."""
    for assembly in (target, source):
        if isinstance(assembly, xr.DataArray) and "stimulus_id" in assembly.coords:
            return np.asarray(assembly["stimulus_id"].values)
    return np.arange(len(source))
