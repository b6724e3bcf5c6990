"""One scored (model, benchmark) pair of one test, typed inside a process.

A :class:`ScoreRecord` (with its :class:`Comparison` to the baseline) stays a typed object from the test that
scores it to the controller's summary; it becomes a dict only where it leaves the process, at the pytest-xdist
boundary (:meth:`ScoreRecord.to_dict` / :meth:`ScoreRecord.from_dict`) and in the JSON report.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

__all__ = [
    "BASELINE_STATUSES",
    "GATE_PROPERTIES",
    "STATUS_ORDER",
    "BaselineStatus",
    "Comparison",
    "Outcome",
    "RecordStatus",
    "ScoreRecord",
    "Thresholds",
    "format_number",
]

#: How a score compares with its baseline entry.
BaselineStatus = Literal["unchanged", "regression", "improvement", "new", "incomparable"]
BASELINE_STATUSES: tuple[BaselineStatus, ...] = get_args(BaselineStatus)
#: A record's verdict in the summary and the JSON report.
RecordStatus = Literal["regression", "failed", "passed", "skipped"]
#: The outcome of the test that scored the pair (``TestReport.outcome``).
Outcome = Literal["passed", "failed", "skipped"]

#: Summary order: regressions first, then failures (threshold or otherwise), passes, skips.
STATUS_ORDER: dict[RecordStatus, int] = {"regression": 0, "failed": 1, "passed": 2, "skipped": 3}


def format_number(value: float | None, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:+.4f}" if signed else f"{value:.4f}"


@dataclass(frozen=True)
class Thresholds:
    """Bounds a test asserts on its score once the test body has passed."""

    min_score: float | None = None
    max_score: float | None = None
    min_raw: float | None = None

    def as_dict(self) -> dict[str, float]:
        return {name: value for name, value in asdict(self).items() if value is not None}

    def violations(self, score: float | None, raw: float | None) -> list[str]:
        """One phrase per violated bound, saying by how much (NaN or missing numbers violate every bound)."""
        found: list[str] = []
        checks = (("min_score", "score", score, 1), ("max_score", "score", score, -1), ("min_raw", "raw", raw, 1))
        for name, label, value, direction in checks:
            bound = getattr(self, name)
            if bound is None:
                continue
            if value is None or math.isnan(value):
                found.append(f"{label} is {format_number(value)}, not a number, so {name}={bound:g} cannot hold")
            elif direction * (value - bound) < 0:
                side = "below" if direction > 0 else "above"
                found.append(f"{label} {value:.4f} is {side} {name}={bound:g} by {abs(value - bound):.4f}")
        return found


#: What the gate's ``user_properties`` carry for a compared pair (with the ``brainscore_`` prefix).
GATE_PROPERTIES = ("status", "delta", "p", "se", "df", "bound", "test", "mdd")


@dataclass(frozen=True)
class Comparison:
    """How a score compares with its baseline entry.

    ``rule`` is ``"paired"`` when the paired test decided (``result`` is the
    :meth:`~brainscore_core.comparison.GateResult.to_dict` of its verdict, ``line`` its CI line), ``"unpaired"``
    for the error-bar rule ``max(tolerance, 2 x combined error)`` (``fallback`` says why it was used), and None
    for a pair that was not compared (new, benchmark version changed).
    """

    status: BaselineStatus
    baseline_score: float | None = None
    baseline_error: float | None = None  #: on the score's (ceiled) scale, as compared
    baseline_version: str | int | None = None
    delta: float | None = None  #: score - baseline score
    allowed: float | None = None  #: max(tolerance, 2 x combined error) (unpaired rule)
    combined_error: float | None = None
    tolerance: float | None = None
    rule: Literal["paired", "unpaired"] | None = None
    fallback: str | None = None  #: why the unpaired rule was used
    refresh: bool = False  #: re-writing the baseline would enable the paired test for this pair
    result: dict[str, Any] | None = None  #: the paired verdict (``GateResult.to_dict()``)
    line: str | None = None  #: the paired verdict's CI line

    @property
    def gate_status(self) -> str:
        """The paired verdict's status (regression, improved, ok, underpowered, unchanged, incomparable), else
        the comparison's status."""
        return str(self.result["status"]) if self.result is not None else self.status

    def describe(self) -> str:
        """A short phrase for the summary's gate column."""
        if self.status == "new":
            return "baseline: new"
        if self.result is not None:
            return "baseline: " + _describe_paired(self.result)
        if self.status == "incomparable":
            return f"baseline: incomparable (was v{self.baseline_version})"
        delta = "nan" if self.delta is None else f"{self.delta:+.4f}"
        label = {"regression": "REGRESSION", "improvement": "improved"}.get(self.status, "ok")
        return f"baseline {delta} {label} (allowed {self.allowed:.4f})"

    def gate_properties(self) -> list[tuple[str, object]]:
        """``brainscore_status``, ``_delta``, ``_p``, ``_se``, ``_df``, ``_bound``, ``_test``, ``_mdd`` (numbers the
        rule did not compute are left out; non-finite ones are the strings "nan", "inf"). The status is one of
        regression, improved, ok, underpowered, unchanged, incomparable, new."""
        if self.result is not None:
            values: dict[str, object] = {
                **{name: self.result.get(name) for name in ("status", "delta", "p", "se", "df", "mdd")},
                "bound": self.result.get("upper"),
                "test": _test_name(self.result),
            }
        elif self.rule == "unpaired":
            values = {
                "status": _UNPAIRED_STATUS.get(self.status, self.status),
                "delta": self.delta,
                "se": self.combined_error,
                "bound": None if self.delta is None or self.allowed is None else self.delta + self.allowed,
                "test": "unpaired error bars: fails when delta < -max(tolerance, 2 x combined error)",
            }
        else:
            values = {"status": self.status}
        return [(f"brainscore_{name}", values[name]) for name in GATE_PROPERTIES if values.get(name) is not None]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: The unpaired rule's verdicts in the paired gate's words (``brainscore_status``).
