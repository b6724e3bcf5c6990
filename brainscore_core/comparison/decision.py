"""The gate's verdict for one (model, benchmark) pair: :func:`decide` on a :class:`PairedEstimate`.

Rule: a pair is a regression iff ``Δ < -tol`` **and** the one-sided paired p-value of H0 "B is not worse" is below
alpha (equivalently ``Δ < -max(tol, t_{1-alpha,df}·SE)``). Improvements use the same test the other way and never fail.
Identical units are "unchanged" (no test). A NaN Δ is a regression. The minimum detectable drop
``MDD = (t_{1-alpha,df} + t_{power,df})·SE`` is the drop caught with probability ``power``; a pair whose MDD exceeds
``tol`` is flagged ``underpowered`` (it still passes unless it is a significant regression).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, Literal

from scipy import stats

from .estimates import PairedEstimate

__all__ = ["RESULT_VERSION", "GateResult", "Status", "decide", "incomparable"]

RESULT_VERSION = 1
Status = Literal["unchanged", "ok", "improved", "regression", "underpowered", "incomparable"]
_NUMBERS = ("delta", "lower", "upper", "se", "p", "p_better", "t", "df", "mdd", "alpha", "tol", "score_a", "score_b")


@dataclass(frozen=True)
class GateResult:
    """Verdict and numbers for one pair, all on the ceiled scale. ``lower``/``upper`` are one-sided (1-alpha)
    confidence bounds of Δ; ``p`` is the one-sided p of "B is not worse", ``p_better`` of "B is not better";
    ``t`` is NaN for the exact McNemar test (``df`` is then inf). ``alpha`` is the per-pair level actually used
    (after any Bonferroni correction)."""

    status: Status
    delta: float
    lower: float
    upper: float
    se: float
    p: float
    p_better: float
    t: float
    df: float
    mdd: float
    underpowered: bool
    resampled: str
    alpha: float
    tol: float
    paired: bool = True
    note: str = ""
    score_a: float | None = None
    score_b: float | None = None

    @property
    def failed(self) -> bool:
        """True iff the gate fails this pair."""
        return self.status == "regression"

    def line(self, model: str, benchmark: str, version: int | str) -> str:
        """One CI line, e.g. ``REGRESSION alexnet @ Kriegeskorte2008.hIT-rsa v1: 0.512 -> 0.463 (Δ -0.049 <
        -tol 0.010; 99% bound -0.009) p=0.004, t=-2.92 df=41 [4 subjects ⊕ 92-stimulus jackknife]``."""
        head = f"{_LABELS[self.status]} {model} @ {benchmark} v{version}:"
        if self.status == "incomparable":
            return f"{head} {self.note}"
        if self.status == "unchanged":
            score = "" if self.score_b is None else f" {self.score_b:.3f}"
            return f"{head}{score} (identical per-unit values)"
        scores = f" {_score(self.score_a)} -> {_score(self.score_b)}" if self.score_a is not None else ""
        if math.isnan(self.delta):
            return f"{head}{scores} (score is NaN){self._note()}"
        return f"{head}{scores} ({self._comparison()}) {self._test()} [{self.resampled}]{self._tail()}"

    def _comparison(self) -> str:
        level = f"{100 * (1 - self.alpha):.3g}% bound"
        if self.status == "improved":
            return f"Δ {self.delta:+.3f} > tol {self.tol:.3f}; {level} {self.lower:+.3f}"
        relation = f" < -tol {self.tol:.3f}" if self.delta < -self.tol else f", tol {self.tol:.3f}"
        return f"Δ {self.delta:+.3f}{relation}; {level} {self.upper:+.3f}"

    def _test(self) -> str:
        p = self.p_better if self.status == "improved" else self.p
        shown = "p<0.001" if p < 0.001 else f"p={round(p, 3):g}"
        return shown if math.isnan(self.t) else f"{shown}, t={self.t:.2f} df={self.df:.0f}"

    def _tail(self) -> str:
        if self.status == "regression":
            return self._note()
        tail = f" MDD {self.mdd:.3f}"
        if self.underpowered:
            tail += f" > tol {self.tol:.3f}: too little power to detect a drop of tol"
        return tail + self._note()

    def _note(self) -> str:
        return f"; {self.note}" if self.note else ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (non-finite numbers as the strings "nan", "inf", "-inf"), with ``version``."""
        data = dataclasses.asdict(self)
        for key in _NUMBERS:
            value = data[key]
            if isinstance(value, float) and not math.isfinite(value):
                data[key] = str(value)
        return {"version": RESULT_VERSION, **data}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GateResult:
        """Inverse of :meth:`to_dict`; refuses an unknown ``version`` or missing fields."""
        data = dict(data)
        version = data.pop("version", None)
        if version != RESULT_VERSION:
            raise ValueError(f"gate result version {version!r} is not supported (this build reads {RESULT_VERSION}).")
        names = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValueError(f"gate result has unknown field(s) {unknown}; known: {sorted(names)}.")
        for key in _NUMBERS:
            if isinstance(data.get(key), str):
                data[key] = float(data[key])
        return cls(**data)

    def user_properties(self) -> list[tuple[str, object]]:
        """``brainscore_*`` name/value pairs for junit ``record_property``."""
        keys = ("status", "delta", "upper", "lower", "p", "t", "df", "se", "mdd", "resampled")
        return [(f"brainscore_{key}", self.to_dict()[key]) for key in keys]


