"""Shards of the (model, benchmark) grid, for CI matrices and SLURM arrays: ``--brainscore-shard=K/N``.

Every shard collects the same selection and computes the same assignment (:func:`assign`: deterministic, from
SHA-256 digests, never Python's salted ``hash()``), then keeps only its own pairs; the others are deselected at
collection and never run. The assignment is model-major (all of a model's pairs go to one shard, so its
activations are extracted once) unless there are fewer models than shards, and is balanced greedily by the
per-pair ``seconds`` of a previous report (``--brainscore-durations=REPORT``) or else by pair counts. Ordinary
tests (no pair) run in shard 0 only, so a matrix runs them once.

``--brainscore-skip-done=REPORT`` deselects pairs that report shows as passed with the benchmark version in
force (failed, regressed and incompatible pairs run again); their rows are carried into this session's report
(``reused``) so that ``brainscore merge`` still finds a row for every pair.

Each JSON report gets a ``shard`` section (:meth:`ShardPlugin.report_section`): the shard, the SHA-256 of the
whole selection (before filtering) and of the assignment, this shard's pairs, host and times.
``brainscore merge`` (:mod:`pytest_brainscore.merging`) checks them.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import socket
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .controller import REPORT_ATTRIBUTE
from .marker import case_of
from .options import BrainscoreOptions, Option
from .records import ScoreRecord

__all__ = [
    "OPTIONS",
    "PLUGIN_NAME",
    "SECTION",
    "WORKER_OUTPUT",
    "Shard",
    "ShardPlugin",
    "assign",
    "check_options",
    "digest",
    "done_rows",
    "durations_from",
    "parse_shard",
    "read_report",
]

OPTIONS = (
    Option(
        "shard",
        "string",
        "Run only shard K of N of the (model, benchmark) pairs (K counts from 0), or 'auto' to read "
        "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT; ordinary tests run in shard 0. Merge with 'brainscore merge'.",
        "K/N",
    ),
    Option("durations", "path", "Balance --brainscore-shard by the per-pair seconds of this JSON report.", "REPORT"),
    Option(
        "skip-done",
        "path",
        "Skip pairs this JSON report shows as passed with the same benchmark version (reusing their rows).",
        "REPORT",
    ),
)
PLUGIN_NAME = "brainscore-shard"
SECTION = "shard"  #: the key of the report's shard section
WORKER_OUTPUT = (
    "brainscore_shard_plan"  #: a pytest-xdist worker's plan, sent to the controller (which collects nothing)
)
Pair = tuple[str, str]
_SLURM_ID, _SLURM_COUNT, _SLURM_MIN = "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN"
_DONE_STATUSES = ("passed",)


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (from 0) of ``count``."""

    index: int = 0
    count: int = 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(value: str | None, environ: Mapping[str, str] | None = None) -> Shard:
    """``K/N`` (0 <= K < N) or ``auto`` (the SLURM array variables) as a :class:`Shard`; None is 0/1.

    A value that cannot be read raises :class:`pytest.UsageError` saying what to give.
    """
    if value is None:
        return Shard()
    text = value.strip()
    if text == "auto":
        return _slurm_shard(os.environ if environ is None else environ)
    index_text, slash, count_text = text.partition("/")
    try:
        index, count = int(index_text), int(count_text)
    except ValueError:
        index, count = -1, 0
    if not slash or count < 1 or not 0 <= index < count:
        raise pytest.UsageError(
            f"--brainscore-shard={value!r} must be K/N with 0 <= K < N (shards count from 0, e.g. 0/4 to 3/4), "
            "or auto (inside a SLURM job array)."
        )
    return Shard(index, count)


