"""Checking and aligning a metric's inputs: two-dimensional responses, and the rows of source and target matched
by ``stimulus_id``."""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..assemblies import validate_neuroid_assembly
from ..errors import MetricInputError
from ._checks import check_response_values

__all__ = ["matched_stimulus_order", "two_dim_responses"]


def matched_stimulus_order(
    source_ids: np.ndarray, target_ids: np.ndarray, *, sort: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Positions that put source and target in the target's stimuli sorted by ``stimulus_id`` (in the target's
    own order with ``sort=False``).

    The source must contain every target stimulus once (it may contain more); the target must not repeat ids.
    """
    for role, ids in (("source", source_ids), ("target", target_ids)):
        unique, counts = np.unique(ids, return_counts=True)
        if (counts > 1).any():
            raise MetricInputError(
                f"The {role} repeats stimulus_id {unique[counts > 1][:5].tolist()}; the metric needs one row per "
                "stimulus. If the rows are repetitions, label them with a 'repetition' coord and average them "
                "first (brainscore_core.average_repetitions); otherwise fix the ids."
            )
    if len(source_ids) == 0 or len(target_ids) == 0:
        raise MetricInputError(
            f"No stimuli to compare: the source has {len(source_ids)}, the target {len(target_ids)}."
        )
    target_order = np.argsort(target_ids, kind="stable") if sort else np.arange(len(target_ids))
    wanted = target_ids[target_order]
    source_sorter = np.argsort(source_ids, kind="stable")
    found = np.searchsorted(source_ids, wanted, sorter=source_sorter)
    found = np.minimum(found, len(source_ids) - 1)
    source_order = source_sorter[found]
    missing = source_ids[source_order] != wanted
    if missing.any():
        raise MetricInputError(
            f"The source lacks {int(missing.sum())} of the target's {len(wanted)} stimuli "
            f"(e.g. stimulus_id {wanted[missing][:5].tolist()}); the model must be shown every stimulus of the data."
        )
    return source_order, target_order


def two_dim_responses(assembly: xr.DataArray, side: str = "assembly") -> xr.DataArray:
    """Validate a neural assembly and require dims ``(presentation, neuroid)`` (no time bins) and usable values.

    Values are checked by :func:`brainscore_core.metrics._checks.check_response_values` (NaN, Inf, 0 neuroids and
    overflowing magnitudes raise :class:`MetricInputError` naming ``side``), as on the regression path.
    """
    assembly = validate_neuroid_assembly(assembly)
    if assembly.ndim != 2:
        raise MetricInputError(
            f"RDM-based metrics take (presentation, neuroid) responses, got dims {tuple(assembly.dims)} for the "
            f"{side}; select one time bin first (assembly.isel(time_bin=0))."
        )
    check_response_values(assembly, side)
    return assembly
