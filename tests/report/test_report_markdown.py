"""The Markdown summary: gate outcome first, regressions first, a compact table that a Markdown library renders."""

from __future__ import annotations

from dataclasses import replace

import pytest

from brainscore_core.report import SessionReport, render_markdown


def test_outcome_counts_and_regressions_first(session: SessionReport) -> None:
    text = render_markdown(session)
    lines = text.splitlines()
    assert lines[0] == "## Brain-Score: FAIL: 1 regression"
    assert lines[2] == "6 pairs: 1 regressed, 0 failed, 3 passed (1 improved), 2 skipped."
    table = [line for line in lines if line.startswith("| ") and "---" not in line]
    assert table[0] == "| status | model | benchmark | score | error | baseline | delta | seconds |"
    assert table[1] == "| **REGRESSION** | pixels | Mur2013.similarity-rsa | 0.1751 | 0.0234 | 0.3000 | -0.1249 | 1.3 |"
    assert table[2].startswith("| passed, improved | gabor\\_v1 | Kriegeskorte2008.hIT-rsa | 0.1785 |")
    assert len(table) == 5  # header and the four scored pairs; skipped pairs are listed below with their reason
    assert "Skipped (2):" in lines
    assert lines[-1].startswith("- pixels on Geirhos2019.edges-top1: Model 'pixels' cannot name images")


def test_a_passing_session_says_pass(first: SessionReport) -> None:
    assert render_markdown(first).startswith("## Brain-Score: pass\n\n4 pairs: 0 regressed")


def test_renders_as_a_table_with_a_markdown_library(session: SessionReport) -> None:
    markdown = pytest.importorskip("markdown", reason="the test extra installs markdown (pip install -e .[test])")
    html = markdown.markdown(render_markdown(session), extensions=["tables"])
    assert html.startswith("<h2>Brain-Score: FAIL: 1 regression</h2>")
    assert html.count("<tr>") == 5 and "<strong>REGRESSION</strong>" in html
    assert "<td>gabor_v1</td>" in html  # the escaped underscore renders as itself
    assert html.count("<li>") == 2


def test_identifiers_cannot_break_the_table_or_inject_markup(session: SessionReport) -> None:
    markdown = pytest.importorskip("markdown", reason="the test extra installs markdown (pip install -e .[test])")
    hostile = "a|b <img src=x> *c* `d` &lt;"
    rows = tuple(replace(row, model=hostile) if row.model == "pixels" else row for row in session.rows)
    html = markdown.markdown(render_markdown(replace(session, rows=rows)), extensions=["tables"])
    assert "<img" not in html and "<em>" not in html and "<code>" not in html
    assert "<td>a|b &lt;img src=x&gt; *c* `d` &amp;lt;</td>" in html  # shown exactly as the id reads
    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert first_row.count("<td") == 8  # the pipe did not split the cell
