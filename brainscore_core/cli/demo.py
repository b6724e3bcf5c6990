"""``brainscore demo``: score every example model on every benchmark it is compatible with."""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from ..cache._atomic import atomic_write_bytes
from ..errors import DataUnavailableError, IncompatibleModelError
from ..registry import Registry, benchmark_registry, model_registry
from .table import format_table

__all__ = ["run_demo", "select_identifiers"]

COLUMNS = ["model", "benchmark", "score", "raw", "ceiling", "error", "seconds", "status"]


def select_identifiers(registry: Registry[Any], patterns: Sequence[str] | None) -> list[str]:
    """Identifiers matching any of ``patterns`` (see :meth:`Registry.select`); all when ``patterns`` is empty."""
    return registry.select(patterns) if patterns else list(registry)


def _write_json(path: Path, payload: object) -> None:
    atomic_write_bytes(path, json.dumps(payload, indent=2).encode())


def _split_by_local_data(benchmark_ids: Sequence[str]) -> tuple[list[str], list[str]]:
    """(benchmarks whose declared remote data are all on this machine, or which declare none; the others). On this
    machine: in the data cache or a Brain-Score download cache, or anywhere when a data mirror is set."""
    from ..fetching import MIRROR_ENV, benchmark_data_ids, plan

    if os.environ.get(MIRROR_ENV, "").strip():
        return list(benchmark_ids), []
    here: dict[str, bool] = {}  # data id -> all its files are on this machine (benchmarks share data sets)
    local: list[str] = []
    remote: list[str] = []
    for benchmark_id in benchmark_ids:
        for data_id in benchmark_data_ids(benchmark_id):
            if data_id not in here:
                here[data_id] = not any(planned.state.startswith("missing") for planned in plan(data_id))
        everything_here = all(here[data_id] for data_id in benchmark_data_ids(benchmark_id))
        (local if everything_here else remote).append(benchmark_id)
    return local, remote


