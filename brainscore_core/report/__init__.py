"""Views of a session's JSON report (``pytest --brainscore-report``): a self-contained HTML page with plots and
a Markdown summary, each a pure function of the JSON (so CI can render them later, and two reports compare)."""

from __future__ import annotations

from .data import ReportError, ReportRow, SessionReport, compare_reports, load_report, parse_report
from .html import render_html
from .markdown import render_markdown
from .output import write_view

__all__ = [
    "ReportError",
    "ReportRow",
    "SessionReport",
    "compare_reports",
    "load_report",
    "parse_report",
    "render_html",
    "render_markdown",
    "write_view",
]
