"""The HTML report and the Markdown summary of a session (``--brainscore-html``, ``--brainscore-markdown``, and
``$GITHUB_STEP_SUMMARY``).

Both are rendered by :mod:`brainscore_core.report` from exactly the JSON that ``--brainscore-report`` writes
(:class:`~pytest_brainscore.reporting.ReportPlugin` builds it, here into a temporary file), so a view and the JSON
report never disagree. :class:`ViewsPlugin` is registered on the controller only and writes at the end of the
session; a file it cannot write is named in red in the summary and leaves the test results as they are.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import pytest

from .baselines import BaselinePlugin
from .controller import RecordBook
from .options import BrainscoreOptions, Option, flag, key
from .records import ScoreRecord
from .reporting import ReportPlugin

__all__ = ["OPTIONS", "PLUGIN_NAME", "STEP_SUMMARY", "ViewsPlugin", "configure"]

OPTIONS = (
    Option("html", "path", "Write a self-contained HTML report (table and plots) to this file.", "PATH"),
    Option("markdown", "path", "Write a Markdown summary (gate outcome, table) to this file.", "PATH"),
)
PLUGIN_NAME = "brainscore-views"
#: GitHub Actions' job summary file: when set, the Markdown summary is appended to it.
STEP_SUMMARY = "GITHUB_STEP_SUMMARY"


def _path(config: pytest.Config, name: str) -> Path | None:
    value = config.getoption(key(name))
    if value is not None:
        return (config.invocation_params.dir / Path(value).expanduser()).resolve()
    value = config.getini(key(name))
    if not value:
        return None
    base = config.inipath.parent if config.inipath else config.invocation_params.dir
    return (base / Path(value).expanduser()).resolve()


class ViewsPlugin:
    """Writes the HTML and Markdown views on the process that reports, after the baseline update."""

    def __init__(
        self,
        options: BrainscoreOptions,
        book: RecordBook,
        baseline: BaselinePlugin | None,
        html: Path | None = None,
        markdown: Path | None = None,
        step_summary: Path | None = None,
    ) -> None:
        self.options = options
        self.book = book
        self.baseline = baseline
        self.html = html
        self.markdown = markdown
        self.step_summary = step_summary
        self.lines: list[tuple[str, bool]] = []

    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> Generator[None, None, None]:
        result = yield
        self.write()
        return result

    def payload(self) -> dict[str, Any]:
        """The JSON report of this session, as ``--brainscore-report`` writes it."""
        with tempfile.TemporaryDirectory(prefix="brainscore-report-") as folder:
            path = Path(folder) / "report.json"
            ReportPlugin(path, self.options, self.book, self.baseline).write()
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return data

    def write(self) -> None:
        """Render and write every requested view; a failure becomes a red summary line naming the file.

        ``--brainscore-html``/``-markdown`` are written even for a session that scored no pair (a report of 0
        pairs, so a CI step that uploads it finds it); the job summary only gets a section when pairs were scored.
        """
        from brainscore_core.report import parse_report, render_html, render_markdown, write_view

        source = str(self.options.report) if self.options.report is not None else "this session"
        report = parse_report(self.payload(), source)
        if self.html is not None:
            self._attempt("HTML report", self.html, lambda: write_view(self.html or Path(), render_html(report)))
        if self.markdown is not None:
            markdown = self.markdown
            self._attempt("Markdown summary", markdown, lambda: write_view(markdown, render_markdown(report)))
        if self.step_summary is not None and self.book:
            summary = self.step_summary
            self._attempt("Job summary", summary, lambda: _append(summary, render_markdown(report)))

    def _attempt(self, what: str, path: Path, action: Callable[[], object]) -> None:
        try:
            action()
        except Exception as error:  # noqa: BLE001 - a view must never turn the session's results into a crash
            reason = str(error) if isinstance(error, OSError) or path.name in str(error) else f"{path}: {error!r}"
            self.lines.append((f"{what} NOT written: {reason}", True))
        else:
            verb = "appended to" if what == "Job summary" else "written:"
            self.lines.append((f"{what} {verb} {path}", False))

    def summary_lines(self, rows: list[ScoreRecord]) -> list[tuple[str, bool]]:
        return list(self.lines)


def _append(path: Path, text: str) -> None:
    try:
        with path.open("a", encoding="utf-8") as stream:
            stream.write(text + "\n")
    except OSError as error:
        raise OSError(f"cannot append to {path} (${STEP_SUMMARY}): {error.strerror or error}.") from None


def configure(
    config: pytest.Config, options: BrainscoreOptions, book: RecordBook, baseline: BaselinePlugin | None
) -> ViewsPlugin | None:
    """The views plugin when ``--brainscore-html``, ``--brainscore-markdown`` or ``$GITHUB_STEP_SUMMARY`` asks
    for a view; None otherwise. ``plugin.py`` registers it on the controller."""
    html, markdown = _path(config, "html"), _path(config, "markdown")
    for name, path, suffix in (("html", html, "html"), ("markdown", markdown, "md")):
        if path is not None and path.is_dir():
            example = path / f"report.{suffix}"
            raise pytest.UsageError(f"{flag(name)} {path} is a folder. Give a file name, e.g. {example}.")
    summary = os.environ.get(STEP_SUMMARY) or None
    if html is None and markdown is None and summary is None:
        return None
    return ViewsPlugin(options, book, baseline, html, markdown, None if summary is None else Path(summary))