def run_demo(
    *,
    models: Sequence[str] | None = None,
    benchmarks: Sequence[str] | None = None,
    output: str | os.PathLike[str] | None = "demo_results.json",
    html: str | os.PathLike[str] | None = None,
    stream: IO[str] = sys.stdout,
) -> int:
    """Score each selected model on each selected benchmark, print a table and write JSON results.

    Pairs where the model lacks a needed capability are listed as skipped; models that cannot be built (e.g.
    missing pretrained weights) are listed as unavailable with the reason, and so are benchmarks whose data cannot
    be fetched (each data set tried once; not a failure of the demo). Without ``benchmarks``, benchmarks whose data
    are not on this machine are left out, with one line saying how to fetch them. An ``output`` that is a folder is
    refused before any scoring. ``html`` also writes the results as an HTML report (:mod:`brainscore_core.report`).
    Progress goes to stderr: each model's build and each pair's score with the seconds they took. Returns 1 if
    any score failed.
    """
    from ..fetching import benchmark_data_ids
    from ..scoring import score
    from .building import build_registered
    from .options import check_output_file

    if output:
        check_output_file(Path(output))
    if html:
        check_output_file(Path(html), "--html")
    model_ids = select_identifiers(model_registry, models)
    benchmark_ids = select_identifiers(benchmark_registry, benchmarks)
    if benchmarks is None:  # the default: what runs on this machine now; named benchmarks are tried as asked
        benchmark_ids, remote = _split_by_local_data(benchmark_ids)
        if remote:
            print(
                f"Left out {len(remote)} benchmark(s) whose data are not on this machine (e.g. {remote[0]}): run "
                f"`brainscore fetch {remote[0]}` where there is network, then `brainscore demo --benchmarks "
                f"{remote[0]}`.",
                file=stream,
                flush=True,
            )
    print(
        f"Scoring {len(model_ids)} model(s) on {len(benchmark_ids)} benchmark(s); cached results make reruns fast.",
        file=stream,
        flush=True,
    )
    loaded_benchmarks = {}
    unavailable: dict[str, str] = {}  # benchmark or data id -> why the data cannot be had (tried once)
    rows: list[dict[str, object]] = []
    failures = 0
    started = time.perf_counter()
    for model_id in model_ids:
        print(f"  building {model_id} ...", file=sys.stderr, flush=True)
        built = time.perf_counter()
        try:
            model = build_registered("models", model_id)
        except Exception as error:  # noqa: BLE001 - any plugin's failure (e.g. weights not on this machine) is a row
            rows.append({"model": model_id, "benchmark": "*", "status": f"unavailable: {error}"})
            print(f"  {model_id}: unavailable ({error})", file=sys.stderr, flush=True)
            continue
        print(f"  built {model_id} in {time.perf_counter() - built:.1f} s", file=sys.stderr, flush=True)
        for benchmark_id in benchmark_ids:
            print(f"  {model_id} on {benchmark_id} ...", file=sys.stderr, flush=True)
            pair_started = time.perf_counter()
            row: dict[str, object] = {"model": model_id, "benchmark": benchmark_id}
            known_missing = [unavailable[d] for d in benchmark_data_ids(benchmark_id) if d in unavailable]
            if benchmark_id in unavailable or known_missing:
                row["status"] = unavailable.get(benchmark_id) or known_missing[0]
                rows.append(row)
                continue
            try:
                if benchmark_id not in loaded_benchmarks:
                    loaded_benchmarks[benchmark_id] = build_registered("benchmarks", benchmark_id)
                result = score(model, loaded_benchmarks[benchmark_id])
            except IncompatibleModelError as error:
                row["status"] = f"skipped: {error}"
            except DataUnavailableError as error:  # the demo shows what runs here; the pytest gate fails instead
                unavailable[benchmark_id] = unavailable[error.identifier] = row["status"] = (
                    f"data unavailable: {error.identifier} is not cached and could not be fetched; "
                    f"run `brainscore fetch {benchmark_id}` where there is network"
                )
            except Exception as error:  # noqa: BLE001 - one failing pair is reported; the others still run
                failures += 1
                row["status"] = f"error: {type(error).__name__}: {error}"
                traceback.print_exc(file=sys.stderr)
            else:
                row.update(
                    score=result.value,
                    raw=result.raw,
                    ceiling=result.ceiling,
                    error=result.error,
                    seconds=round(float(result.attrs.get("seconds", 0.0)), 1),
                    status="ok",
                    benchmark_version=result.benchmark_version,
                    attrs=result.to_dict(include_details=False)["attrs"],
                )
            rows.append(row)
            print(f"    {_outcome(row)} ({time.perf_counter() - pair_started:.1f} s)", file=sys.stderr, flush=True)
    scored = [r for r in rows if r.get("status") == "ok"]
    print(format_table(scored, COLUMNS[:-1]), file=stream)
    others = [r for r in rows if r.get("status") != "ok"]
    if others:
        print("\nNot scored:", file=stream)
        for row in others:
            print(f"  {row['model']} / {row['benchmark']}: {row['status']}", file=stream)
    elapsed = time.perf_counter() - started
    print(f"\n{len(scored)} pair(s) scored in {elapsed:.1f} s.", file=stream)
    payload = {"results": rows, "seconds": elapsed}
    if output:
        _write_json(Path(output), payload)
        print(f"Results written to {output}", file=stream)
    if html:
        from ..report import parse_report, render_html, write_view

        report = parse_report(json.loads(json.dumps(payload, default=str)), str(output or "brainscore demo"))
        write_view(Path(html), render_html(report))
        print(f"HTML report written to {html}", file=stream)
    return 1 if failures else 0


def _outcome(row: dict[str, object]) -> str:
    """``score 0.1231, cache hit``, or the start of the pair's status, for the progress line."""
    status = str(row.get("status"))
    if status != "ok":
        return status.split(": ")[0] + " (reason below)"
    attrs = row.get("attrs")
    cache = attrs.get("cache") if isinstance(attrs, dict) else None
    value = row.get("score")
    number = f"{value:.4f}" if isinstance(value, float) else str(value)
    return f"score {number}" + (f", cache {cache}" if cache else "")
