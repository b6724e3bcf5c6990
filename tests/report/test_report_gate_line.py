"""The paired gate's verdict line (issue 17: delta, bound, p, t, df and what was resampled) reaches the HTML and
Markdown views from the JSON report's ``comparison`` object."""

from __future__ import annotations

import json
from pathlib import Path

from brainscore_core.report import parse_report, render_html, render_markdown

SESSION = Path(__file__).parent / "data" / "session_report.json"

LINE = (
    "REGRESSION pixels @ Kriegeskorte2008.hIT-rsa v1: 0.512 -> 0.463 (Δ -0.049 < -tol 0.010; 99% bound -0.009) "
    "p=0.004, t=-2.92 df=41 [4 subjects ⊕ 92-stimulus jackknife] <b>"
)


def _with_comparison() -> dict:
    payload = json.loads(SESSION.read_text())
    payload["results"][0]["comparison"] = {"status": "regression", "p": 0.004, "df": 41.0, "line": LINE}
    return payload


def test_the_html_gate_cell_shows_the_paired_verdict_line_escaped() -> None:
    page = render_html(parse_report(_with_comparison(), "session.json"))
    assert "99% bound -0.009) p=0.004, t=-2.92 df=41 [4 subjects ⊕ 92-stimulus jackknife] &lt;b&gt;" in page
    assert LINE not in page  # never unescaped


def test_the_markdown_summary_lists_the_verdict_lines() -> None:
    text = render_markdown(parse_report(_with_comparison(), "session.json"))
    assert "Baseline comparisons:" in text
    assert "99% bound -0.009) p=0.004, t=-2.92 df=41" in text


def test_a_report_without_comparisons_has_no_verdict_lines() -> None:
    text = render_markdown(parse_report(json.loads(SESSION.read_text()), "session.json"))
    assert "Baseline comparisons:" not in text
