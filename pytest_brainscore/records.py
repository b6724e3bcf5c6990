"""One scored (model, benchmark) pair of one test, as plain data that travels from xdist workers to the controller."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["STATUS_ORDER", "ScoreRecord", "Thresholds", "format_number"]

#: Summary order: regressions first, then threshold failures, other failures, passes, skips.
STATUS_ORDER = {"regression": 0, "failed": 1, "error": 2, "passed": 3, "skipped": 4}


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
        found = []
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
    baseline: dict[str, Any] | None = None  #: a :class:`~pytest_brainscore.baselines.Comparison` as a dict
    skipped: str | None = None  #: the reason when the model cannot run the benchmark
    outcome: str | None = None  #: the test's outcome ("passed", "failed", "skipped")
    attrs: dict[str, Any] = field(default_factory=dict)  #: the Score's scalar attrs

    @classmethod
    def from_score(cls, nodeid: str, model: str, benchmark: str, score: Any) -> ScoreRecord:
        """A record of a ``brainscore_core.Score``."""
        scalar_attrs = {
            key: value
            for key, value in score.attrs.items()
            if isinstance(value, (str, int, float, bool)) and not (isinstance(value, float) and math.isnan(value))
        }
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
        )

    @property
    def pair(self) -> tuple[str, str]:
        return self.model, self.benchmark

    @property
    def regressed(self) -> bool:
        return bool(self.baseline) and self.baseline.get("status") == "regression"

    @property
    def status(self) -> str:
        """regression, failed, error, passed or skipped (see :data:`STATUS_ORDER`)."""
        if self.skipped is not None:
            return "skipped"
        if self.regressed:
            return "regression"
        if self.threshold_violations:
            return "failed"
        if self.outcome in ("failed", "error"):
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
        if self.baseline:
            properties.append(("brainscore_baseline_status", self.baseline["status"]))
            if self.baseline.get("delta") is not None:
                properties.append(("brainscore_baseline_delta", self.baseline["delta"]))
        return properties

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, payload: dict[str, Any]) -> ScoreRecord:
        return cls(**payload)


def _finite_or_none(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number
