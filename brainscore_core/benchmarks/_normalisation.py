"""Ceiling normalisations: how a benchmark turns a raw score and its ceiling into the ceiled score.

- :func:`ceil_squared`: ``raw**2 / ceiling`` (neural predictivity, Brain-Score since January 2026);
- :func:`ceil_ratio`: ``raw / ceiling`` (RSA, behaviour; the raw score when there is no ceiling);
- :func:`ceil_per_repetition`: the mean over repetitions of ``raw / sqrt(ceiling)`` (Rajalingham2018's i1 / i2n).

Each clips to [0, 1], keeps the unclipped value, carries the error to the ceiled scale (:func:`ceiled_error`)
and warns (:class:`UnreliableCeilingWarning`) when the ceiling is not reliably above zero; a ceiling of exactly 0
gives a NaN score (undefined), never a ``ZeroDivisionError``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import xarray as xr

from ..errors import MetricInputError
from ..score import Score, clip_score

__all__ = [
    "CEILING_FORMULAS",
    "UnreliableCeilingWarning",
    "ceil_per_repetition",
    "ceil_ratio",
    "ceil_squared",
    "ceiled_error",
    "ceiling_unreliability",
    "warn_if_ceiling_unreliable",
]


class UnreliableCeilingWarning(UserWarning):
    """A ceiling is not reliably above zero, so scores ceiled by it are the raw score times an arbitrary constant."""


def ceiling_unreliability(ceiling: Score) -> str | None:
    """Why ``ceiling`` is not reliably above zero, from what it carries; None when nothing says so.

    Checked: its lower bound ``attrs['lower']`` (e.g. the leave-one-subject-out bound) is <= 0; its value is
    within two errors of zero; its value is not above ``attrs['shuffled']`` (the highest of the same estimate with
    the stimulus labels shuffled, which :class:`NeuralBenchmark` and :class:`RSABenchmark` record).
    """
    value, error = float(ceiling), ceiling.error
    lower, shuffled = ceiling.attrs.get("lower"), ceiling.attrs.get("shuffled")
    if isinstance(lower, (int, float)) and lower <= 0:
        return f"its lower bound is {lower:.4f} <= 0"
    if not math.isnan(error) and value - 2 * error <= 0 < value:
        return f"it is {value:.4f} +- {error:.4f}, within two errors of 0"
    if value <= 0:
        return f"it is {value:.4f} <= 0"
    if isinstance(shuffled, (int, float)) and value <= shuffled:
        draws, mean = ceiling.attrs.get("shuffled_permutations"), ceiling.attrs.get("shuffled_mean")
        null = f" (the highest of {draws} permutations, mean {mean:.4f})" if isinstance(mean, (int, float)) else ""
        return f"it is {value:.4f}, not above {shuffled:.4f} with the stimulus labels shuffled{null}"
    return None


def warn_if_ceiling_unreliable(ceiling: Score | None, benchmark: str | None = None) -> None:
    """Warn (:class:`UnreliableCeilingWarning`) when ``ceiling`` is not reliably above zero (see
    :func:`ceiling_unreliability`); called whenever a score is ceiled."""
    reason = None if ceiling is None or math.isnan(float(ceiling)) else ceiling_unreliability(ceiling)
    if reason is not None and ceiling is not None:  # a reason implies a ceiling
        benchmark = benchmark or ceiling.benchmark_identifier
        name = f"The ceiling of {benchmark}" if benchmark else "The ceiling"
        warnings.warn(
            f"{name} is not reliably above zero: {reason}. Ceiled scores are then the raw score times an arbitrary "
            "constant; compare raw scores, or improve the ceiling's estimate (more subjects or repetitions).",
            UnreliableCeilingWarning,
            stacklevel=3,
        )


#: The ceiling normalisations, by their ``attrs['ceiling_formula']``: the derivative of the ceiled value with
#: respect to the raw score, given (raw, ceiling). Errors are propagated with it (see :func:`ceiled_error`).
CEILING_FORMULAS: dict[str, Callable[[float, float], float]] = {
    "raw / ceiling": lambda raw, ceiling: 1.0 / ceiling,
    "raw**2 / ceiling": lambda raw, ceiling: 2.0 * abs(raw) / ceiling,
}


def ceiled_error(raw: float, raw_error: float, ceiling: float | None, formula: str) -> float:
    """``raw_error`` carried to the ceiled scale of ``formula`` (a key of :data:`CEILING_FORMULAS`), to first order.

    With no ceiling the error is unchanged. An unknown formula raises ``KeyError``.
    """
    if ceiling is None:
        return float(raw_error)
    if float(ceiling) == 0:
        return math.nan  # as the ceiled value (see :func:`_divided`)
    return float(abs(CEILING_FORMULAS[formula](float(raw), float(ceiling))) * raw_error)


def _divided(numerator: float, ceiling: float) -> float:
    """``numerator / ceiling``; NaN for a ceiling of 0 (no scale to ceil on: the score is undefined, never a
    ``ZeroDivisionError``; :func:`warn_if_ceiling_unreliable` says why)."""
    return math.nan if ceiling == 0 else numerator / ceiling


def _ceiled(raw: Score, ceiling: Score | None, unclipped: float, formula: str, **attrs: Any) -> Score:
    details = dict(raw.details)
    if ceiling is not None:
        details.update({f"ceiling_{name}": array for name, array in ceiling.details.items()})
    merged_attrs = {**raw.attrs, **{f"ceiling_{k}": v for k, v in (ceiling.attrs if ceiling else {}).items()}}
    merged_attrs.update(attrs, ceiling_formula=formula)
    warn_if_ceiling_unreliable(ceiling)
    if ceiling is not None:
        merged_attrs["ceiling_error"] = ceiling.error
    ceiling_value = None if ceiling is None else float(ceiling)
    error = raw.error if ceiling_value is None else ceiled_error(float(raw), raw.error, ceiling_value, formula)
    return Score(
        value=clip_score(unclipped),
        error=error,
        raw=float(raw),
        raw_error=raw.error,
        ceiling=ceiling_value,
        unclipped=unclipped,
        details=details,
        attrs=merged_attrs,
    )


def ceil_squared(raw: Score, ceiling: Score, *, clip: bool = True) -> Score:
    """Neural ceiling normalisation (Brain-Score since January 2026): ``raw**2 / ceiling``, clipped to [0, 1].

    The error becomes ``2 * |raw| * raw_error / ceiling`` (``raw_error`` keeps ``raw``'s); the unclipped value is
    kept as ``unclipped``. ``clip=False`` keeps the value unclipped, as Brain-Score 2.4's ``explained_variance``
    does (its standard public benchmarks use that, so their scores are the leaderboard's).
    """
    unclipped = _divided(float(raw) ** 2, float(ceiling))
    score = _ceiled(raw, ceiling, unclipped, "raw**2 / ceiling")
    if not clip:
        score.value = unclipped
        score.attrs["clipping"] = "none (Brain-Score 2.4's explained_variance)"
    return score


def ceil_ratio(raw: Score, ceiling: Score | None) -> Score:
    """Ratio normalisation ``raw / ceiling`` clipped to [0, 1]; with no ceiling the value is ``raw`` (clipped).

    The error becomes ``raw_error / ceiling`` (unchanged without a ceiling; ``raw_error`` keeps ``raw``'s).
    """
    if ceiling is None:
        return _ceiled(raw, None, float(raw), "none (no ceiling can be estimated)")
    return _ceiled(raw, ceiling, _divided(float(raw), float(ceiling)), "raw / ceiling")


def ceil_per_repetition(raw: Score, ceiling: Score) -> Score:
    """Ceil an ``i1`` / ``i2n`` score as Brain-Score's Rajalingham2018 benchmark does.

    Per repetition ``raw / sqrt(ceiling)`` (both computed on the same halves); value = mean over repetitions,
    clipped to [0, 1] (``unclipped`` keeps it), error = std (ddof 0) of the ceiled repetitions.
    """
    raw_splits, ceiling_splits = raw.details.get("split"), ceiling.details.get("split")
    if raw_splits is None or ceiling_splits is None or raw_splits.shape != ceiling_splits.shape:
        raise MetricInputError(
            "Ceiling per repetition needs per-repetition values ('split' details) of the same length for the score "
            "and the ceiling; compute both with the same repetitions and seed."
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        ceiled = np.asarray(raw_splits.values, dtype=float) / np.sqrt(np.asarray(ceiling_splits.values, dtype=float))
    unclipped = float(np.mean(ceiled))
    split = np.arange(len(ceiled))
    return Score(
        value=clip_score(unclipped),
        error=float(np.std(ceiled)),
        raw=float(raw),
        ceiling=float(ceiling),
        unclipped=unclipped,
        details={
            "split": xr.DataArray(ceiled, dims=("split",), coords={"split": split}),
            "raw_split": xr.DataArray(np.asarray(raw_splits.values), dims=("split",), coords={"split": split}),
            "ceiling_split": xr.DataArray(np.asarray(ceiling_splits.values), dims=("split",), coords={"split": split}),
        },
        attrs={**raw.attrs, "ceiling_formula": "mean over repetitions of raw / sqrt(ceiling)"},
    )