_LABELS: dict[str, str] = {
    "regression": "REGRESSION",
    "improved": "IMPROVED",
    "ok": "ok",
    "underpowered": "underpowered",
    "unchanged": "unchanged",
    "incomparable": "incomparable",
}


def _score(value: float | None) -> str:
    return "?" if value is None else f"{value:.3f}"


def _quantile(level: float, df: float) -> float:
    return float(stats.norm.ppf(level)) if math.isinf(df) else float(stats.t.ppf(level, df))


def decide(
    estimate: PairedEstimate,
    *,
    alpha: float = 0.01,
    tol: float = 0.01,
    n_comparisons: int = 1,
    power: float = 0.8,
    score_a: float | None = None,
    score_b: float | None = None,
) -> GateResult:
    """Apply the gate rule to ``estimate`` (see the module docs).

    ``n_comparisons > 1`` applies Bonferroni: the per-pair level is ``alpha / n_comparisons``. ``score_a`` /
    ``score_b`` are the displayed (ceiled) scores of the baseline and this run; they only enter the CI line.
    """
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise ValueError(f"alpha and power must lie in (0, 1), got alpha={alpha!r}, power={power!r}.")
    if tol < 0 or n_comparisons < 1:
        raise ValueError(f"tol must be >= 0 and n_comparisons >= 1, got tol={tol!r}, n_comparisons={n_comparisons}.")
    level = alpha / n_comparisons
    common: dict[str, Any] = dict(
        resampled=estimate.resampled,
        alpha=level,
        tol=tol,
        paired=estimate.paired,
        note=estimate.note,
        score_a=score_a,
        score_b=score_b,
    )
    if estimate.identical:
        return GateResult("unchanged", 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, math.nan, estimate.df, 0.0, False, **common)
    nan = math.nan
    if math.isnan(estimate.delta):
        return GateResult("regression", nan, nan, nan, nan, 0.0, 1.0, nan, estimate.df, nan, False, **common)
    critical = _quantile(1 - level, estimate.df)
    mdd = (critical + _quantile(power, estimate.df)) * estimate.se
    if estimate.kind == "exact":
        assert estimate.p_worse is not None and estimate.p_better is not None  # an exact test carries its p-values
        t = nan
        p_worse, p_better = float(estimate.p_worse), float(estimate.p_better)
    else:
        t = estimate.delta / estimate.se if estimate.se > 0 else math.copysign(math.inf, estimate.delta)
        p_worse, p_better = float(stats.t.cdf(t, estimate.df)), float(stats.t.sf(t, estimate.df))
    lower = estimate.delta - critical * estimate.se
    upper = estimate.delta + critical * estimate.se
    underpowered = mdd > tol
    if estimate.delta < -tol and p_worse < level:
        status: Status = "regression"
    elif estimate.delta > tol and p_better < level:
        status = "improved"
    else:
        status = "underpowered" if underpowered else "ok"
    return GateResult(
        status,
        estimate.delta,
        lower,
        upper,
        estimate.se,
        p_worse,
        p_better,
        t,
        estimate.df,
        mdd,
        underpowered,
        **common,
    )


def incomparable(reason: str, *, score_a: float | None = None, score_b: float | None = None) -> GateResult:
    """A verdict for units that cannot be compared (different stimuli, subjects, benchmark version): no test."""
    nan = math.nan
    return GateResult(
        "incomparable",
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan,
        False,
        "",
        nan,
        nan,
        False,
        reason,
        score_a,
        score_b,
    )