def _slurm_shard(environ: Mapping[str, str]) -> Shard:
    missing = [name for name in (_SLURM_ID, _SLURM_COUNT) if not environ.get(name)]
    if missing:
        raise pytest.UsageError(
            f"--brainscore-shard=auto reads {_SLURM_ID} and {_SLURM_COUNT}, which sbatch --array sets; "
            f"{' and '.join(missing)} not set. Outside a SLURM job array give --brainscore-shard=K/N."
        )
    try:
        task, count, first = int(environ[_SLURM_ID]), int(environ[_SLURM_COUNT]), int(environ.get(_SLURM_MIN, "0"))
    except ValueError:
        raise pytest.UsageError(
            f"--brainscore-shard=auto: {_SLURM_ID}={environ[_SLURM_ID]!r}, {_SLURM_COUNT}={environ[_SLURM_COUNT]!r} "
            "are not whole numbers."
        ) from None
    index = task - first
    if count < 1 or not 0 <= index < count:
        raise pytest.UsageError(
            f"--brainscore-shard=auto: task {task} (minus {_SLURM_MIN}={first}) is not in 0..{count - 1}; the job "
            "array must be contiguous (e.g. sbatch --array=0-3), or give --brainscore-shard=K/N."
        )
    return Shard(index, count)


def digest(lines: Iterable[str]) -> str:
    """SHA-256 (hex) of ``lines``, sorted and joined by newlines: the same in every process and Python."""
    return hashlib.sha256("\n".join(sorted(lines)).encode("utf-8")).hexdigest()


def _pair_text(pair: Pair) -> str:
    return f"{pair[0]}\t{pair[1]}"


