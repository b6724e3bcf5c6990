"""The HTML report: one self-contained page (inline CSS, script and SVG; no external reference), a pure function
of a :class:`~brainscore_core.report.data.SessionReport`. Every piece of text from the report is escaped."""

from __future__ import annotations

from html import escape

from .data import ReportRow, SessionReport

__all__ = ["COLUMNS", "render_html"]

#: The results table's columns, in order.
COLUMNS = (
    "status",
    "model",
    "benchmark",
    "score",
    "raw",
    "ceiling",
    "error",
    "baseline",
    "delta",
    "thresholds",
    "gate",
    "seconds",
    "cache",
)

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem auto;max-width:72rem;padding:0 1rem;
color:#1a1a1a;line-height:1.4}
h1{font-size:1.4rem;margin-bottom:.2rem}h2{font-size:1.1rem;margin-top:1.6rem}
.outcome{display:inline-block;padding:.15rem .6rem;border-radius:.3rem;font-weight:600}
.outcome.pass{background:#d9efe7;color:#00573f}.outcome.fail{background:#fbe0d2;color:#8a3300}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.6rem 0}dl.meta dt{font-weight:600}
dl.meta dd{margin:0}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{border-bottom:1px solid #ddd;padding:.25rem .45rem;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
th{cursor:pointer;user-select:none;background:#f3f3f3;position:sticky;top:0}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
tr.regression td{color:#a33a00;background:#fdf0e9;font-weight:600}tr.failed td{color:#a33a00}
tr.skipped td{color:#666}tr.improvement td{color:#00573f}
figure{margin:1rem 0;break-inside:avoid}figure svg{max-width:100%;height:auto}
figcaption{font-size:.85rem;color:#444}
.plots{display:flex;flex-wrap:wrap;gap:1rem}
@media print{th{position:static}body{max-width:none}}
"""

_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function(table){
  var heads=table.querySelectorAll("th");
  heads.forEach(function(th,column){th.addEventListener("click",function(){
    var ascending=th.getAttribute("aria-sort")!=="ascending";
    heads.forEach(function(h){h.removeAttribute("aria-sort");});
    th.setAttribute("aria-sort",ascending?"ascending":"descending");
    var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){
      var x=a.cells[column].getAttribute("data-sort"),y=b.cells[column].getAttribute("data-sort");
      var nx=parseFloat(x),ny=parseFloat(y),order;
      if((x==="")!==(y==="")){return x===""?1:-1;}
      if(!isNaN(nx)&&!isNaN(ny)){order=nx-ny;}else{order=x<y?-1:x>y?1:0;}
      return ascending?order:-order;});
    rows.forEach(function(r){body.appendChild(r);});});});
});
"""


def _number(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.4f}" if signed else f"{value:.4f}"


def _cell(text: str, sort: object = None, numeric: bool = False) -> str:
    key = text if sort is None else sort
    cls = ' class="num"' if numeric else ""
    return f'<td{cls} data-sort="{escape(str(key))}">{escape(text)}</td>'


def _status_text(row: ReportRow) -> str:
    if row.baseline_status == "improvement" and row.status == "passed":
        return "passed, improved"
    return row.status


def _row_html(row: ReportRow, rank: int) -> str:
    thresholds = ", ".join(f"{name} {bound:g}" for name, bound in row.thresholds.items()) or "-"
    gate = f"skipped: {row.skipped}" if row.skipped is not None else row.gate_line or row.gate
    cells = [
        _cell(_status_text(row), sort=rank),
        _cell(row.model),
        _cell(row.benchmark + ("" if row.benchmark_version is None else f" v{row.benchmark_version}")),
        *(_cell(_number(v), sort="" if v is None else v, numeric=True) for v in (row.score, row.raw, row.ceiling)),
        _cell(_number(row.error), sort="" if row.error is None else row.error, numeric=True),
        _cell(_number(row.baseline_score), sort="" if row.baseline_score is None else row.baseline_score, numeric=True),
        _cell(_number(row.delta, signed=True), sort="" if row.delta is None else row.delta, numeric=True),
        _cell(thresholds),
        _cell(gate),
        _cell(
            "-" if row.seconds is None else f"{row.seconds:.2f}",
            sort="" if row.seconds is None else row.seconds,
            numeric=True,
        ),
        _cell(row.cache),
    ]
    classes = [row.status]
    if row.baseline_status == "improvement":
        classes.append("improvement")
    return f'<tr class="{" ".join(classes)}">{"".join(cells)}</tr>'


def _table(report: SessionReport) -> str:
    head = "".join(f'<th scope="col">{escape(column)}</th>' for column in COLUMNS)
    body = "\n".join(_row_html(row, rank) for rank, row in enumerate(report.rows))
    return f'<table class="sortable" id="results">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>'


def _header(report: SessionReport) -> str:
    outcome = report.gate_outcome()
    versions = ", ".join(f"{name} {value}" for name, value in report.versions.items() if value is not None)
    items = [
        ("created", report.created or "-"),
        ("report", report.source),
        ("versions", versions or "-"),
        ("models", ", ".join(report.models) or "-"),
        ("benchmarks", ", ".join(report.benchmarks) or "-"),
        ("pairs", report.counts()),
    ]
    if report.baseline_path:
        items.append(("baseline", report.baseline_path))
    if report.compared_with:
        items.append(("compared with", f"{report.compared_with} (baseline and delta columns; not a gate)"))
    meta = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in items)
    cls = "pass" if outcome == "pass" else "fail"
    return (
        f'<h1>Brain-Score report</h1>\n<p>Gate: <span class="outcome {cls}" id="gate">{escape(outcome)}</span></p>\n'
        f'<dl class="meta">{meta}</dl>'
    )


def _skipped(report: SessionReport) -> str:
    skipped = [row for row in report.rows if row.skipped is not None]
    if not skipped:
        return ""
    items = "".join(
        f"<li>{escape(row.model)} on {escape(row.benchmark)}: {escape(row.skipped or '')}</li>" for row in skipped
    )
    return f'<h2>Skipped pairs ({len(skipped)})</h2>\n<ul id="skipped">{items}</ul>'


def _plots(report: SessionReport, with_plots: bool) -> str:
    if not with_plots:
        return ""
    from .plots import report_plots

    figures = "\n".join(
        f'<figure class="plot">{svg}<figcaption>{escape(caption)}</figcaption></figure>'
        for caption, svg in report_plots(report)
    )
    return f'<h2>Plots</h2>\n<div class="plots">\n{figures}\n</div>' if figures else ""


def render_html(report: SessionReport, plots: bool = True) -> str:
    """The whole page as a string: header (when, versions, models, benchmarks, gate outcome), the sortable
    results table (regressions first, in red; improvements marked; skipped pairs with their reason), the skipped
    pairs, and the plots (``plots=False`` leaves them out and matplotlib unimported)."""
    title = f"Brain-Score report: {report.gate_outcome()}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"{_header(report)}\n<h2>Results</h2>\n"
        "<p>Click a column to sort (empty cells stay last). Regressions come first, in red; "
        "improvements are marked.</p>\n"
        f"{_table(report)}\n{_skipped(report)}\n{_plots(report, plots)}\n"
        f"<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )
