"""``brainscore merge``: the shards' JSON reports as one report, one summary, one gate and one baseline update.

The merge refuses (:class:`MergeRefused`, exit 2) rather than gate an incomplete grid: a shard missing, shards
of different selections or assignments, a pair of a shard without a row, a report without a ``shard`` section.
A pair whose test failed before scoring it (the shard lists it as ``unscored``) has no row but is no gap: it fails
the merge (exit 1), as its test failed the shard.
A shard given twice (a rerun) keeps the report that finished last, and says so.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .baselines import Baseline, BaselineError, BaselinePlugin, BaselineUpdate, update_baseline_file
from .controller import RecordBook
from .files import write_text_atomically
from .options import DEFAULT_TOLERANCE, BrainscoreOptions
from .records import ScoreRecord
from .reporting import result_row
from .sharding import SECTION

__all__ = ["MergeRefused", "Merged", "ShardReport", "merge_reports", "run_merge"]

_RECORD_FIELDS = {f.name for f in dataclasses.fields(ScoreRecord)}


class MergeRefused(Exception):
    """The reports do not make up one complete run; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ShardReport:
    """One shard's report as read: its path, its ``shard`` section and its rows (reused ones included)."""

    path: Path
    payload: dict[str, Any]

    @property
    def section(self) -> dict[str, Any]:
        section: dict[str, Any] = self.payload[SECTION]
        return section

    @property
    def name(self) -> str:
        return f"{self.section['index']}/{self.section['count']}"

    def rows(self) -> list[dict[str, Any]]:
        return [row for row in [*(self.section.get("reused") or []), *self.payload["results"]] if isinstance(row, dict)]


@dataclass
class Merged:
    """The merged run: its shards (in index order), records, and notes for the person reading the output."""

    shards: list[ShardReport]
    records: list[ScoreRecord]
    notes: list[str] = field(default_factory=list)
    unscored: list[dict[str, str]] = field(default_factory=list)  #: tests that failed before scoring their pair


def _read(path: Path) -> ShardReport:
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise MergeRefused([f"{path}: cannot read it ({error.strerror or error})."]) from None
    except json.JSONDecodeError as error:
        raise MergeRefused([f"{path}: not valid JSON ({error})."]) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
        raise MergeRefused([f"{path}: not a pytest-brainscore report (no 'results' list)."])
    if not isinstance(payload.get(SECTION), dict):
        fix = "write each shard's report with pytest --brainscore-shard=K/N --brainscore-report=PATH"
        raise MergeRefused([f"{path}: no '{SECTION}' section, so its completeness cannot be checked; {fix}."])
    return ShardReport(Path(path), payload)


def _record(row: dict[str, Any]) -> ScoreRecord:
    return ScoreRecord.from_dict({key: value for key, value in row.items() if key in _RECORD_FIELDS})


def merge_reports(paths: Sequence[Path]) -> Merged:
    """Read and check the shards' reports; :class:`MergeRefused` lists everything that is missing or differs."""
    reports = [_read(path) for path in paths]
    notes: list[str] = []
    problems: list[str] = []
    first = reports[0].section
    for key, what in (
        ("count", "shard counts (N of K/N)"),
        ("selection_sha256", "selections (the collected pairs: same tests, plugins and options?)"),
        ("assignment_sha256", "assignments of pairs to shards (the same --brainscore-durations file?)"),
    ):
        values = {report.section.get(key) for report in reports}
        if len(values) > 1:
            listing = ", ".join(f"{report.path}: {str(report.section.get(key))[:12]}" for report in reports)
            problems.append(f"The reports have different {what}: {listing}.")
    if problems:
        raise MergeRefused(problems)
    by_index: dict[int, ShardReport] = {}
    for report in reports:
        index = report.section["index"]
        previous = by_index.get(index)
        if previous is not None:
            latest, older = sorted((previous, report), key=lambda r: str(r.section.get("finished")), reverse=True)
            notes.append(f"Shard {report.name} given twice: using {latest.path} (finished last), not {older.path}.")
            report = latest
        by_index[index] = report
    count = int(first["count"])
    missing = [f"{index}/{count}" for index in range(count) if index not in by_index]
    if missing:
        problems.append(
            f"Missing shard(s) {', '.join(missing)} of {count}: give every shard's report (a missing shard must not "
            "look like a green run with fewer pairs)."
        )
    records: list[ScoreRecord] = []
    unscored: list[dict[str, str]] = []
    for index in sorted(by_index):
        report = by_index[index]
        rows = report.rows()
        failed = [entry for entry in report.section.get("unscored") or () if isinstance(entry, dict)]
        unscored += failed
        have = {(str(row.get("model")), str(row.get("benchmark"))) for row in rows}
        have |= {(str(entry.get("model")), str(entry.get("benchmark"))) for entry in failed}
        absent = [
            f"{model} on {benchmark}"
            for model, benchmark in report.section.get("pairs", ())
            if (model, benchmark) not in have
        ]
        if absent:
            problems.append(
                f"Shard {report.name} ({report.path}) has no row for {len(absent)} pair(s): {', '.join(absent)} "
                "(did its run stop early?); rerun that shard."
            )
        records += [_record(row) for row in rows]
    if problems:
        raise MergeRefused(problems)
    return Merged([by_index[index] for index in sorted(by_index)], records, notes, unscored)


def run_merge(
    paths: Sequence[Path],
    output: Path,
    baseline: Path | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    update_baseline: bool = False,
) -> tuple[int, list[str]]:
    """Merge, gate and write ``output`` (and the baseline on request); (exit status, lines to print).

    The lines are pytest's ``brainscore`` summary section; the status is 1 when a pair regressed or failed (or
    the baseline could not be updated), else 0. Refusals raise :class:`MergeRefused`.
    """
    if update_baseline and baseline is None:
        raise MergeRefused(["--update-baseline needs a file to write: add --baseline PATH."])
    if baseline is not None and not update_baseline and not baseline.is_file():
        raise MergeRefused([f"Baseline file {baseline} does not exist; create it with --update-baseline."])
    merged = merge_reports(paths)
    plugin = None
    if baseline is not None:
        try:
            committed = Baseline.load(baseline) if baseline.is_file() else Baseline()
        except BaselineError as error:
            raise MergeRefused([str(error)]) from None
        for record in merged.records:
            if record.skipped is None:
                record.baseline = committed.compare(record, tolerance)
        options = BrainscoreOptions(baseline=baseline, tolerance=tolerance, update_baseline=update_baseline)
        plugin = BaselinePlugin(options, merged.records)
    book = RecordBook()
    book.records = merged.records
    rows = book.rows()
    failed = any(record.status in ("regression", "failed") for record, _ in rows)
    status = 1 if failed or merged.unscored else 0
    if plugin is not None and update_baseline and baseline is not None:
        try:
            written, kept = update_baseline_file(baseline, merged.records)
            plugin.update = BaselineUpdate(baseline, written, kept)
        except BaselineError as error:
            plugin.update = BaselineUpdate(baseline, error=str(error))
            status = 1
    _write(output, merged, rows, plugin)
    lines = [*merged.notes, *book.summary_lines()]
    lines += [
        f"{entry['model']} on {entry['benchmark']}: FAILED before it was scored ({entry['nodeid']}; see its log)"
        for entry in merged.unscored
    ]
    lines += [line for line, _ in plugin.summary_lines([r for r, _ in rows])] if plugin is not None else []
    lines.append(f"Merged {len(merged.shards)} shard(s), {len(rows)} pair(s): {output}")
    return status, lines


def _write(output: Path, merged: Merged, rows: list[tuple[ScoreRecord, str]], plugin: BaselinePlugin | None) -> None:
    first = merged.shards[0]
    payload = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "versions": first.payload.get("versions"),
        "data": {
            record.benchmark: {"benchmark_version": record.benchmark_version}
            for record, _ in rows
            if record.skipped is None
        },
        "configuration": first.payload.get("configuration"),
        "merged": {
            "selection_sha256": first.section.get("selection_sha256"),
            "selection_size": first.section.get("selection_size"),
            "shards": [
                {
                    "path": str(report.path),
                    **{key: report.section.get(key) for key in ("index", "count", "host", "started", "finished")},
                    "pairs": len(report.section.get("pairs", ())),
                    "reused": len(report.section.get("reused") or ()),
                }
                for report in merged.shards
            ],
        },
        "results": [result_row(record, gate) for record, gate in rows],
        "unscored": merged.unscored,
        "baseline": None if plugin is None else plugin.report([record for record, _ in rows]),
    }
    write_text_atomically(output, json.dumps(payload, indent=2, default=str) + "\n")
