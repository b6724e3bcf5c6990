"""The report's plots, drawn with matplotlib (Agg) and returned as inline SVG text with no external reference.

Colours are Okabe and Ito's colour-blind-safe palette; every axis is labelled; identifiers are drawn as plain
text (no mathtext, so a ``$`` in a model id stays a ``$``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .data import ReportRow, SessionReport

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["PALETTE", "STATUS_COLOURS", "benchmark_bars", "model_colours", "report_plots", "score_vs_baseline"]

#: Okabe & Ito (2008): distinguishable under the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
#: Colours of the baseline comparison: regression vermillion, improvement bluish green, others blue/grey.
STATUS_COLOURS = {
    "regression": "#D55E00",
    "improvement": "#009E73",
    "unchanged": "#0072B2",
    "compared": "#0072B2",
    "incomparable": "#999999",
}


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure  # a Figure without pyplot: no global state, no GUI backend

    return Figure(figsize=(width, height), layout="constrained")


def _plain(labels: Sequence[str]) -> list[str]:
    return [str(label) for label in labels]


def _no_math(ax: Axes) -> None:
    for text in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        text.set_parse_math(False)


def _svg(figure: Figure) -> str:
    """The figure as an ``<svg>`` element for inline use: no XML prolog, doctype, metadata or namespace URLs."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "brainscore-report"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL)
    text = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", text)
    return text.strip()


def model_colours(models: Sequence[str]) -> dict[str, str]:
    """One palette colour per model, in the order given (the same model has the same colour in every plot)."""
    return {model: PALETTE[i % len(PALETTE)] for i, model in enumerate(models)}


def benchmark_bars(benchmark: str, rows: Sequence[ReportRow], colours: dict[str, str] | None = None) -> str:
    """One benchmark: each model's ceiled score as a bar with its error bar (models in name order), the noise
    ceiling (1.0 on the ceiled scale) as a dashed line labelled with the raw ceiling when the rows have one.
    Skipped and unscored pairs are left out."""
    scored = sorted((row for row in rows if row.score is not None), key=lambda row: row.model)
    colours = colours or model_colours([row.model for row in scored])
    figure = _figure(max(3.2, 0.9 * len(scored) + 1.8), 3.0)
    ax = figure.add_subplot()
    positions = list(range(len(scored)))
    ax.bar(
        positions,
        [row.score or 0.0 for row in scored],
        yerr=[row.error or 0.0 for row in scored],
        color=[colours.get(row.model, PALETTE[0]) for row in scored],
        capsize=4,
        ecolor="#000000",
    )
    ceilings = sorted({round(row.ceiling, 4) for row in scored if row.ceiling is not None})
    if ceilings:  # a benchmark without a ceiling (the score is the raw value) gets no line
        label = f"noise ceiling (raw {', '.join(f'{c:.3f}' for c in ceilings)})"
        ax.axhline(1.0, color="#000000", linestyle="--", linewidth=1, label=label)
    ax.set_xticks(positions, _plain([row.model for row in scored]), rotation=30, ha="right")
    _no_math(ax)
    ax.set_ylabel("ceiled score (raw / ceiling)" if ceilings else "score")
    ax.set_xlabel("model")
    title = ax.set_title(benchmark, fontsize=10)
    title.set_parse_math(False)
    top = max([1.0, *((row.score or 0.0) + (row.error or 0.0) for row in scored)])
    ax.set_ylim(min(0.0, *((row.score or 0.0) - (row.error or 0.0) for row in scored)), top * 1.25)  # legend room
    if ceilings:
        ax.legend(loc="upper right", fontsize=8, frameon=False)
    return _svg(figure)


def score_vs_baseline(rows: Sequence[ReportRow], reference: str = "baseline") -> str:
    """A dumbbell chart: per pair, the baseline score (hollow) and this session's (filled), joined by a line
    coloured by the comparison's status; error bars on this session's score."""
    from matplotlib.lines import Line2D

    pairs = [row for row in rows if row.score is not None and row.baseline_score is not None]
    figure = _figure(6.4, max(1.8, 0.45 * len(pairs) + 1.2))
    ax = figure.add_subplot()
    for y, row in enumerate(pairs):
        assert row.score is not None and row.baseline_score is not None
        colour = STATUS_COLOURS.get(row.baseline_status or "", "#0072B2")
        ax.plot([row.baseline_score, row.score], [y, y], color=colour, linewidth=2)
        ax.plot([row.baseline_score], [y], marker="o", markerfacecolor="white", markeredgecolor=colour, linestyle="")
        ax.errorbar([row.score], [y], xerr=[row.error or 0.0], fmt="o", color=colour, capsize=3)
    ax.set_yticks(list(range(len(pairs))), _plain([f"{row.model} on {row.benchmark}" for row in pairs]))
    _no_math(ax)
    ax.invert_yaxis()
    ax.set_xlabel(f"ceiled score (hollow: {reference}, filled: this session)")
    ax.set_ylabel("pair")
    shown = list(dict.fromkeys(row.baseline_status or "" for row in pairs))
    handles = [Line2D([], [], color=STATUS_COLOURS.get(status, "#0072B2"), linewidth=2) for status in shown]
    ax.legend(handles, shown, loc="best", fontsize=8, frameon=False)
    return _svg(figure)


def report_plots(report: SessionReport) -> list[tuple[str, str]]:
    """(caption, svg) for every plot the report's data supports."""
    plots = []
    colours = model_colours(report.models)
    for benchmark in report.benchmarks:
        rows = [row for row in report.rows if row.benchmark == benchmark and row.score is not None]
        if rows:
            plots.append((f"{benchmark}: ceiled scores with error bars", benchmark_bars(benchmark, rows, colours)))
    if any(row.baseline_score is not None and row.score is not None for row in report.rows):
        reference = "older report" if report.compared_with else "baseline"
        plots.append((f"Score vs {reference}", score_vs_baseline(report.rows, reference)))
    return plots
