"""The Markdown summary (CI job summaries, PR comments): the gate outcome, then a compact table, regressions
first; a pure function of a :class:`~brainscore_core.report.data.SessionReport`."""

from __future__ import annotations

from .data import ReportRow, SessionReport

__all__ = ["render_markdown"]


def _text(value: str) -> str:
    """Markdown- and HTML-safe text on one line: Markdown's markup characters backslash-escaped, ``&<>`` as HTML
    entities (which GitHub's and Python-Markdown's renderers both read back as the characters)."""
    out = " ".join(value.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in ("\\", "|", "`", "*", "_", "[", "]", "#"):
        out = out.replace(char, "\\" + char)
    return out


def _number(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.4f}" if signed else f"{value:.4f}"


def _status(row: ReportRow) -> str:
    if row.status == "regression":
        return "**REGRESSION**"
    if row.status == "failed":
        return "**failed**"
    if row.baseline_status == "improvement":
        return "passed, improved"
    return row.status


def render_markdown(report: SessionReport) -> str:
    """``## Brain-Score: pass`` (or ``FAIL: ...``), a line of counts, the table of scored pairs (status, model,
    benchmark, score, error, baseline, delta, seconds), the baseline comparisons' one-line verdicts (the paired gate's
    CI lines) and the skipped pairs with their reasons."""
    outcome = report.gate_outcome()
    lines = [
        f"## Brain-Score: {'pass' if outcome == 'pass' else outcome}",
        "",
        report.counts() + ".",
        "",
    ]
    scored = [row for row in report.rows if row.skipped is None]
    if scored:
        lines += [
            "| status | model | benchmark | score | error | baseline | delta | seconds |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row in scored:
            seconds = "-" if row.seconds is None else f"{row.seconds:.1f}"
            lines.append(
                f"| {_status(row)} | {_text(row.model)} | {_text(row.benchmark)} | {_number(row.score)} | "
                f"{_number(row.error)} | {_number(row.baseline_score)} | {_number(row.delta, signed=True)} | "
                f"{seconds} |"
            )
        lines.append("")
        verdicts = [row.gate_line for row in scored if row.gate_line]
        if verdicts:
            lines += ["Baseline comparisons:", "", *(f"- {_text(line)}" for line in verdicts), ""]
    skipped = [row for row in report.rows if row.skipped is not None]
    if skipped:
        lines += [f"Skipped ({len(skipped)}):", ""]
        lines += [f"- {_text(row.model)} on {_text(row.benchmark)}: {_text(row.skipped or '')}" for row in skipped]
        lines.append("")
    return "\n".join(lines)
