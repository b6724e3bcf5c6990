"""The JSON report (``pytest --brainscore-report``) read back as typed rows: what every view renders.

Every view (HTML, Markdown) is a pure function of a :class:`SessionReport`, and a :class:`SessionReport` is a
pure function of the JSON file, so a report rendered later in CI shows what the session saw.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import BrainScoreError

__all__ = ["ReportError", "ReportRow", "SessionReport", "compare_reports", "load_report", "parse_report"]

_STATUS_ORDER = {"regression": 0, "failed": 1, "passed": 2, "skipped": 3}


class ReportError(BrainScoreError, ValueError):
    """A JSON report cannot be read: the file is missing, not JSON, or not a ``--brainscore-report`` file."""


@dataclass(frozen=True)
class ReportRow:
    """One (model, benchmark) pair of the session, as the JSON report holds it."""

    model: str
    benchmark: str
    status: str  #: regression, failed, passed or skipped
    benchmark_version: str | int | None = None
    score: float | None = None
    raw: float | None = None
    ceiling: float | None = None
    error: float | None = None
    seconds: float | None = None
    cache: str = "-"
    gate: str = "-"
    skipped: str | None = None
    thresholds: dict[str, float] = field(default_factory=dict)
    baseline_status: str | None = None  #: unchanged, regression, improvement, new, incomparable, or "compared"
    baseline_score: float | None = None
    baseline_error: float | None = None
    delta: float | None = None  #: score - baseline score
    attrs: dict[str, Any] = field(default_factory=dict)
    #: the baseline comparison's one-line verdict (the paired gate's CI line: delta, bound, p, t, df, what was
    #: resampled), when the report carries one
    gate_line: str | None = None

    @property
    def sort_key(self) -> tuple[int, str, str]:
        """Regressions first, then failures, passes, skips; then model and benchmark."""
        return _STATUS_ORDER.get(self.status, len(_STATUS_ORDER)), self.model, self.benchmark


@dataclass(frozen=True)
class SessionReport:
    """A whole JSON report: when, versions, configuration, and one row per pair (regressions first)."""

    source: str  #: the file it was read from (or a label)
    created: str | None
    versions: dict[str, str | None]
    configuration: dict[str, Any]
    rows: tuple[ReportRow, ...]
    baseline_path: str | None = None
    compared_with: str | None = None  #: the older report of ``brainscore report --compare``

    @property
    def models(self) -> list[str]:
        return sorted({row.model for row in self.rows})

    @property
    def benchmarks(self) -> list[str]:
        return sorted({row.benchmark for row in self.rows})

    def count(self, status: str) -> int:
        return sum(row.status == status for row in self.rows)

    @property
    def improvements(self) -> int:
        return sum(row.baseline_status == "improvement" for row in self.rows)

    def counts(self) -> str:
        """``6 pairs: 1 regressed, 0 failed, 3 passed (1 improved), 2 skipped``."""
        pairs = f"{len(self.rows)} pair{'' if len(self.rows) == 1 else 's'}"
        return (
            f"{pairs}: {self.count('regression')} regressed, {self.count('failed')} failed, "
            f"{self.count('passed')} passed ({self.improvements} improved), {self.count('skipped')} skipped"
        )

    def gate_outcome(self) -> str:
        """``pass`` or what failed, e.g. ``FAIL: 1 regression, 2 failed``."""
        problems = []
        for status, noun in (("regression", "regression"), ("failed", "failed")):
            n = self.count(status)
            if n:
                problems.append(f"{n} {noun}{'s' if status == 'regression' and n != 1 else ''}")
        return "FAIL: " + ", ".join(problems) if problems else "pass"


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _status(entry: dict[str, Any]) -> tuple[str, str | None, str]:
    """(status, skip reason, gate text) of a pytest report row, or of a ``brainscore demo`` row (whose status is
    ``ok``, ``skipped: reason``, ``error: ...`` or ``unavailable: reason``)."""
    status = entry.get("status")
    skipped = None if entry.get("skipped") is None else str(entry["skipped"])
    gate = str(entry.get("gate", "-"))
    if isinstance(status, str) and status in _STATUS_ORDER:
        return status, skipped, gate
    text = str(status or "")
    if text == "ok" or (not text and skipped is None):
        return "passed", None, gate
    kind, _, reason = text.partition(": ")
    if kind == "error":
        return "failed", None, text
    if kind == "unavailable":
        return "skipped", f"model unavailable: {reason}", gate
    return "skipped", reason or skipped or text, gate


def _row(entry: dict[str, Any], source: str, index: int) -> ReportRow:
    try:
        model, benchmark = str(entry["model"]), str(entry["benchmark"])
    except (KeyError, TypeError):
        raise ReportError(
            f"{source}: results[{index}] has no model or benchmark; is this a --brainscore-report file?"
        ) from None
    found = entry.get("baseline")
    baseline: dict[str, Any] = found if isinstance(found, dict) else {}
    status, skipped, gate = _status(entry)
    return ReportRow(
        model=model,
        benchmark=benchmark,
        status=status,
        benchmark_version=entry.get("benchmark_version"),
        score=_number(entry.get("score")),
        raw=_number(entry.get("raw")),
        ceiling=_number(entry.get("ceiling")),
        error=_number(entry.get("error")),
        seconds=_number(entry.get("seconds")),
        cache=str(entry.get("cache", "-")),
        gate=gate,
        skipped=skipped,
        thresholds={str(k): float(v) for k, v in (entry.get("thresholds") or {}).items() if _number(v) is not None},
        baseline_status=None if not baseline else str(baseline.get("status")),
        baseline_score=_number(baseline.get("baseline_score")),
        baseline_error=_number(baseline.get("baseline_error")),
        delta=_number(baseline.get("delta")),
        attrs=dict(entry.get("attrs") or {}),
        gate_line=_gate_line(entry.get("comparison")),
    )


def _gate_line(comparison: object) -> str | None:
    line = comparison.get("line") if isinstance(comparison, dict) else None
    return str(line) if line else None


def parse_report(payload: object, source: str = "<report>") -> SessionReport:
    """A :class:`SessionReport` from the parsed JSON of a ``--brainscore-report`` file; :class:`ReportError`
    (naming ``source``) when it is not one."""
    if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
        raise ReportError(
            f"{source} is not a pytest-brainscore JSON report (no 'results' list). "
            "Write one with pytest --brainscore-report=PATH."
        )
    rows = [_row(entry if isinstance(entry, dict) else {}, source, i) for i, entry in enumerate(payload["results"])]
    baseline = payload.get("baseline")
    return SessionReport(
        source=source,
        created=None if payload.get("created") is None else str(payload["created"]),
        versions={str(k): None if v is None else str(v) for k, v in (payload.get("versions") or {}).items()},
        configuration=dict(payload.get("configuration") or {}),
        rows=tuple(sorted(rows, key=lambda row: row.sort_key)),
        baseline_path=str(baseline["path"]) if isinstance(baseline, dict) and baseline.get("path") else None,
    )


def load_report(path: str | Path) -> SessionReport:
    """Read a ``--brainscore-report`` JSON file; :class:`ReportError` names the file and what is wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file. Give the JSON written by pytest --brainscore-report=PATH.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ReportError(f"{path}: cannot be read ({error}).") from None
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReportError(f"{path}: not JSON ({error.msg} at line {error.lineno}, column {error.colno}).") from None
    return parse_report(payload, str(path))


def compare_reports(new: SessionReport, old: SessionReport) -> SessionReport:
    """``new`` with each scored pair's baseline columns taken from ``old`` (status ``compared``; delta = new - old).

    This is a side-by-side view, not a gate: the rows keep the status the new session's own gate gave them.
    Pairs that ``old`` did not score, or scored at another benchmark version, keep no baseline columns.
    """
    previous = {(row.model, row.benchmark): row for row in old.rows if row.score is not None}
    rows = []
    for row in new.rows:
        before = previous.get((row.model, row.benchmark))
        if row.score is None or before is None or before.benchmark_version != row.benchmark_version:
            rows.append(replace(row, baseline_status=None, baseline_score=None, baseline_error=None, delta=None))
            continue
        assert before.score is not None
        rows.append(
            replace(
                row,
                baseline_status="compared",
                baseline_score=before.score,
                baseline_error=before.error,
                delta=row.score - before.score,
            )
        )
    return replace(new, rows=tuple(rows), compared_with=old.source)
