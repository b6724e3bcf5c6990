"""The controller's end of the session: gather every record, then summary, JSON report and baseline update.

Registered only on the process that reports (the single process, or the pytest-xdist controller), so these
things happen exactly once however many workers scored.
"""

from __future__ import annotations

import pytest

from .baselines import BaselineError, update_baseline_file
from .options import BrainscoreOptions
from .reporting import RecordBook

__all__ = ["BrainscoreController"]


class BrainscoreController:
    """A pytest plugin object holding the session's records."""

    def __init__(self, options: BrainscoreOptions) -> None:
        self.options = options
        self.book = RecordBook()
        self.baseline_update: dict[str, object] | None = None
        self.baseline_error: str | None = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.book.add(report)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        options = self.options
        if options.update_baseline and options.baseline is not None and self.book:
            try:  # a failed update must not cost the summary and the report
                written, kept = update_baseline_file(options.baseline, self.book.records)
                self.baseline_update = {"path": str(options.baseline), "written": written, "kept": kept}
            except BaselineError as error:
                self.baseline_error = str(error)
                self.baseline_update = {"path": str(options.baseline), "error": self.baseline_error}
                if session.exitstatus == pytest.ExitCode.OK:
                    session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if options.report is not None:
            self.book.write_json(options.report, options, self.baseline_update)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.book:
            return
        terminalreporter.section("brainscore")
        for line in self.book.summary_lines():
            terminalreporter.line(line)
        if self.baseline_error is not None:
            terminalreporter.line(f"ERROR: baseline not updated: {self.baseline_error}", red=True)
        elif self.baseline_update is not None:
            update = self.baseline_update
            terminalreporter.line(
                f"Baseline updated: {update['path']} ({update['written']} written, {update['kept']} kept)"
            )
        if self.options.report is not None:
            terminalreporter.line(f"Report written: {self.options.report}")
