"""The JSON report (``--brainscore-report=PATH``): every score of the session, with versions and configuration.

This module is the whole report feature: its option, :class:`ReportPlugin` (registered on the controller) that
writes the file at the end of the session, and its line of the summary.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import json
import platform
import sys
from collections.abc import Callable, Generator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from .baselines import BaselinePlugin
from .controller import RecordBook
from .files import write_text_atomically
from .options import BrainscoreOptions, Option
from .records import ScoreRecord

__all__ = ["OPTIONS", "PLUGIN_NAME", "ReportPlugin", "result_row", "versions"]

OPTIONS = (Option("report", "path", "Write every score of the session, with versions, to this JSON file.", "PATH"),)
PLUGIN_NAME = "brainscore-report"


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


class ReportPlugin:
    """Writes the JSON report on the process that reports (the single process, or the pytest-xdist controller).

    Registered by ``plugin.pytest_configure`` as :data:`PLUGIN_NAME` when ``--brainscore-report`` is given.
    """

    def __init__(
        self, path: Path, options: BrainscoreOptions, book: RecordBook, baseline: BaselinePlugin | None
    ) -> None:
        self.path = path
        self.options = options
        self.book = book
        self.baseline = baseline
        self.sections: list[Callable[[], dict[str, Any]]] = []  #: other features' top-level keys (the shard)

    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> Generator[None, None, None]:
        """After every other ``pytest_sessionfinish`` (the baseline update among them), write the report."""
        result = yield
        self.write()
        return result

    def write(self) -> None:
        """Write the JSON report: versions, data (benchmark versions), configuration, rows and baseline lists."""
        rows = self.book.rows()
        records = [record for record, _ in rows]
        payload = {
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "versions": versions(),
            "data": {
                record.benchmark: {"benchmark_version": record.benchmark_version}
                for record in records
                if record.skipped is None
            },
            "configuration": _jsonable_options(self.options),
            "results": [result_row(record, gate) for record, gate in rows],
            "baseline": None if self.baseline is None else self.baseline.report(records),
        }
        for section in self.sections:
            payload.update(section())
        write_text_atomically(self.path, json.dumps(payload, indent=2, default=str) + "\n")

    def summary_lines(self, rows: list[ScoreRecord]) -> list[tuple[str, bool]]:
        """(line, in red) for the summary."""
        return [(f"Report written: {self.path}", False)]


def result_row(record: ScoreRecord, gate: str) -> dict[str, Any]:
    """One row: the record (without its bulky paired-unit record), its status, the gate text and, when compared with
    a baseline, ``comparison``: the gate's ``status``, ``delta``, ``p``, ``se``, ``df``, ``bound``, ``test``,
    ``mdd`` (as in the ``brainscore_*`` user_properties) and its CI ``line``."""
    row = {**record.to_dict(), "status": record.status, "gate": gate}
    row.pop("paired", None)
    if record.baseline is not None:
        numbers = {name.removeprefix("brainscore_"): value for name, value in record.baseline.gate_properties()}
        row["comparison"] = {**numbers, "rule": record.baseline.rule, "line": record.baseline.line}
    return row


def _jsonable_options(options: BrainscoreOptions) -> dict[str, Any]:
    return {
        key: (str(value) if isinstance(value, Path) else [str(v) for v in value] if isinstance(value, tuple) else value)
        for key, value in asdict(options).items()
    }
