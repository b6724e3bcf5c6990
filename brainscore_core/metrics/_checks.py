"""Input checks shared by every metric family (regression, RDM/RSA, CKA), so they refuse bad values alike.

A metric compares a **source** (the model's responses) with a **target** (the data). Each side must hold numbers,
at least one neuroid, no NaN or infinite value and no value so large that the products a metric forms (Gram
matrices, covariances, norms) overflow float64. Each failure raises :class:`MetricInputError` naming the side.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..errors import MetricInputError

__all__ = ["MAX_ABS_VALUE", "SOURCE", "TARGET", "check_response_values", "examples"]

SOURCE = "source (model)"
TARGET = "target (data)"
MAX_ABS_VALUE = 1e50
"""The largest magnitude a response may have. CKA forms fourth powers of the values (Gram matrices, then sums of
their products) and regressions squares of squares (eigenvalues of covariances); at 1e50 these stay far inside
float64 (max ~1.8e308) for any realistic size, while larger finite values make them overflow to Inf or NaN."""


def examples(values: np.ndarray, count: int = 3) -> str:
    """The first ``count`` of ``values`` as a comma-separated list of reprs, with ``...`` when there are more."""
    values = np.asarray(values)
    shown = ", ".join(repr(v.item() if hasattr(v, "item") else v) for v in values[:count])
    return shown + (", ..." if len(values) > count else "")


def _neuroid_names(assembly: xr.DataArray, columns: np.ndarray) -> np.ndarray:
    if "neuroid_id" in assembly.coords and assembly.coords["neuroid_id"].dims == ("neuroid",):
        return np.asarray(assembly.coords["neuroid_id"].values)[columns]
    return columns


def check_response_values(assembly: xr.DataArray, side: str) -> None:
    """Refuse a ``(presentation, neuroid)`` assembly a metric cannot use, naming ``side`` (e.g. ``SOURCE``).

    Raises :class:`MetricInputError` for non-numeric values, 0 neuroids, NaN or infinite values (naming the
    neuroids) and finite values beyond :data:`MAX_ABS_VALUE` (naming the neuroid and the value).
    """
    values = np.asarray(assembly.values)
    if not np.issubdtype(values.dtype, np.number):
        raise MetricInputError(f"The {side} assembly holds {values.dtype} values; numbers are needed.")
    if values.ndim < 2 or values.shape[1] == 0:
        raise MetricInputError(
            f"The {side} assembly has 0 neuroids (shape {values.shape}); a metric needs at least one. "
            "Check the recorded layer or region and any neuroid selection that produced it."
        )
    if values.shape[0] == 0:
        return
    axes = (0, *range(2, values.ndim))  # everything but the neuroid axis; no temporary as large as the values
    highest, lowest = values.max(axis=axes), values.min(axis=axes)  # NaN propagates, Inf shows at either end
    finite_columns = np.isfinite(highest) & np.isfinite(lowest)
    if not finite_columns.all():
        columns = np.flatnonzero(~finite_columns)
        fix = (
            "The model's recorded layer produced them (e.g. an overflow, a division by zero or uninitialised "
            "weights): fix the model or record another layer."
            if side == SOURCE
            else "Drop those neuroids or fill the missing values first."
        )
        raise MetricInputError(
            f"The {side} assembly has NaN or infinite values in {len(columns)} neuroids "
            f"(e.g. {examples(_neuroid_names(assembly, columns))}). {fix}"
        )
    magnitude = np.maximum(np.abs(highest.astype(float)), np.abs(lowest.astype(float)))
    if magnitude.max() > MAX_ABS_VALUE:
        columns = np.flatnonzero(magnitude > MAX_ABS_VALUE)
        worst = columns[np.argmax(magnitude[columns])]
        raise MetricInputError(
            f"The {side} assembly has values too large to compare in {len(columns)} neuroids (e.g. "
            f"{examples(_neuroid_names(assembly, columns))}; largest |value| {magnitude[worst]:.3g} > "
            f"{MAX_ABS_VALUE:.0e}): the metric's products would overflow float64. Rescale the responses (e.g. "
            "z-score each neuroid) or drop those neuroids first."
        )