_UNPAIRED_STATUS = {"improvement": "improved", "unchanged": "ok"}


def _test_name(result: dict[str, Any]) -> str:
    resampled = str(result.get("resampled") or "")
    if result.get("status") == "incomparable":
        return "none (incomparable units)"
    if result.get("status") == "unchanged":
        return f"none (identical per-unit values; {resampled})" if resampled else "none (identical per-unit values)"
    return resampled if result.get("paired", True) else f"{resampled} (unpaired)"


def _describe_paired(result: dict[str, Any]) -> str:
    status = str(result["status"])
    if status in ("unchanged", "incomparable"):
        return status
    label = {"regression": "REGRESSION", "improved": "improved"}.get(status, status)
    delta, p = _as_float(result.get("delta")), _as_float(result.get("p"))
    if status == "improved":
        p = _as_float(result.get("p_better"))
    if math.isnan(delta):
        return f"{label} (score is NaN)"
    shown = "p<0.001" if p < 0.001 else f"p={p:.3f}"
    return f"{delta:+.4f} {label} ({shown}, paired)"


def _as_float(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


@dataclass
class ScoreRecord:
    """The numbers and verdicts of one scored pair in one test (JSON-able via :meth:`to_dict`)."""

    nodeid: str
    model: str
    benchmark: str
    benchmark_version: str | int | None = None
    score: float | None = None
    raw: float | None = None
    ceiling: float | None = None
    error: float | None = None  #: on the score's (ceiled) scale
    raw_error: float | None = None  #: on the raw scale
    seconds: float | None = None
    cache: str = "-"
    thresholds: dict[str, float] = field(default_factory=dict)
    threshold_violations: list[str] = field(default_factory=list)
    baseline: Comparison | None = None  #: how the score compares with the baseline (None without one)
    skipped: str | None = None  #: the reason when the model cannot run the benchmark
    outcome: Outcome | None = None  #: the outcome of the test that scored the pair
    attrs: dict[str, Any] = field(default_factory=dict)  #: the Score's scalar attrs
    paired: dict[str, Any] | None = None  #: the Score's paired-unit record (``attrs["paired_units"]``)

    @classmethod
    def from_score(cls, nodeid: str, model: str, benchmark: str, score: Any) -> ScoreRecord:
        """A record of a ``brainscore_core.Score``."""
        scalar_attrs = {
            key: value
            for key, value in score.attrs.items()
            if isinstance(value, (str, int, float, bool)) and not (isinstance(value, float) and math.isnan(value))
        }
        paired = score.attrs.get("paired_units")
        return cls(
            nodeid=nodeid,
            model=model,
            benchmark=benchmark,
            benchmark_version=score.benchmark_version,
            score=_finite_or_none(score.value),
            raw=_finite_or_none(score.raw),
            ceiling=_finite_or_none(score.ceiling),
            error=_finite_or_none(score.error),
            raw_error=_finite_or_none(getattr(score, "raw_error", None)),
            seconds=_finite_or_none(score.attrs.get("seconds")),
            cache=str(score.attrs.get("cache", "-")),
            attrs=scalar_attrs,
            paired=paired if isinstance(paired, dict) else None,
        )

    @property
    def pair(self) -> tuple[str, str]:
        return self.model, self.benchmark

    @property
    def regressed(self) -> bool:
        return self.baseline is not None and self.baseline.status == "regression"

    @property
    def status(self) -> RecordStatus:
        """regression, failed, passed or skipped (see :data:`STATUS_ORDER`)."""
        if self.skipped is not None:
            return "skipped"
        if self.regressed:
            return "regression"
        if self.threshold_violations or self.outcome == "failed":
            return "failed"
        return "passed"

    def undefined_reason(self) -> str | None:
        """Why a scored pair has no number (its score is NaN), for a failure message; None when it has one."""
        if self.skipped is not None or self.score is not None:
            return None
        if self.raw is None:
            cause = (
                "the metric gave NaN, e.g. from NaN or infinite model activations, or responses that are the same for "
                "every stimulus (see this test's warnings)"
            )
        elif self.ceiling is None and str(self.attrs.get("ceiling_formula", "none")).startswith("raw"):
            cause = "the ceiling is NaN, e.g. from data whose responses are constant (see this test's warnings)"
        else:
            cause = "the ceiled score is NaN (see this test's warnings)"
        return f"{self.title()}: the score is not a number (NaN), so the test cannot pass: {cause} [{self.numbers()}]"

    def numbers(self) -> str:
        """``score 0.7500, raw 0.6000, ceiling 0.8000, error 0.0020``."""
        return (
            f"score {format_number(self.score)}, raw {format_number(self.raw)}, "
            f"ceiling {format_number(self.ceiling)}, error {format_number(self.error)}"
        )

    def title(self) -> str:
        version = "" if self.benchmark_version is None else f" v{self.benchmark_version}"
        return f"{self.model} on {self.benchmark}{version}"

    def user_properties(self) -> list[tuple[str, object]]:
        """``(name, value)`` pairs for ``item.user_properties`` (and so for --junitxml and xdist)."""
        properties: list[tuple[str, object]] = [
            ("brainscore_model", self.model),
            ("brainscore_benchmark", self.benchmark),
            ("brainscore_benchmark_version", self.benchmark_version),
        ]
        if self.skipped is not None:
            return [*properties, ("brainscore_skipped", self.skipped)]
        properties += [
            ("brainscore_score", self.score),
            ("brainscore_raw", self.raw),
            ("brainscore_ceiling", self.ceiling),
            ("brainscore_error", self.error),
            ("brainscore_raw_error", self.raw_error),
            ("brainscore_seconds", self.seconds),
            ("brainscore_cache", self.cache),
        ]
        if self.baseline is not None:
            properties.append(("brainscore_baseline_status", self.baseline.status))
            if self.baseline.delta is not None:
                properties.append(("brainscore_baseline_delta", self.baseline.delta))
            properties += self.baseline.gate_properties()
        return properties

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-able data (the comparison as a nested dict), for xdist and the JSON report."""
        return asdict(self)

    @classmethod
    def from_dict(cls, payload: dict[str, Any]) -> ScoreRecord:
        """The record :meth:`to_dict` gave (on the other side of the xdist boundary)."""
        values = dict(payload)
        if isinstance(values.get("baseline"), dict):
            values["baseline"] = Comparison(**values["baseline"])
        return cls(**values)


def _finite_or_none(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number
