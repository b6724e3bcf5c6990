"""Cross-validated neural predictivity: regress target neuroids on source features, correlate on held-out stimuli.

Brain-Score's definition: 10 splits (90 % train, seed 1), stratified by the target's ``object_name`` when it has
one; per split fit on the train stimuli, predict the test stimuli, Pearson r per target neuroid, median over
neuroids; aggregate = mean over splits, error = std / sqrt(n).

Both assemblies are sorted by ``stimulus_id`` before the splits are drawn (the project's specification), so a
score does not depend on the order of the target's rows. Brain-Score 2.4 draws its splits over the target's
rows as given: on a target already sorted by ``stimulus_id`` the two agree to rounding
(``benchmarks/crosscheck_brainscore.py``); on an unsorted one the splits, and so the scores, differ.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import xarray as xr

from ..comparison.attach import attach_units, split_units
from ..errors import MetricInputError
from ..score import Score
from ._base import Metric
from ._checks import SOURCE, TARGET, check_response_values, examples
from ._splits import SplitSpec, shuffle_splits
from ._stats import mean_and_error, median_ignoring_nan, pearson_columns
from .regression import CrossValidatedPrediction, Regression, SplitData

__all__ = ["CrossValidatedPredictivity", "align_neural_pair"]

PRESENTATION, NEUROID = "presentation", "neuroid"


def _as_presentation_by_neuroid(assembly: Any, side: str) -> xr.DataArray:
    """``assembly`` as ``(presentation, neuroid)``: a single time bin is dropped, anything else is refused."""
    if not isinstance(assembly, xr.DataArray):
        raise MetricInputError(
            f"The {side} must be an xarray.DataArray (presentation x neuroid), got {type(assembly).__name__}."
        )
    if "time_bin" in assembly.dims:
        if assembly.sizes["time_bin"] != 1:
            raise MetricInputError(
                f"The {side} has {assembly.sizes['time_bin']} time bins; this metric compares one time bin. "
                "Select one with assembly.isel(time_bin=i) (or average them) first."
            )
        assembly = assembly.isel(time_bin=0, drop=True)
    if set(assembly.dims) != {PRESENTATION, NEUROID}:
        raise MetricInputError(f"The {side} needs dims ('presentation', 'neuroid'), got {tuple(assembly.dims)}.")
    assembly = assembly.transpose(PRESENTATION, NEUROID)
    if "stimulus_id" not in assembly.coords or assembly.coords["stimulus_id"].dims != (PRESENTATION,):
        raise MetricInputError(
            f"The {side} has no 'stimulus_id' coordinate on 'presentation'; source and target are matched by "
            "stimulus_id. Add it, e.g. assembly.assign_coords(stimulus_id=('presentation', ids))."
        )
    ids = np.asarray(assembly.coords["stimulus_id"].values)
    unique, counts = np.unique(ids, return_counts=True)
    if len(unique) != len(ids):
        repeated = unique[counts > 1]
        raise MetricInputError(
            f"The {side} repeats stimulus ids ({len(repeated)} repeated, e.g. {examples(repeated)}); the metric "
            "needs one row per stimulus. Average repetitions first (brainscore_core.average_repetitions)."
        )
    return assembly


def align_neural_pair(source: Any, target: Any, *, sort: bool = True) -> tuple[xr.DataArray, np.ndarray, xr.DataArray]:
    """Validate a (model, data) pair without copying the source.

    Returns ``(source, source_rows, target)``: ``target`` sorted by ``stimulus_id`` (in its given order with
    ``sort=False``) and the source row index of each of its stimuli. Raises :class:`MetricInputError` for a
    missing ``stimulus_id``, repeated ids, different stimulus sets or non-finite values.
    """
    source = _as_presentation_by_neuroid(source, f"{SOURCE} assembly")
    target = _as_presentation_by_neuroid(target, f"{TARGET} assembly")
    source_ids = np.asarray(source.coords["stimulus_id"].values)
    target_ids = np.asarray(target.coords["stimulus_id"].values)
    missing_in_source = np.setdiff1d(target_ids, source_ids)
    missing_in_target = np.setdiff1d(source_ids, target_ids)
    if len(missing_in_source) or len(missing_in_target):
        parts = []
        if len(missing_in_source):
            parts.append(
                f"{len(missing_in_source)} target stimuli are not in the source (e.g. {examples(missing_in_source)})"
            )
        if len(missing_in_target):
            parts.append(
                f"{len(missing_in_target)} source stimuli are not in the target (e.g. {examples(missing_in_target)})"
            )
        raise MetricInputError(
            "Source and target must cover the same stimuli: " + "; ".join(parts) + ". Record the model on exactly "
            "the target's stimulus set."
        )
    check_response_values(source, SOURCE)
    check_response_values(target, TARGET)
    if sort:
        target = target.isel({PRESENTATION: np.argsort(target_ids, kind="stable")})
    position = {value: i for i, value in enumerate(source_ids.tolist())}
    source_rows = np.array([position[v] for v in target.coords["stimulus_id"].values.tolist()], dtype=np.intp)
    return source, source_rows, target


class CrossValidatedPredictivity(Metric):
    """``metric(source, target)``: cross-validated Pearson r between ``regression`` predictions and the target.

    ``stratification_coord`` (default ``object_name``) stratifies the splits when the target has it;
    ``split_spec`` sets the number of splits, train size and seed (defaults: Brain-Score's).
    ``split_order`` says over which row order the splits are drawn: ``"stimulus_id"`` (default: the target
    sorted by ``stimulus_id``, so the score does not depend on row order) or ``"given"`` (the target's rows as
    passed, as Brain-Score 2.4 does: for its exact splits on a target not sorted by ``stimulus_id``).
    Score details: ``split_neuroid`` (r per split and target neuroid) and ``split`` (median over neuroids).
    """

    higher_is_better = True
    valid_range = (-1.0, 1.0)

    def __init__(
        self,
        regression: Regression,
        *,
        identifier: str = "",
        stratification_coord: str | None = "object_name",
        split_spec: SplitSpec = SplitSpec(),
        split_order: Literal["stimulus_id", "given"] = "stimulus_id",
    ) -> None:
        if split_order not in ("stimulus_id", "given"):
            raise ValueError(f"split_order must be 'stimulus_id' or 'given', got {split_order!r}.")
        self.regression = regression
        self.identifier = identifier or type(regression).__name__.lower()
        self.stratification_coord = stratification_coord
        self.split_spec = split_spec
        self.split_order = split_order

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.identifier}: {self.regression}>"

    def _stratification(self, target: xr.DataArray) -> np.ndarray | None:
        name = self.stratification_coord
        if name and name in target.coords and target.coords[name].dims == (PRESENTATION,):
            return np.asarray(target.coords[name].values)
        return None

    def __call__(self, source: xr.DataArray, target: xr.DataArray) -> Score:
        source, source_rows, target = align_neural_pair(source, target, sort=self.split_order == "stimulus_id")
        stratify = self._stratification(target)
        splits = shuffle_splits(target.sizes[PRESENTATION], self.split_spec, stratify=stratify)
        features = np.asarray(source.values)[source_rows]  # a fresh array: SplitData may centre it in place
        data = SplitData(features, np.array(target.values, dtype=np.float64), splits, copy=False)
        del features
        prediction = self.regression.fit_predict(data)
        observed = np.asarray(target.values, dtype=float)[data.test]  # (split, test, neuroid)
        correlations = pearson_columns(prediction.predictions, observed)
        del data
        per_split = median_ignoring_nan(correlations, axis=-1, what="target neuroids")
        value, error = mean_and_error(per_split)
        score = Score(
            value=value,
            error=error,
            details=self._details(correlations, per_split, target, source, prediction),
            attrs=self._attrs(prediction, stratify is not None, len(target)),
        )
        # paired units for the regression gate (issue 17): per-split scores + split fingerprint
        ids = target.coords["stimulus_id"].values
        train, test = [s.train for s in splits], [s.test for s in splits]
        return attach_units(score, lambda: split_units(per_split, train, test, ids))

    def _details(
        self,
        correlations: np.ndarray,
        per_split: np.ndarray,
        target: xr.DataArray,
        source: xr.DataArray,
        prediction: CrossValidatedPrediction,
    ) -> dict[str, xr.DataArray]:
        split_index = np.arange(len(per_split))
        neuroid_coords = {
            str(name): (NEUROID, np.asarray(c.values)) for name, c in target.coords.items() if c.dims == (NEUROID,)
        }
        split_neuroid = xr.DataArray(
            correlations, dims=("split", NEUROID), coords={"split": split_index, **neuroid_coords}
        )
        details = {
            "split_neuroid": split_neuroid,
            "split": xr.DataArray(per_split, dims=("split",), coords={"split": split_index}),
        }
        for key, value in prediction.info.items():
            array = np.asarray(value)
            if array.shape == correlations.shape:
                if key == "source_unit" and "neuroid_id" in source.coords:
                    array = np.asarray(source.coords["neuroid_id"].values)[array]
                details[key] = split_neuroid.copy(data=array)
        return details

    def _attrs(self, prediction: CrossValidatedPrediction, stratified: bool, n_stimuli: int) -> dict[str, Any]:
        attrs: dict[str, Any] = {
            "metric": self.identifier,
            "n_splits": self.split_spec.n_splits,
            "train_size": self.split_spec.train_size,
            "random_state": self.split_spec.random_state,
            "stratification_coord": self.stratification_coord if stratified else None,
            "split_order": self.split_order,
            "n_stimuli": int(n_stimuli),
        }
        for key, value in prediction.info.items():
            if np.ndim(value) < 2:
                attrs[key] = value
        return attrs
