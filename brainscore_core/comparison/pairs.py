"""The paired gate for one (model, benchmark) pair from what a baseline stores and what a run scored.

:func:`gate_pair` takes both sides' paired-unit records (their JSON dicts, as ``score.attrs["paired_units"]``
and a format-2 baseline entry's ``paired`` block hold them), the benchmark's ceiling formula and both raw scores,
and returns the :class:`~brainscore_core.comparison.GateResult`: the scale from raw to ceiled differences
(:func:`gate_scale`), :func:`~brainscore_core.comparison.compare_units`, then
:func:`~brainscore_core.comparison.decide`. Records that cannot be paired (other stimuli, subjects or kinds) give
an ``incomparable`` result naming what differs; records the paired test cannot handle at all raise
:class:`PairingUnavailable`, and the caller falls back to the unpaired rule.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .decision import GateResult, decide, incomparable
from .estimates import explained_variance_scale, linear_scale
from .units import Record, SubjectStimulusUnits, UnitsMismatch, compare_units, units_from_dict

__all__ = ["PairingUnavailable", "gate_pair", "gate_scale"]

#: Ceiling formulas (``score.attrs["ceiling_formula"]``) whose raw-to-ceiled map the gate knows.
_LINEAR = "raw / ceiling"
_SQUARED = "raw**2 / ceiling"
_NONE_PREFIX = "none"


class PairingUnavailable(ValueError):
    """The paired test cannot be run for this pair (the message says why); use the unpaired rule instead."""


def gate_scale(
    formula: str | None, ceiling: float | None, raw_a: float, raw_b: float, units_a: Record
) -> tuple[float, str]:
    """(factor from a raw difference to a ceiled one, note) for the benchmark's ceiling ``formula``.

    ``raw / ceiling``: ``1/c``; ``raw**2 / ceiling``: ``(raw_A + raw_B)/c``; no ceiling: 1. A raw score that is
    the absolute value of its units' mean (error consistency: ``|mean signed kappa|``) flips the sign when A's
    units average below zero. A ceiling that is missing or not above zero gates on the raw scale (the note says
    so). Another formula (e.g. per-repetition ceilings) raises :class:`PairingUnavailable`.
    """
    note = ""
    if formula is None or formula.startswith(_NONE_PREFIX):
        factor = 1.0
    elif formula in (_LINEAR, _SQUARED):
        if ceiling is None or not (math.isfinite(ceiling) and ceiling > 0):
            factor, note = 1.0, f"raw scale: the ceiling {ceiling!r} is not above 0"
        elif formula == _LINEAR:
            factor = linear_scale(ceiling)
        else:
            factor = explained_variance_scale(raw_a, raw_b, ceiling)
    else:
        raise PairingUnavailable(f"the paired test does not know the ceiling formula {formula!r}")
    if isinstance(units_a, SubjectStimulusUnits) and float(np.mean(units_a.by_subject)) < 0 < raw_a:
        factor = -factor  # raw = |mean of signed units|
    return factor, note


def gate_pair(
    baseline: dict[str, Any],
    current: dict[str, Any],
    *,
    formula: str | None,
    ceiling: float | None,
    raw_a: float,
    raw_b: float,
    score_a: float | None,
    score_b: float | None,
    alpha: float,
    tol: float,
    n_comparisons: int = 1,
) -> GateResult:
    """The paired verdict for one pair: A (``baseline`` record dict, ``raw_a``) against B (``current``, ``raw_b``).

    ``ceiling``/``formula`` are this run's (A and B share the benchmark version, hence the ceiling). ``score_*``
    are the displayed ceiled scores. ``n_comparisons > 1`` applies Bonferroni (see :func:`decide`).
    """
    units_a, units_b = units_from_dict(baseline), units_from_dict(current)
    factor, scale_note = gate_scale(formula, ceiling, raw_a, raw_b, units_a)
    try:
        estimate = compare_units(units_a, units_b, scale=factor)
    except UnitsMismatch as error:
        return incomparable(str(error), score_a=score_a, score_b=score_b)
    except ValueError as error:  # e.g. class-index decisions without the benchmark's statistic
        raise PairingUnavailable(str(error)) from None
    result = decide(estimate, alpha=alpha, tol=tol, n_comparisons=n_comparisons, score_a=score_a, score_b=score_b)
    if scale_note:
        note = f"{result.note}; {scale_note}" if result.note else scale_note
        result = GateResult(**{**result.__dict__, "note": note})
    return result