def assign(pairs: Iterable[Pair], count: int, durations: Mapping[Pair, float] | None = None) -> dict[Pair, int]:
    """The shard (0..count-1) of every pair: deterministic, model-major, balanced.

    Pairs are grouped by model (by pair when there are fewer models than shards); groups are placed largest
    first, ties broken by the SHA-256 of the group's name, each on the shard with the least load so far (ties: the
    lowest index). A group's load is the sum of its pairs' ``durations`` (a pair without one counts the median of
    those known) or, without durations, its number of pairs.
    """
    unique = sorted(set(pairs))
    by_model = len({model for model, _ in unique}) >= count
    groups: dict[str, list[Pair]] = {}
    for pair in unique:
        groups.setdefault(pair[0] if by_model else _pair_text(pair), []).append(pair)
    known = sorted(durations[pair] for pair in unique if durations and pair in durations)
    default = known[len(known) // 2] if known else 1.0

    def cost(pair: Pair) -> float:
        return durations.get(pair, default) if durations else 1.0

    order = sorted(
        groups.items(),
        key=lambda group: (-sum(cost(p) for p in group[1]), hashlib.sha256(group[0].encode()).hexdigest()),
    )
    loads = [0.0] * count
    shards: dict[Pair, int] = {}
    for _, members in order:
        shard = min(range(count), key=lambda index: (loads[index], index))
        loads[shard] += sum(cost(p) for p in members)
        shards.update(dict.fromkeys(members, shard))
    return shards


def read_report(path: Path, option: str) -> dict[str, Any]:
    """A JSON report written by ``--brainscore-report`` (or ``brainscore merge``); else a usage error."""
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise pytest.UsageError(f"{option}: cannot read report {path}: {error.strerror or error}.") from None
    except json.JSONDecodeError as error:
        raise pytest.UsageError(f"{option}: report {path} is not valid JSON: {error}.") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
        raise pytest.UsageError(
            f"{option}: {path} is not a pytest-brainscore report (no 'results' list); give a file written by "
            "--brainscore-report or brainscore merge."
        )
    return payload


def _rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    reused = (payload.get(SECTION) or {}).get("reused") or []
    return [row for row in [*reused, *payload["results"]] if isinstance(row, dict)]


def durations_from(payload: dict[str, Any]) -> dict[Pair, float]:
    """The ``seconds`` of each pair in a report (the largest, when a pair has several rows)."""
    durations: dict[Pair, float] = {}
    for row in _rows(payload):
        seconds = row.get("seconds")
        if isinstance(seconds, (int, float)) and seconds >= 0:
            pair = (str(row.get("model")), str(row.get("benchmark")))
            durations[pair] = max(float(seconds), durations.get(pair, 0.0))
    return durations


def done_rows(payload: dict[str, Any]) -> dict[Pair, dict[str, Any]]:
    """The rows of a report whose pair is done: passed in every row of the pair (one row per pair)."""
    done: dict[Pair, dict[str, Any]] = {}
    failed: set[Pair] = set()
    for row in _rows(payload):
        pair = (str(row.get("model")), str(row.get("benchmark")))
        if row.get("status") in _DONE_STATUSES:
            done.setdefault(pair, row)
        else:
            failed.add(pair)
    return {pair: row for pair, row in done.items() if pair not in failed}


def check_options(options: BrainscoreOptions) -> None:
    """Refuse a shard that would update the baseline: only ``brainscore merge`` sees every pair."""
    shard = parse_shard(options.shard)
    if options.update_baseline and shard.count > 1:
        raise pytest.UsageError(
            f"--brainscore-update-baseline with --brainscore-shard={shard}: a shard sees only its own pairs. Write "
            "each shard's --brainscore-report, then update the baseline once from all of them with "
            "'brainscore merge SHARD.json ... -o merged.json --baseline PATH --update-baseline'."
        )
    if options.durations is not None and shard.count == 1:
        raise pytest.UsageError("--brainscore-durations balances shards: give it with --brainscore-shard=K/N.")


def _unit(item: pytest.Item) -> tuple[Pair, bool] | None:
    """(the item's pair, whether it makes a row), or None for an ordinary test. Missing parts are ''."""
    case = case_of(item)
    if case is None:
        return None
    pair = (case.model or "", case.benchmark or "")
    scored = bool(case.model and case.benchmark) and (
        case.gated or "brainscore_result" in getattr(item, "fixturenames", ())
    )
    return pair, scored


class ShardPlugin:
    """Keeps a session's shard of the pairs (on every process, xdist workers included) and reports it."""

    def __init__(self, options: BrainscoreOptions, version_of: Callable[[str], object]) -> None:
        self.shard = parse_shard(options.shard)
        self.durations_path = options.durations
        durations = read_report(options.durations, "--brainscore-durations") if options.durations else None
        self.durations = durations_from(durations) if durations is not None else {}
        self.skip_done_path = options.skip_done
        self.done = done_rows(read_report(options.skip_done, "--brainscore-skip-done")) if options.skip_done else {}
        self.version_of = version_of  #: a benchmark's current version (builds it; only for done pairs)
        self.started = _now()
        self.plan: dict[str, Any] | None = None  #: the report section's selection part, once planned
        self.scored: set[Pair] = set()  #: pairs with a row (on the process that reports)
        self.failed_tests: set[str] = set()  #: node ids of failed tests (likewise)

    # --- planning -----------------------------------------------------------------------------------------
    def make_plan(self, units: Iterable[Pair], scored: Iterable[Pair]) -> set[Pair]:
        """Assign ``units`` (the whole selection) to shards; return the pairs this session runs."""
        units = set(units)
        assignment = assign(units, self.shard.count, self.durations)
        mine = {pair for pair, shard in assignment.items() if shard == self.shard.index}
        reused = {pair: self.done[pair] for pair in sorted(mine & set(self.done)) if self._still_valid(pair)}
        self.plan = {
            "selection_size": len(units),
            "selection_sha256": digest(map(_pair_text, units)),
            "assignment_sha256": digest(f"{_pair_text(p)}\t{s}" for p, s in assignment.items()),
            "pairs": [list(pair) for pair in sorted(mine & set(scored))],
            "reused": list(reused.values()),
        }
        return mine - set(reused)

    def _still_valid(self, pair: Pair) -> bool:
        """Whether the done row's benchmark version is the current one (a benchmark that cannot be built: no, so
        the pair runs and its test reports the error)."""
        try:
            version = self.version_of(pair[1])
        except Exception:  # noqa: BLE001 - reported by the pair's own test, which then runs
            return False
        return str(version) == str(self.done[pair].get("benchmark_version"))

    def keep_generated(self, pairs: list[Pair]) -> set[Pair]:
        """The generated pairs (``--brainscore-model/-benchmark`` alone) this session runs; the rest are never made."""
        return self.make_plan(pairs, pairs)

    @pytest.hookimpl(wrapper=True)
    def pytest_collection_modifyitems(
        self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
    ) -> Generator[None, None, None]:
        """After every other hook (``-k``/``-m`` among them), keep this shard's items."""
        result = yield
        units = {item: _unit(item) for item in items}
        if self.plan is None:
            selection = [unit[0] for unit in units.values() if unit is not None]
            run = self.make_plan(selection, [unit[0] for unit in units.values() if unit is not None and unit[1]])
        else:  # generated items: planned, and filtered, when they were made
            run = {unit[0] for unit in units.values() if unit is not None}
        kept: list[pytest.Item] = []
        deselected: list[pytest.Item] = []
        for item in items:
            unit = units[item]
            inside = unit[0] in run if unit is not None else self.shard.index == 0
            (kept if inside else deselected).append(item)
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = kept
        if self.plan is not None:  # which test scores which pair, to tell a test that failed before scoring
            self.plan["tests"] = {
                item.nodeid: list(unit[0]) for item in kept if (unit := units[item]) is not None and unit[1]
            }
        if hasattr(config, "workeroutput"):  # a pytest-xdist worker: the controller reports the plan
            config.workeroutput[WORKER_OUTPUT] = self.plan
        return result

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Note the pairs that got a row and the tests that failed (on the process that reports)."""
        self.scored.update(record.pair for record in getattr(report, REPORT_ATTRIBUTE, None) or ())
        if report.failed:
            self.failed_tests.add(report.nodeid)

    def unscored(self) -> list[dict[str, str]]:
        """The pairs whose test failed (an error, a failed assertion) before the pair was scored: no row."""
        tests: dict[str, list[str]] = (self.plan or {}).get("tests", {})
        return [
            {"nodeid": nodeid, "model": pair[0], "benchmark": pair[1]}
            for nodeid, pair in sorted(tests.items())
            if nodeid in self.failed_tests and tuple(pair) not in self.scored
        ]

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        """On the pytest-xdist controller: take the plan a worker made (every worker makes the same one)."""
        plan = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT)
        if plan is not None and self.plan is None:
            self.plan = plan

    # --- reporting ----------------------------------------------------------------------------------------
    def report_section(self) -> dict[str, Any]:
        """The report's ``shard`` section."""
        plan = self.plan or {"selection_size": 0, "selection_sha256": digest([]), "pairs": [], "reused": []}
        return {
            SECTION: {
                "index": self.shard.index,
                "count": self.shard.count,
                **{key: value for key, value in plan.items() if key != "tests"},
                "unscored": self.unscored(),
                "durations": None if self.durations_path is None else str(self.durations_path),
                "skip_done": None if self.skip_done_path is None else str(self.skip_done_path),
                "host": socket.gethostname(),
                "started": self.started,
                "finished": _now(),
            }
        }

    def summary_lines(self, rows: list[ScoreRecord]) -> list[tuple[str, bool]]:
        """(line, in red) for the summary."""
        plan = self.plan or {"pairs": [], "reused": [], "selection_size": 0}
        lines = []
        if self.shard.count > 1:
            scored, size = len(plan["pairs"]), plan["selection_size"]
            text = (
                f"Shard {self.shard}: {scored} scored pair(s) of a selection of {size}; merge with 'brainscore merge'"
            )
            lines.append((text, False))
        if self.skip_done_path is not None:
            lines.append((f"Reused {len(plan['reused'])} pair(s) already done in {self.skip_done_path}", False))
        return lines


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
