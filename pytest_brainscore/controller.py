"""The records' way from the tests to the summary, and the ``brainscore`` section of the terminal summary.

A test's records ride on its report as typed :class:`~pytest_brainscore.records.ScoreRecord` objects
(:func:`attach_records`). They become dicts only at the pytest-xdist boundary: a worker's report is serialised
by :func:`records_to_serializable` and read back on the controller by :func:`records_from_serializable` (the
``pytest_report_to_serializable`` / ``pytest_report_from_serializable`` hooks), so the controller sees the same
records with or without xdist.

:class:`BrainscoreController` is registered only on the process that reports (the single process, or the xdist
controller), so the summary is written exactly once however many workers scored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import pytest

from .records import STATUS_ORDER, ScoreRecord, format_number

__all__ = [
    "NAME",
    "REPORT_ATTRIBUTE",
    "BrainscoreController",
    "RecordBook",
    "SummaryPart",
    "attach_records",
    "records_from_serializable",
    "records_to_serializable",
]

NAME = "brainscore-controller"
REPORT_ATTRIBUTE = "brainscore_records"
_COLUMNS = ("model", "benchmark", "score", "raw", "ceiling", "error", "gate", "seconds", "cache")


def attach_records(report: pytest.TestReport, records: list[ScoreRecord]) -> None:
    """Put ``records`` on ``report``, with the test's outcome, for the controller."""
    for record in records:
        record.outcome = report.outcome
    setattr(report, REPORT_ATTRIBUTE, records)


def records_to_serializable(data: dict[str, Any]) -> None:
    """Turn the records in a serialised report (pytest copies the report's attributes) into dicts, in place."""
    records = data.get(REPORT_ATTRIBUTE)
    if records:
        data[REPORT_ATTRIBUTE] = [record.to_dict() if isinstance(record, ScoreRecord) else record for record in records]


def records_from_serializable(report: object) -> None:
    """Turn the dicts :func:`records_to_serializable` made back into records, on the report read back."""
    records = getattr(report, REPORT_ATTRIBUTE, None)
    if records:
        setattr(report, REPORT_ATTRIBUTE, [_record(record) for record in records])


def _record(record: ScoreRecord | dict[str, Any]) -> ScoreRecord:
    return record if isinstance(record, ScoreRecord) else ScoreRecord.from_dict(dict(record))


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
    if record.baseline is not None:
        parts.append(record.baseline.describe())
    return "; ".join(parts) or "-"


class RecordBook:
    """The records of a session as the controller sees them; one row per (model, benchmark) pair."""

    def __init__(self) -> None:
        self.records: list[ScoreRecord] = []

    def add(self, report: object) -> None:
        """Keep the records a test report carries (see :func:`attach_records`)."""
        self.records += [_record(record) for record in getattr(report, REPORT_ATTRIBUTE, None) or ()]

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

    def summary_lines(self) -> list[str]:
        """The table of the terminal summary, then the skipped pairs."""
        table: list[tuple[str, ...]] = [_COLUMNS]
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
            widths = [max(len(row[i]) for row in table) for i in range(len(_COLUMNS))]
            lines = [
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in table
            ]
        return lines + skipped


class SummaryPart(Protocol):
    """A feature that adds lines to the ``brainscore`` summary section (the baseline, the report)."""

    def summary_lines(self, rows: list[ScoreRecord]) -> list[tuple[str, bool]]:
        """(line, in red) pairs, given the summary's representative record of each pair."""
        ...


class BrainscoreController:
    """A pytest plugin object gathering the session's records and writing the ``brainscore`` summary section."""

    def __init__(self, book: RecordBook, parts: Sequence[SummaryPart] = ()) -> None:
        self.book = book
        self.parts = parts  #: the features whose lines follow the table, in this order

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.book.add(report)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.book:
            return
        terminalreporter.section("brainscore")
        for line in self.book.summary_lines():
            terminalreporter.line(line)
        rows = [record for record, _ in self.book.rows()]
        for part in self.parts:
            for line, red in part.summary_lines(rows):
                terminalreporter.line(line, red=red)
