"""pytest-html extras: each brainscore test's row in pytest-html's report gets its pairs' numbers and bar plot.

Registered by ``plugin.pytest_configure`` only when pytest-html is loaded (plugin name ``html``). It uses the
loaded plugin's ``extras`` (``config.pluginmanager.getplugin("html").extras``, as pytest-html documents), so
nothing of pytest-html is imported here; without pytest-html nothing here runs. The numbers and the plot are
rendered by :mod:`brainscore_core.report` from the test's records, as in ``--brainscore-html``.
"""

from __future__ import annotations

from collections.abc import Generator
from html import escape
from typing import Any

import pytest

from .controller import REPORT_ATTRIBUTE
from .records import ScoreRecord

__all__ = ["PLUGIN_NAME", "PYTEST_HTML", "PytestHtmlExtras", "record_html"]

PYTEST_HTML = "html"  #: pytest-html's plugin name
PLUGIN_NAME = "brainscore-pytest-html"


def record_html(record: ScoreRecord) -> str:
    """A pair's numbers as a small table and, when it has a score, its bar with error bar and ceiling (SVG)."""
    from brainscore_core.report import parse_report
    from brainscore_core.report.plots import benchmark_bars

    row = parse_report({"results": [{**record.to_dict(), "status": record.status}]}, record.nodeid).rows[0]
    numbers = {"score": row.score, "raw": row.raw, "ceiling": row.ceiling, "error": row.error}
    cells = [f"<tr><th>{name}</th><td>{'-' if v is None else f'{v:.4f}'}</td></tr>" for name, v in numbers.items()]
    if row.delta is not None and row.baseline_score is not None:
        comparison = f"{row.baseline_score:.4f} ({row.delta:+.4f}, {row.baseline_status})"
        cells.append(f"<tr><th>baseline</th><td>{escape(comparison)}</td></tr>")
    if row.skipped is not None:
        cells.append(f"<tr><th>skipped</th><td>{escape(row.skipped)}</td></tr>")
    plot = benchmark_bars(row.benchmark, [row]) if row.score is not None else ""
    title = escape(f"{row.model} on {row.benchmark}")
    return f'<div class="brainscore"><p>{title}</p><table>{"".join(cells)}</table>{plot}</div>'


class PytestHtmlExtras:
    """Adds one HTML extra per scored pair to the report that carries the test's records."""

    def __init__(self, pytest_html: Any) -> None:
        self.extras = pytest_html.extras  #: pytest-html's extras module, from its loaded plugin

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield  # registered after plugin.py, so this wrapper sees the records plugin.py attached
        records: list[ScoreRecord] | None = getattr(report, REPORT_ATTRIBUTE, None)
        if records:
            added = [self.extras.html(record_html(record)) for record in records]
            setattr(report, "extras", [*getattr(report, "extras", []), *added])  # noqa: B010 - not a TestReport field
        return report
