"""The ``internal_consistency`` ceiling: split-half reliability of neural responses across repetitions."""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy import sparse

from ..errors import InvalidAssemblyError, MetricInputError
from ..score import Score
from ._base import Ceiling
from ._splits import Split, SplitSpec, split_half_groups
from ._stats import mean_and_error, median_ignoring_nan, nan_pearson_columns, spearman_brown

__all__ = ["HALF_SPLITS", "InternalConsistency"]

PRESENTATION, NEUROID = "presentation", "neuroid"

HALF_SPLITS = SplitSpec(n_splits=10, train_size=0.5, test_size=None, random_state=1)
"""Brain-Score's split halves: ``ShuffleSplit(10, train_size=0.5, random_state=1)`` over repetition values."""


class InternalConsistency(Ceiling):
    """``ceiling(assembly)``: how well one half of the repetitions predicts the other, per neuroid.

    The assembly has one presentation row per (stimulus, repetition), with ``stimulus_id`` and ``repetition``
    coords (``presentation x neuroid``; a single time bin is dropped). The sorted unique repetition values are
    split in halves by ``split_spec``; each half's repetitions are averaged per stimulus (NaN values left out),
    Pearson r per neuroid is taken between the halves across stimuli and corrected with Spearman-Brown
    ``2r / (1 + r)``; the split value is the median over neuroids, the ceiling the mean over splits
    (error std / sqrt(n_splits)).

    Uneven repetitions (e.g. 6-10 repeats per image) are fine: a stimulus without any finite value in one half
    of a split is left out of that split's correlation for that neuroid (pairwise deletion). A neuroid whose r
    is undefined (constant, or fewer than 3 usable stimuli) is left out of the median with a warning.

    Each ``(stimulus_id, split_coord)`` pair must label one row: a duplicated pair (probably another stimulus's
    response under a wrong id) is refused with :class:`~brainscore_core.errors.InvalidAssemblyError`. A caller
    whose ``split_coord`` labels deliberately group several repeats of a stimulus (e.g. the even and the odd
    repeats) declares it with ``grouped_repetitions=True``; the rows of a label are then averaged within its half.
    """

    identifier = "internal_consistency"
    valid_range = (-1.0, 1.0)

    def __init__(
        self, split_coord: str = "repetition", split_spec: SplitSpec = HALF_SPLITS, *, grouped_repetitions: bool = False
    ) -> None:
        self.split_coord = split_coord
        self.split_spec = split_spec
        self.grouped_repetitions = grouped_repetitions

    def __call__(self, assembly: xr.DataArray) -> Score:
        assembly = self._validate(assembly)
        stimuli, stimulus_index = np.unique(np.asarray(assembly.coords["stimulus_id"].values), return_inverse=True)
        repetition_values = np.asarray(assembly.coords[self.split_coord].values)
        repetitions, repetition_index = np.unique(repetition_values, return_inverse=True)
        if len(repetitions) < 2:
            raise MetricInputError(
                f"internal_consistency needs at least 2 distinct {self.split_coord!r} values to split in halves, "
                f"got {len(repetitions)}."
            )
        splits = split_half_groups(len(repetitions), self.split_spec)
        values = np.asarray(assembly.values, dtype=float)
        first = self._half_means(values, stimulus_index, repetition_index, len(stimuli), splits, "train")
        second = self._half_means(values, stimulus_index, repetition_index, len(stimuli), splits, "test")
        correlations = nan_pearson_columns(first, second, min_pairs=3)  # (split, neuroid)
        corrected = spearman_brown(correlations)
        per_split = median_ignoring_nan(corrected, axis=-1, what="neuroids")
        value, error = mean_and_error(per_split)
        split_index = np.arange(len(splits))
        neuroid_coords = {
            str(n): (NEUROID, np.asarray(c.values)) for n, c in assembly.coords.items() if c.dims == (NEUROID,)
        }
        coords = {"split": split_index, **neuroid_coords}
        return Score(
            value=value,
            error=error,
            details={
                "split_neuroid": xr.DataArray(corrected, dims=("split", NEUROID), coords=coords),
                "split_neuroid_uncorrected": xr.DataArray(correlations, dims=("split", NEUROID), coords=coords),
                "split": xr.DataArray(per_split, dims=("split",), coords={"split": split_index}),
            },
            attrs={
                "ceiling": self.identifier,
                "n_splits": len(splits),
                "n_repetitions": len(repetitions),
                "n_stimuli": len(stimuli),
                "correction": "Spearman-Brown 2r/(1+r) per neuroid",
            },
        )

    def _validate(self, assembly: xr.DataArray) -> xr.DataArray:
        if not isinstance(assembly, xr.DataArray):
            raise MetricInputError(f"internal_consistency needs an xarray.DataArray, got {type(assembly).__name__}.")
        if "time_bin" in assembly.dims:
            if assembly.sizes["time_bin"] != 1:
                raise MetricInputError(
                    f"The assembly has {assembly.sizes['time_bin']} time bins; select one with .isel(time_bin=i) first."
                )
            assembly = assembly.isel(time_bin=0, drop=True)
        if set(assembly.dims) != {PRESENTATION, NEUROID}:
            raise MetricInputError(
                f"internal_consistency needs dims ('presentation', 'neuroid'), got {tuple(assembly.dims)}."
            )
        for name in ("stimulus_id", self.split_coord):
            if name not in assembly.coords or assembly.coords[name].dims != (PRESENTATION,):
                raise MetricInputError(
                    f"internal_consistency needs a {name!r} coordinate on 'presentation' (one row per stimulus and "
                    f"repetition); the assembly has {sorted(str(c) for c in assembly.coords)}."
                )
        if not self.grouped_repetitions:
            self._refuse_duplicated_rows(assembly)
        return assembly.transpose(PRESENTATION, NEUROID)

    def _refuse_duplicated_rows(self, assembly: xr.DataArray) -> None:
        """Raise :class:`InvalidAssemblyError` naming the assembly and the pairs when a (stimulus_id,
        split_coord) pair labels more than one row."""
        ids = np.asarray(assembly.coords["stimulus_id"].values)
        labels = np.asarray(assembly.coords[self.split_coord].values)
        _, id_codes = np.unique(ids, return_inverse=True)
        _, label_codes = np.unique(labels, return_inverse=True)
        pairs = np.stack([id_codes.ravel(), label_codes.ravel()], axis=1)
        _, first, counts = np.unique(pairs, axis=0, return_index=True, return_counts=True)
        repeated = np.sort(first[counts > 1])
        if not len(repeated):
            return
        name = assembly.name or assembly.attrs.get("identifier")
        what = f"assembly {name!r}" if name else "assembly"
        shown = ", ".join(repr((ids[i].item(), labels[i].item())) for i in repeated[:5])
        raise InvalidAssemblyError(
            f"internal_consistency: the {what} has {len(repeated)} duplicated (stimulus_id, {self.split_coord}) "
            f"rows, e.g. {shown}{' ...' if len(repeated) > 5 else ''}: two rows claim to be the same presentation, "
            f"so one of them is probably another stimulus's response. Fix the stimulus ids or the "
            f"{self.split_coord!r} labels (one row per stimulus and {self.split_coord}); if each label deliberately "
            "groups several repeats of a stimulus (e.g. even/odd halves), declare it with "
            "InternalConsistency(grouped_repetitions=True). Nothing was computed."
        )

    @staticmethod
    def _half_means(
        values: np.ndarray,
        stimulus_index: np.ndarray,
        repetition_index: np.ndarray,
        n_stimuli: int,
        splits: list[Split],
        part: str,
    ) -> np.ndarray:
        """Per split, the mean over the half's repetitions per stimulus: ``(split, stimulus, neuroid)``, NaN if none."""
        n_rows = len(values)
        membership = np.zeros((len(splits), int(repetition_index.max()) + 1), dtype=bool)
        for s, split in enumerate(splits):
            membership[s, getattr(split, part)] = True
        split_of_row, row = np.nonzero(membership[:, repetition_index])
        selector = sparse.csr_matrix(
            (np.ones(len(row)), (split_of_row * n_stimuli + stimulus_index[row], row)),
            shape=(len(splits) * n_stimuli, n_rows),
        )
        finite = np.isfinite(values)
        sums = selector @ np.where(finite, values, 0.0)
        counts = selector @ finite.astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
        return means.reshape(len(splits), n_stimuli, values.shape[1])
