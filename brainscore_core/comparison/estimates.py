"""Paired estimates of ``Δ = score_B - score_A`` (B = this run, A = baseline), one function per benchmark family.

Every function takes the *paired units* a score averages over (splits, subjects, stimuli) for both sides and
returns a :class:`PairedEstimate`: Δ and its standard error on the gate's scale, the degrees of freedom, or an
exact one-sided p-value for the McNemar test. :func:`brainscore_core.comparison.decide` turns it into a verdict.

Scale. Pass *raw* (unceiled, unclipped) unit values and ``scale``, the factor from a raw difference to a
difference on the ceiled scale: ``1 / ceiling`` for a linear ceiling (:func:`linear_scale`),
``(mean_A + mean_B) / ceiling`` for Brain-Score's explained-variance ceiling ``raw**2 / ceiling``
(:func:`explained_variance_scale`), 1 when the benchmark has no ceiling. Δ and SE are both multiplied by
``scale``, so ``t``, ``df`` and ``p`` do not depend on the ceiling; only the tolerance comparison does.

"Unchanged". When both sides' unit values are equal at the baseline's stored precision
(:data:`STORED_DIGITS` significant digits, see :func:`stored`), the estimate is marked ``identical`` and no
test is run.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

__all__ = [
    "STORED_DIGITS",
    "PairedEstimate",
    "explained_variance_scale",
    "jackknife_variance",
    "linear_scale",
    "mcnemar_test",
    "nadeau_bengio_factor",
    "satterthwaite_df",
    "split_test",
    "stimulus_jackknife_test",
    "stored",
    "subject_stimulus_test",
    "unpaired_split_test",
    "unpaired_test",
]

STORED_DIGITS = 7
"""Significant digits of unit values in a baseline (rounding error <= 5e-8, far below any standard error)."""


@dataclass(frozen=True)
class PairedEstimate:
    """Δ (ceiled scale, B minus A) with what the one-sided test needs.

    ``kind == "t"``: Student t with ``se`` and ``df``. ``kind == "exact"``: ``p_worse`` / ``p_better`` are exact
    one-sided p-values (McNemar) and ``se`` is the large-sample standard error, used for the bound and the
    minimum detectable drop. ``resampled`` says in a few words what the test generalises over (it is printed in
    brackets on the CI line). ``paired`` is False for a fallback that ignores the pairing; ``note`` says why.
    """

    delta: float
    se: float
    df: float
    resampled: str
    kind: Literal["t", "exact"] = "t"
    p_worse: float | None = None
    p_better: float | None = None
    identical: bool = False
    paired: bool = True
    note: str = ""


def linear_scale(ceiling: float) -> float:
    """Raw-to-ceiled factor for ``score = raw / ceiling``."""
    _check_ceiling(ceiling)
    return 1.0 / ceiling


def explained_variance_scale(mean_a: float, mean_b: float, ceiling: float) -> float:
    """Raw-to-ceiled factor for ``score = raw**2 / ceiling``: ``(mean_A + mean_B) / ceiling``.

    Exact for Δ (``(b**2 - a**2)/c = (b - a)(a + b)/c``), first order for its standard error.
    """
    _check_ceiling(ceiling)
    return (mean_a + mean_b) / ceiling


def _check_ceiling(ceiling: float) -> None:
    if not (math.isfinite(ceiling) and ceiling > 0):
        raise ValueError(
            f"ceiling must be a finite positive number, got {ceiling!r}; gate on the raw scale (scale=1) when the "
            "ceiling is not reliably above 0."
        )


def stored(values: np.ndarray) -> np.ndarray:
    """``values`` rounded to :data:`STORED_DIGITS` significant digits, as a baseline stores them."""
    values = np.asarray(values, dtype=float)
    return np.vectorize(lambda x: float(f"{x:.{STORED_DIGITS}g}"), otypes=[float])(values) if values.size else values


def _identical(*pairs: tuple[np.ndarray, np.ndarray]) -> bool:
    """True when every pair is equal at the stored precision (a cheap tolerance check rules most pairs out)."""
    for a, b in pairs:
        if np.array_equal(a, b):
            continue
        if np.any(np.abs(a - b) > 1e-6 * (np.abs(a) + np.abs(b))) or not np.array_equal(stored(a), stored(b)):
            return False
    return True


def _as_float(values: np.ndarray, name: str, ndim: int) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {array.shape}.")
    return array


def _same_shape(a: np.ndarray, b: np.ndarray, what: str) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{what}: baseline has shape {a.shape}, this run {b.shape}; the units are not paired (different "
            "splits, subjects or stimuli). Compare only records with the same fingerprint."
        )


def nadeau_bengio_factor(n_splits: int, n_train: int, n_test: int) -> float:
    """``1/J + n_test/n_train``: the corrected variance factor of a mean over J random train/test splits."""
    if n_splits < 2 or n_train < 1 or n_test < 1:
        raise ValueError(
            f"the corrected resampled t-test needs >= 2 splits and positive set sizes, got J={n_splits}, "
            f"n_train={n_train}, n_test={n_test}."
        )
    return 1.0 / n_splits + n_test / n_train


def split_test(
    scores_a: np.ndarray, scores_b: np.ndarray, *, n_train: int, n_test: int, scale: float = 1.0
) -> PairedEstimate:
    """Corrected resampled t-test (Nadeau & Bengio 2003) on per-split paired differences.

    ``scores_*``: the J raw per-split scores (e.g. median r over neuroids), split j the same on both sides.
    ``SE² = (1/J + n_test/n_train)·var(d, ddof=1)``, ``df = J - 1``.
    """
    a = _as_float(scores_a, "scores_a", 1)
    b = _as_float(scores_b, "scores_b", 1)
    _same_shape(a, b, "per-split scores")
    _finite(a, b, "per-split scores")
    label = f"{a.size} splits, Nadeau-Bengio"
    if _identical((a, b)):
        return PairedEstimate(0.0, 0.0, a.size - 1, label, identical=True)
    d = (b - a) * scale
    factor = nadeau_bengio_factor(d.size, n_train, n_test)
    return PairedEstimate(float(d.mean()), math.sqrt(factor * d.var(ddof=1)), d.size - 1, label)


def unpaired_split_test(
    scores_a: np.ndarray,
    scores_b: np.ndarray,
    *,
    n_train: tuple[int, int],
    n_test: tuple[int, int],
    scale: float = 1.0,
    note: str = "splits differ; unpaired",
) -> PairedEstimate:
    """Fallback when the splits differ: each side's own corrected SE, combined ``SE² = SE_A² + SE_B²``, Welch df.

    ``n_train`` / ``n_test`` are (baseline, this run). It ignores the A-B correlation, so it has far less power
    than :func:`split_test`; it is still calibrated when A and B are independent.
    """
    a = _as_float(scores_a, "scores_a", 1)
    b = _as_float(scores_b, "scores_b", 1)
    _finite(a, b, "per-split scores")
    var_a = nadeau_bengio_factor(a.size, n_train[0], n_test[0]) * a.var(ddof=1) * scale**2
    var_b = nadeau_bengio_factor(b.size, n_train[1], n_test[1]) * b.var(ddof=1) * scale**2
    df = satterthwaite_df((var_a, a.size - 1), (var_b, b.size - 1))
    delta = float((b.mean() - a.mean()) * scale)
    label = f"{a.size} vs {b.size} splits, unpaired"
    return PairedEstimate(delta, math.sqrt(var_a + var_b), df, label, paired=False, note=note)


def unpaired_test(
    score_a: float, error_a: float, score_b: float, error_b: float, *, n_units: int, note: str
) -> PairedEstimate:
    """Transition fallback for a baseline without units: ``SE = sqrt(e_A² + e_B²)`` (errors on the ceiled
    scale, ddof 1), ``df = n_units - 1``. Liberal for RSA and behaviour (it ignores the stimuli); say so in ``note``.
    """
    if not all(math.isfinite(x) and x >= 0 for x in (error_a, error_b)):
        raise ValueError(f"unpaired_test needs finite non-negative errors, got {error_a!r} and {error_b!r}.")
    if n_units < 2:
        raise ValueError(f"unpaired_test needs n_units >= 2, got {n_units}.")
    label = f"{n_units} units, unpaired"
    return PairedEstimate(score_b - score_a, math.hypot(error_a, error_b), n_units - 1, label, paired=False, note=note)


def jackknife_variance(leave_one_out: np.ndarray, axis: int = -1) -> np.ndarray:
    """Delete-one (or delete-one-group) jackknife variance ``(G-1)/G · Σ (θ_(g) - θ̄)²`` along ``axis``."""
    theta = np.asarray(leave_one_out, dtype=float)
    n = theta.shape[axis]
    if n < 2:
        raise ValueError(f"a jackknife needs >= 2 deletion units, got {n}.")
    centred = theta - theta.mean(axis=axis, keepdims=True)
    return (n - 1) / n * np.sum(centred**2, axis=axis)


def satterthwaite_df(*components: tuple[float, float]) -> float:
    """Welch-Satterthwaite df of a sum of variance components given as ``(variance, df)`` pairs."""
    total = sum(v for v, _ in components)
    denominator = sum(v**2 / df for v, df in components if df > 0 and v > 0)
    if total <= 0 or denominator == 0:
        return float(max((df for _, df in components), default=1))
    return total**2 / denominator


def subject_stimulus_test(
    by_subject_a: np.ndarray,
    by_subject_b: np.ndarray,
    loo_a: np.ndarray,
    loo_b: np.ndarray,
    *,
    scale: float = 1.0,
    unit: str = "stimulus",
) -> PairedEstimate:
    """Subjects ⊕ stimuli paired test (Clark's min F' in t form), for RSA and error consistency.

    ``by_subject_*``: shape (S,), each subject's raw value (Spearman rho, signed mean kappa). ``loo_*``: shape (S, G),
    the same value with stimulus (or stimulus group) g left out. ``SE² = var(d_s, ddof=1)/S + v_jack`` where
    ``v_jack`` is the jackknife variance of the subject-mean difference; Satterthwaite df. One subject: the
    stimulus jackknife alone, ``df = G - 1``. ``unit`` names a deletion unit in the report ("stimulus",
    "stimulus-group").
    """
    a = _as_float(by_subject_a, "by_subject_a", 1)
    b = _as_float(by_subject_b, "by_subject_b", 1)
    la = _as_float(loo_a, "loo_a", 2)
    lb = _as_float(loo_b, "loo_b", 2)
    _same_shape(a, b, "per-subject values")
    _same_shape(la, lb, "leave-one-out values")
    if la.shape[0] != a.size:
        raise ValueError(f"leave-one-out values have {la.shape[0]} subject rows but there are {a.size} subjects.")
    _finite(a, b, "per-subject values")
    _finite(la, lb, "leave-one-out values")
    n_subjects, n_groups = la.shape
    subjects = f"{n_subjects} subject{'s' if n_subjects != 1 else ''} ⊕ " if n_subjects > 1 else ""
    label = f"{subjects}{n_groups}-{unit} jackknife"
    if _identical((a, b), (la, lb)):
        return PairedEstimate(0.0, 0.0, n_groups - 1, label, identical=True)
    d = (b - a) * scale
    theta = ((lb - la) * scale).mean(axis=0)
    v_stim = float(jackknife_variance(theta))
    v_subj = float(d.var(ddof=1) / n_subjects) if n_subjects > 1 else 0.0
    df = satterthwaite_df((v_subj, n_subjects - 1), (v_stim, n_groups - 1))
    return PairedEstimate(float(d.mean()), math.sqrt(v_subj + v_stim), df, label)


def stimulus_jackknife_test(
    values_a: np.ndarray,
    values_b: np.ndarray,
    statistic: Callable[[np.ndarray], float],
    *,
    scale: float = 1.0,
) -> PairedEstimate:
    """Delete-one-stimulus jackknife of ``statistic(values_B) - statistic(values_A)`` (e.g. shape bias).

    ``values_*``: per-stimulus values (decisions), stimulus i the same on both sides; ``statistic`` maps such a
    vector (or any subset of it) to the raw score. ``df = N - 1``.
    """
    a = np.asarray(values_a)
    b = np.asarray(values_b)
    _same_shape(a, b, "per-stimulus values")
    n = a.shape[0]
    label = f"{n}-stimulus jackknife"
    if np.array_equal(a, b):
        return PairedEstimate(0.0, 0.0, n - 1, label, identical=True)
    keep = ~np.eye(n, dtype=bool)
    theta = np.array([statistic(b[row]) - statistic(a[row]) for row in keep]) * scale
    if not np.all(np.isfinite(theta)):
        raise ValueError("the statistic is undefined (NaN) for some leave-one-stimulus-out subset.")
    delta = (statistic(b) - statistic(a)) * scale
    return PairedEstimate(float(delta), math.sqrt(float(jackknife_variance(theta))), n - 1, label)


def mcnemar_test(correct_a: np.ndarray, correct_b: np.ndarray, *, scale: float = 1.0) -> PairedEstimate:
    """Exact one-sided McNemar test on per-stimulus correctness (top-1 accuracy).

    ``b = #(A right, B wrong)``, ``c = #(A wrong, B right)``; ``p_worse = P(Binomial(b + c, ½) >= b)``,
    ``Δ = (c - b)/N · scale``. The SE ``sqrt(b + c - (c - b)²/N)/N`` serves the bound and the detectable drop.
    """
    a = np.asarray(correct_a)
    b = np.asarray(correct_b)
    _same_shape(a, b, "per-stimulus correctness")
    if a.ndim != 1 or a.dtype != bool or b.dtype != bool:
        raise ValueError("mcnemar_test needs two 1-D boolean arrays of per-stimulus correctness.")
    n = a.size
    label = f"{n}-stimulus McNemar, exact"
    if np.array_equal(a, b):
        return PairedEstimate(0.0, 0.0, math.inf, label, kind="exact", identical=True)
    worse = int(np.sum(a & ~b))
    better = int(np.sum(~a & b))
    discordant = worse + better
    p_worse = float(stats.binomtest(worse, discordant, 0.5, alternative="greater").pvalue)
    p_better = float(stats.binomtest(better, discordant, 0.5, alternative="greater").pvalue)
    se = math.sqrt(max(discordant - (better - worse) ** 2 / n, 0.0)) / n * scale
    delta = (better - worse) / n * scale
    return PairedEstimate(delta, se, math.inf, label, kind="exact", p_worse=p_worse, p_better=p_better)


def _finite(a: np.ndarray, b: np.ndarray, what: str) -> None:
    for side, values in (("baseline", a), ("this run", b)):
        bad = np.flatnonzero(~np.isfinite(values.ravel()))
        if bad.size:
            raise ValueError(
                f"{what} of the {side} contain {bad.size} non-finite value(s) (first at flat index {bad[0]}); "
                "the paired test needs finite units. Fix the metric output (or treat a NaN score as a regression)."
            )
