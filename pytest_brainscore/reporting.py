"""What the controller reports: the terminal summary and the JSON report, from records sent with test reports.

Records travel on each test report as ``report.brainscore_records`` (plain dicts, so pytest-xdist serialises
them), which makes the controller's view the same with or without xdist.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import json
import platform
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from .options import BrainscoreOptions
from .records import STATUS_ORDER, ScoreRecord, format_number

__all__ = ["REPORT_ATTRIBUTE", "RecordBook", "attach_records", "versions"]

REPORT_ATTRIBUTE = "brainscore_records"
_COLUMNS = ("model", "benchmark", "score", "raw", "ceiling", "error", "gate", "seconds", "cache")


def attach_records(report: pytest.TestReport, records: list[ScoreRecord]) -> None:
    """Put ``records`` on ``report``, with the test's outcome, for the controller."""
    for record in records:
        record.outcome = report.outcome
    setattr(report, REPORT_ATTRIBUTE, [record.to_dict() for record in records])


def versions() -> dict[str, str | None]:
    """Versions of the project, its runtime and torch (only when already imported or cheaply known)."""

    def installed(distribution: str) -> str | None:
        try:
            return importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            return None

    torch = sys.modules.get("torch")
    return {
        "pytest-brainscore": installed("pytest-brainscore"),
        "python": platform.python_version(),
        "pytest": pytest.__version__,
        "torch": getattr(torch, "__version__", None) if torch is not None else installed("torch"),
        "numpy": installed("numpy"),
        "xarray": installed("xarray"),
    }


def _gate(record: ScoreRecord) -> str:
    parts = []
    if record.skipped is not None:
        return "skipped: incompatible"
    if record.score is None:
        parts.append("score NaN FAILED")
    for name, bound in record.thresholds.items():
        value = record.raw if name == "min_raw" else record.score
        margin = None if value is None else (value - bound if name.startswith("min") else bound - value)
        verdict = "FAILED" if any(f"{name}=" in violation for violation in record.threshold_violations) else "ok"
        parts.append(f"{name} {bound:g} {verdict} ({format_number(margin, signed=True)})")
    if record.baseline:
        from .baselines import Comparison

        parts.append(Comparison(**record.baseline).describe())
    return "; ".join(parts) or "-"


class RecordBook:
    """The records of a session as the controller sees them; one row per (model, benchmark) pair."""

    def __init__(self) -> None:
        self.records: list[ScoreRecord] = []

    def add(self, report: pytest.TestReport) -> None:
        for payload in getattr(report, REPORT_ATTRIBUTE, None) or ():
            self.records.append(ScoreRecord.from_dict(dict(payload)))

    def __bool__(self) -> bool:
        return bool(self.records)

    def rows(self) -> list[tuple[ScoreRecord, str]]:
        """(representative record, gate text) per pair, regressions first, then failures, passes, skips."""
        by_pair: dict[tuple[str, str], list[ScoreRecord]] = {}
        for record in self.records:
            by_pair.setdefault(record.pair, []).append(record)
        rows = []
        for records in by_pair.values():
            worst = min(records, key=lambda r: STATUS_ORDER[r.status])
            gates = list(dict.fromkeys(_gate(record) for record in records))
            rows.append((worst, "; ".join(g for g in gates if g != "-") or "-"))
        return sorted(rows, key=lambda row: (STATUS_ORDER[row[0].status], row[0].model, row[0].benchmark))

    def by_baseline_status(self, status: str) -> list[ScoreRecord]:
        return [record for record, _ in self.rows() if record.baseline and record.baseline["status"] == status]

    # --- terminal ------------------------------------------------------------------------------------------
    def summary_lines(self) -> list[str]:
        """The table and the baseline lists of the terminal summary."""
        table = [_COLUMNS]
        skipped = []
        for record, gate in self.rows():
            if record.skipped is not None:
                skipped.append(f"{record.model} on {record.benchmark}: skipped, {record.skipped}")
                continue
            table.append(
                (
                    record.model,
                    record.benchmark,
                    format_number(record.score),
                    format_number(record.raw),
                    format_number(record.ceiling),
                    format_number(record.error),
                    gate,
                    "-" if record.seconds is None else f"{record.seconds:.2f}",
                    record.cache,
                )
            )
        lines = []
        if len(table) > 1:
            widths = [max(len(str(row[i])) for row in table) for i in range(len(_COLUMNS))]
            lines = [
                "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
                for row in table
            ]
        lines += skipped
        lines += self._baseline_lines()
        return lines

    def _baseline_lines(self) -> list[str]:
        lines = []
        sections = (
            ("regression", "Regressions"),
            ("improvement", "Improvements"),
            ("new", "New (not in the baseline)"),
            ("incomparable", "Incomparable (benchmark version changed)"),
        )
        for status, heading in sections:
            records = self.by_baseline_status(status)
            if not records:
                continue
            lines.append(f"{heading} ({len(records)}):")
            for record in records:
                lines.append("  " + _baseline_line(record))
        return lines

    # --- JSON ----------------------------------------------------------------------------------------------
    def write_json(self, path: Path, options: BrainscoreOptions, baseline_update: dict[str, Any] | None) -> None:
        """Write the JSON report: versions, data (benchmark versions), configuration, rows and baseline lists."""
        rows = self.rows()
        payload = {
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "versions": versions(),
            "data": {
                record.benchmark: {"benchmark_version": record.benchmark_version}
                for record, _ in rows
                if record.skipped is None
            },
            "configuration": _jsonable_options(options),
            "results": [{**record.to_dict(), "status": record.status, "gate": gate} for record, gate in rows],
            "baseline": None
            if options.baseline is None
            else {
                "path": str(options.baseline),
                "tolerance": options.tolerance,
                **{
                    status: [record.pair for record in self.by_baseline_status(status)]
                    for status in ("regression", "improvement", "new", "incomparable")
                },
                "update": baseline_update,
            },
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")


def _baseline_line(record: ScoreRecord) -> str:
    baseline = record.baseline or {}
    if baseline["status"] == "new":
        return f"{record.title()}: {format_number(record.score)}"
    if baseline["status"] == "incomparable":
        return (
            f"{record.model} on {record.benchmark}: baseline v{baseline['baseline_version']} "
            f"{format_number(baseline['baseline_score'])}, now v{record.benchmark_version} "
            f"{format_number(record.score)}"
        )
    return (
        f"{record.title()}: {format_number(baseline['baseline_score'])} -> {format_number(record.score)} "
        f"({format_number(baseline['delta'], signed=True)}, allowed {format_number(baseline['allowed'])})"
    )


def _jsonable_options(options: BrainscoreOptions) -> dict[str, Any]:
    return {
        key: (str(value) if isinstance(value, Path) else [str(v) for v in value] if isinstance(value, tuple) else value)
        for key, value in asdict(options).items()
    }
