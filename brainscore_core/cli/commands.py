"""Implementations of the ``brainscore`` sub-commands."""

from __future__ import annotations

import argparse
import json
import sys

from .table import format_table

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    handler = {
        "list": _list,
        "score": _score,
        "check-plugin": _check_plugin,
        "cache": _cache,
        "demo": _demo,
        "fetch": _fetch,
        "merge": _merge,
        "report": _report,
    }[args.command]
    return handler(args)


def _list(args: argparse.Namespace) -> int:
    from ..registry import REGISTRIES

    kinds = [args.kind] if args.kind else ["models", "benchmarks"]
    for index, kind in enumerate(kinds):
        descriptions = REGISTRIES[kind].describe()
        if index:
            print()
        print(f"{kind} ({len(descriptions)}):")
        width = max((len(identifier) for identifier in descriptions), default=0)
        for identifier, description in descriptions.items():
            print(f"  {identifier.ljust(width)}  {description}".rstrip())
    return 0


def _score(args: argparse.Namespace) -> int:
    from ..scoring import score
    from .building import build_registered

    model = build_registered("models", args.model)
    benchmark = build_registered("benchmarks", args.benchmark)
    result = score(model, benchmark)
    if args.json:
        print(result.to_json(indent=2))
    else:
        rows = [_row(result)]
        print(format_table(rows, ["model", "benchmark", "score", "raw", "ceiling", "error", "seconds"]))
    return 0


def _row(result) -> dict[str, object]:
    return {
        "model": result.model_identifier,
        "benchmark": result.benchmark_identifier,
        "score": result.value,
        "raw": result.raw,
        "ceiling": result.ceiling,
        "error": result.error,
        "seconds": result.attrs.get("seconds"),
    }


def _check_plugin(args: argparse.Namespace) -> int:
    from .check_plugin import check_plugin

    report = check_plugin(args.path, build=not args.no_build)
    print(report.render())
    return 0 if report.ok else 1


def _cache(args: argparse.Namespace) -> int:
    from .. import cache

    if args.cache_command == "info":
        info = cache.info()
        print(json.dumps(info, indent=2, default=str))
        return 0
    removed = cache.clear(model=args.model)
    scope = f" for model {args.model!r}" if args.model else ""
    print(f"removed {removed} cache entries{scope}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .demo import run_demo

    html = args.html
    if html is None and args.output:
        html = str(Path(args.output).with_name("demo_report.html"))
    return run_demo(
        models=args.models, benchmarks=args.benchmarks, output=args.output, html=html or None, stream=sys.stdout
    )


def _fetch(args: argparse.Namespace) -> int:
    from ..fetching import fetch, plan, resolve_data_ids

    identifiers = resolve_data_ids(args.identifiers)
    if args.dry_run:
        for identifier in identifiers:
            for planned in plan(identifier):
                print(f"{planned.url}  sha1:{planned.file.sha1}  {planned.path}  {planned.state}")
        return 0
    for identifier in identifiers:
        for name, path in fetch(identifier).items():
            print(f"{identifier}: {name} -> {path}")
    return 0


def _merge(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pytest_brainscore.merging import MergeRefused, run_merge
    from pytest_brainscore.options import DEFAULT_TOLERANCE

    tolerance = DEFAULT_TOLERANCE if args.tolerance is None else args.tolerance
    if tolerance < 0 or tolerance != tolerance:
        print(f"error: --tolerance {args.tolerance} must be zero or positive.", file=sys.stderr)
        return 2
    try:
        status, lines = run_merge(
            [Path(path) for path in args.reports],
            Path(args.output),
            baseline=None if args.baseline is None else Path(args.baseline),
            tolerance=tolerance,
            update_baseline=args.update_baseline,
        )
    except MergeRefused as refused:
        print("error: brainscore merge refused:", file=sys.stderr)
        for problem in refused.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    return status


def _report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..report import compare_reports, load_report, render_html, render_markdown, write_view
    from .options import check_output_file

    output = Path(args.output)
    check_output_file(output, "-o")
    report = load_report(args.results)
    if args.compare:
        report = compare_reports(report, load_report(args.compare))
    markdown = args.format == "markdown" or (args.format is None and output.suffix.lower() in (".md", ".markdown"))
    text = render_markdown(report) if markdown else render_html(report)
    write_view(output, text)
    kind = "Markdown" if markdown else "HTML"
    print(f"{kind} report written: {output} ({len(report.rows)} pairs, gate: {report.gate_outcome()})")
    return 0
