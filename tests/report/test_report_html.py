"""The HTML report's structure: header, table rows and order, skipped reasons, plots, no external URL, escaping."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from brainscore_core.report import SessionReport, compare_reports, render_html
from brainscore_core.report.html import COLUMNS
from brainscore_core.report.plots import PALETTE


class _Page(HTMLParser):
    """Collects the table rows (class and cell texts), the header cells, svg and script elements, and every
    attribute value, from a page that must parse as HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, list[str]]] = []
        self.headers: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.svg_texts: list[str] = []
        self._cell: list[str] | None = None
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]
        self._in.append(tag)
        if tag == "tr":
            self.rows.append((dict(attrs).get("class") or "", []))
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell)
            (self.headers if tag == "th" else self.rows[-1][1]).append(text)
            self._cell = None
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if "svg" in self._in and "text" in self._in:
            self.svg_texts.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def test_header_names_when_versions_models_benchmarks_and_the_gate(session: SessionReport) -> None:
    page = render_html(session)
    assert '<span class="outcome fail" id="gate">FAIL: 1 regression</span>' in page
    assert "<dd>2026-11-29T21:46:40+00:00</dd>" in page
    assert "pytest-brainscore 0.1.0" in page and "numpy 2.4.6" in page
    assert "<dd>gabor_v1, pixels</dd>" in page
    assert "<dd>Geirhos2019.edges-top1, Kriegeskorte2008.hIT-rsa, Mur2013.similarity-rsa</dd>" in page
    assert "<title>Brain-Score report: FAIL: 1 regression</title>" in page


def test_table_has_every_column_and_one_row_per_pair_regressions_first(session: SessionReport) -> None:
    page = _parse(render_html(session, plots=False))
    assert page.headers == list(COLUMNS)
    body = [(cls, cells) for cls, cells in page.rows if cells]
    assert len(body) == 6
    assert body[0][0] == "regression" and body[0][1][:3] == ["regression", "pixels", "Mur2013.similarity-rsa v1"]
    numbers = body[0][1][3:9]  # score, raw, ceiling, error, baseline, delta
    assert numbers == ["0.1751", "0.1007", "0.5751", "0.0234", "0.3000", "-0.1249"]
    assert body[1][0] == "passed improvement" and body[1][1][0] == "passed, improved"
    skipped = [cells for cls, cells in body if cls == "skipped"]
    assert len(skipped) == 2 and all(cells[10].startswith("skipped: Model ") for cells in skipped)
    assert "REGRESSION" in body[0][1][10]


def test_regression_rows_are_red_and_cells_carry_sort_keys(session: SessionReport) -> None:
    page = render_html(session, plots=False)
    assert re.search(r"tr\.regression td\{color:#[0-9a-f]{6}", page)
    assert 'class="sortable"' in page and "addEventListener" in page
    assert '<td class="num" data-sort="0.17508149802506864">0.1751</td>' in page


def test_skipped_pairs_are_listed_with_their_reason(session: SessionReport) -> None:
    page = render_html(session, plots=False)
    assert "<h2>Skipped pairs (2)</h2>" in page
    assert "<li>pixels on Geirhos2019.edges-top1: Model &#x27;pixels&#x27; cannot name images" in page


def test_plots_are_inline_svg_with_labelled_axes_and_the_palette(session: SessionReport) -> None:
    page = render_html(session)
    parsed = _parse(page)
    assert parsed.tags.count("svg") == 3  # a bar chart per scored benchmark, and score vs baseline
    figcaptions = re.findall(r"<figcaption>(.*?)</figcaption>", page)
    assert figcaptions == [
        "Kriegeskorte2008.hIT-rsa: ceiled scores with error bars",
        "Mur2013.similarity-rsa: ceiled scores with error bars",
        "Score vs baseline",
    ]
    texts = " ".join(parsed.svg_texts)
    for label in ("ceiled score (raw / ceiling)", "model", "pair", "noise ceiling (raw 0.661)", "pixels on Mur2013"):
        assert label in texts
    assert PALETTE[0].lower() in page.lower() and "#d55e00" in page.lower()  # bars; the regression's line


def test_no_external_reference_anywhere(session: SessionReport, first: SessionReport) -> None:
    for page in (render_html(session), render_html(compare_reports(session, first))):
        assert "http://" not in page and "https://" not in page
        assert "//" not in re.sub(r"<script>.*?</script>", "", page, flags=re.DOTALL)  # nor protocol-relative
        parsed = _parse(page)
        references = [value for name, value in parsed.attributes if name in ("src", "href", "xlink:href")]
        assert references and all(value.startswith("#") for value in references)  # only the SVG's own ids
        assert "link" not in parsed.tags and "img" not in parsed.tags and "iframe" not in parsed.tags


def test_identifiers_are_escaped_in_table_header_and_plots(session: SessionReport) -> None:
    hostile = '<script>alert("x")</script>$\\alpha$&'
    rows = tuple(replace(row, model=hostile) if row.model == "pixels" else row for row in session.rows)
    page = render_html(replace(session, rows=rows))
    assert "<script>alert" not in page
    assert page.count("<script>") == 1  # the page's own sort script
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;$\\alpha$&amp;" in page
    parsed = _parse(page)
    assert any(hostile in text for text in parsed.svg_texts)  # drawn literally: no mathtext, escaped in the SVG


def test_compare_names_the_older_report_and_fills_the_columns(session: SessionReport, first: SessionReport) -> None:
    page = render_html(compare_reports(session, first))
    assert "(baseline and delta columns; not a gate)" in page
    assert "Score vs older report" in page


def test_without_plots_matplotlib_is_not_imported() -> None:
    code = (
        "import sys; from brainscore_core.report import load_report, render_html; "
        "render_html(load_report(sys.argv[1]), plots=False); print('matplotlib' in sys.modules)"
    )
    path = Path(__file__).parent / "data" / "session_report.json"
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_benchmark_without_a_ceiling_gets_no_ceiling_line(session: SessionReport) -> None:
    from brainscore_core.report.plots import benchmark_bars

    rows = [row for row in session.rows if row.benchmark == "Mur2013.similarity-rsa"]
    with_ceiling = _parse(benchmark_bars("Mur2013.similarity-rsa", rows)).svg_texts
    without = _parse(benchmark_bars("Mur2013.similarity-rsa", [replace(row, ceiling=None) for row in rows])).svg_texts
    assert "noise ceiling (raw 0.575)" in with_ceiling
    assert not any("ceiling" in text for text in without) and "score" in without
