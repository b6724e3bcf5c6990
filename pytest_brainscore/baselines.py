"""Baselines: committed scores per (model, benchmark, benchmark version) that CI compares against.

The paired gate (issue 17). When both the baseline entry and this run carry paired units (the per-split,
per-subject x left-out-stimulus or per-stimulus values the score averages over), the pair is decided by
:func:`brainscore_core.comparison.gate_pair`: it regresses iff ``Δ < -tolerance`` **and** the one-sided paired
p-value of "this run is not worse" is below alpha (``alpha / m`` under Bonferroni over the session's m gated
pairs); identical units are *unchanged*, units of other stimuli or subjects are *incomparable*, a significant
rise beyond the tolerance is an *improvement*.

The unpaired fallback, for entries without units (format version 1 files, entries written before paired units,
metrics that cannot pair): a score regresses when it falls below the baseline by more than
``max(tolerance, 2 x combined error)``, the combined error being ``sqrt(error_now**2 + error_baseline**2)`` with
both errors on the ceiled scale (a missing error counts as 0); a rise by more than the same allowance is an
improvement. A pair missing from the file is *new*; a pair whose benchmark version changed is *incomparable*; a
score that is not a number is a *regression*.

The file (sorted, one entry per pair, diff-friendly: one line per field, the ``paired`` record compact on one
line; ``error`` on the ceiled scale, ``raw_error`` on the raw)::

    {"format": "pytest-brainscore baseline", "format_version": 2,
     "scores": [{"model": "...", "benchmark": "...", "benchmark_version": 1, "score": 0.75,
                 "error": 0.0025, "raw_error": 0.002, "raw": 0.6, "ceiling": 0.8,
                 "paired": {"kind": "splits", "version": 1, "scores": [...], ...}}, ...]}

``paired`` is optional and validated on load (:func:`brainscore_core.comparison.units_from_dict`). Format version
1 files (whose ``error`` is on the raw scale) are read, their errors carried to the ceiled scale when compared,
and written back as version 2. Updates lock the file (``<file>.lock``), re-read and merge under the
lock, and replace the file atomically, keeping its permissions.

This module is the whole baseline feature: its options, the file, the comparison, and :class:`BaselinePlugin`
(registered on the controller) that updates the file at the end of the session and writes the baseline lines of
the summary.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import math
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from filelock import Timeout

from .options import ALPHA_CORRECTIONS, DEFAULT_ALPHA, DEFAULT_TOLERANCE, BrainscoreOptions, Option
from .records import BASELINE_STATUSES, BaselineStatus, Comparison, ScoreRecord, format_number

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "LOCK_TIMEOUT",
    "OPTIONS",
    "PLUGIN_NAME",
    "Baseline",
    "BaselineEntry",
    "BaselineError",
    "BaselinePlugin",
    "BaselineUpdate",
    "Comparison",
    "baseline_error_on_score_scale",
    "check_options",
    "load_for_session",
    "records_with_status",
    "update_baseline_file",
]

OPTIONS = (
    Option("baseline", "path", "JSON file of committed scores to compare with (the CI gate).", "PATH"),
    Option(
        "tolerance",
        "float",
        f"Smallest drop below the baseline that can fail, on the ceiled scale (default {DEFAULT_TOLERANCE}); a "
        "drop beyond it fails only when the paired test finds it significant (see --brainscore-alpha).",
        "DELTA",
    ),
    Option(
        "alpha",
        "float",
        f"One-sided level of the paired test per gated pair (default {DEFAULT_ALPHA}): a drop beyond the tolerance "
        "fails only when its p-value is below it.",
        "ALPHA",
    ),
    Option(
        "alpha-correction",
        "string",
        "none (default) or bonferroni: divide alpha by the number of gated pairs with paired baseline entries.",
        "{none,bonferroni}",
    ),
    Option("update-baseline", "flag", "Merge this session's scores into the --brainscore-baseline file."),
)
PLUGIN_NAME = "brainscore-baseline"

FORMAT = "pytest-brainscore baseline"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
LOCK_TIMEOUT = 120.0  #: seconds an update waits for another session's lock on the same baseline file
_FIELDS = ("model", "benchmark", "benchmark_version", "score", "error", "raw_error", "raw", "ceiling", "paired")
_FIX = "fix the entry by hand, or delete it and rerun with --brainscore-update-baseline"


class BaselineError(ValueError):
    """A baseline file is unreadable, malformed or cannot be written."""


@dataclass(frozen=True)
class BaselineEntry:
    model: str
    benchmark: str
    benchmark_version: str | int | None
    score: float
    error: float | None = None  #: on the score's (ceiled) scale; None when unknown (e.g. a version 1 entry)
    raw: float | None = None
    ceiling: float | None = None
    raw_error: float | None = None  #: on the raw scale
    paired: dict[str, Any] | None = None  #: the paired-unit record (validated on load); None without one


def _error(value: float | None) -> float:
    return 0.0 if value is None or math.isnan(value) else float(value)


def baseline_error_on_score_scale(entry: BaselineEntry, record: ScoreRecord) -> float | None:
    """The entry's error on the ceiled scale of ``record``'s score (a version 1 entry holds only the raw error).

    For the normalisations of :data:`brainscore_core.score.CEILING_FORMULAS` (named by the record's
    ``ceiling_formula``), whose version 1 errors were on the raw scale, the raw error is carried through the formula
    at the entry's own raw score and ceiling; when the entry lacks those, by the record's own ratio of ceiled to raw
    error (the same benchmark version has the same ceiling). Without a ceiling, or for a normalisation that already
    reported its error on the ceiled scale (e.g. per-repetition ceiling), it is used as it is.
    """
    if entry.error is not None or entry.raw_error is None:
        return entry.error
    from brainscore_core.score import CEILING_FORMULAS, ceiled_error  # here: a session without scores stays light

    formula = record.attrs.get("ceiling_formula")
    if formula not in CEILING_FORMULAS:
        return entry.raw_error
    if entry.raw is not None and entry.ceiling is not None:
        return ceiled_error(entry.raw, entry.raw_error, entry.ceiling, formula)
    if record.error is not None and record.raw_error:
        return entry.raw_error * record.error / record.raw_error
    return entry.raw_error


class Baseline:
    """The entries of one baseline file, keyed by (model, benchmark)."""

    def __init__(self, entries: Iterable[BaselineEntry] = ()) -> None:
        self.entries: dict[tuple[str, str], BaselineEntry] = {(e.model, e.benchmark): e for e in entries}

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """Read ``path``; a malformed file raises :class:`BaselineError` naming the file and the entry."""
        try:
            payload = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise BaselineError(f"Cannot read baseline file {path}: {error}.") from None
        except json.JSONDecodeError as error:
            raise BaselineError(f"Baseline file {path} is not valid JSON: {error}.") from None
        if not isinstance(payload, dict) or not isinstance(payload.get("scores"), list):
            raise BaselineError(
                f"Baseline file {path} must be a JSON object with a 'scores' list; "
                "write it with --brainscore-update-baseline."
            )
        version = _check_format(path, payload)
        entries: dict[tuple[str, str], BaselineEntry] = {}
        for index, item in enumerate(payload["scores"]):
            entry = _parse_entry(path, index, item, version)
            if (entry.model, entry.benchmark) in entries:
                raise BaselineError(
                    f"Baseline file {path}, scores[{index}] ({entry.model} on {entry.benchmark}) is a duplicate: "
                    f"the pair already has an entry; keep one of them (or delete both and rerun with "
                    "--brainscore-update-baseline)."
                )
            entries[(entry.model, entry.benchmark)] = entry
        return cls(entries.values())

    def compare(
        self, record: ScoreRecord, tolerance: float, *, alpha: float = DEFAULT_ALPHA, n_comparisons: int = 1
    ) -> Comparison:
        """Compare ``record``'s score with the entry for its pair (see the module docstring for the rules).

        ``alpha`` is the per-pair level of the paired test before Bonferroni, ``n_comparisons`` the number of pairs
        it is divided by (1: no correction).
        """
        entry = self.entries.get(record.pair)
        if entry is None:
            return Comparison("new", tolerance=tolerance)
        baseline_error = baseline_error_on_score_scale(entry, record)
        known = Comparison("incomparable", entry.score, baseline_error, entry.benchmark_version, tolerance=tolerance)
        if str(entry.benchmark_version) != str(record.benchmark_version):
            return known
        reason = _unpaired_reason(entry, record)
        if reason is None:
            paired = _paired(entry, record, known, alpha, n_comparisons)
            if isinstance(paired, Comparison):
                return paired
            reason = paired
        combined = math.hypot(_error(record.error), _error(baseline_error))
        allowed = max(tolerance, 2 * combined)
        unpaired = replace(
            known,
            rule="unpaired",
            fallback=reason,
            refresh=entry.paired is None and record.paired is not None,
            allowed=allowed,
            combined_error=combined,
        )
        if record.score is None:  # NaN: a broken measurement never passes the gate
            return replace(unpaired, status="regression")
        delta = record.score - entry.score
        status: BaselineStatus = "regression" if delta < -allowed else "improvement" if delta > allowed else "unchanged"
        return replace(unpaired, status=status, delta=delta)

    def paired_pairs(self) -> set[tuple[str, str]]:
        """The pairs whose entries carry paired units (the ones the paired test, and so Bonferroni, applies to)."""
        return {pair for pair, entry in self.entries.items() if entry.paired is not None}

    def merged_with(self, records: Iterable[ScoreRecord]) -> tuple[Baseline, int, int]:
        """A copy with ``records``' scores replacing their pairs' entries; also (entries written, entries kept).

        Skipped pairs and scores that are not a number are not written (their old entries are kept).
        """
        entries = dict(self.entries)
        written: set[tuple[str, str]] = set()
        for record in records:
            if record.skipped is not None or record.score is None:
                continue
            entries[record.pair] = BaselineEntry(
                record.model,
                record.benchmark,
                record.benchmark_version,
                record.score,
                record.error,
                record.raw,
                record.ceiling,
                record.raw_error,
                record.paired,
            )
            written.add(record.pair)
        return Baseline(entries.values()), len(written), len(entries) - len(written)

    def to_text(self) -> str:
        """The file's JSON text (format version :data:`FORMAT_VERSION`): one line per field, each entry's ``paired``
        record compact on one line (its arrays would otherwise take one line per number)."""
        scores = []
        compact: dict[str, str] = {}
        for _, entry in sorted(self.entries.items()):
            fields = {k: v for k, v in asdict(entry).items() if v is not None or k == "benchmark_version"}
            if entry.paired is not None:
                marker = f"\u0000paired{len(compact)}\u0000"
                compact[json.dumps(marker)] = json.dumps(entry.paired, separators=(",", ":"))
                fields["paired"] = marker
            scores.append(fields)
        text = json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION, "scores": scores}, indent=2)
        for marker, record in compact.items():
            text = text.replace(marker, record, 1)
        return text + "\n"

    def write(self, path: Path) -> None:
        """Write atomically (see :func:`write_text_atomically`), keeping the file's mode.

        A new file gets the mode a plain ``open`` would give (0666 less the umask). An unwritable file or
        directory raises :class:`BaselineError` naming the file and the fix.
        """
        path = Path(path)
        try:
            _check_writable(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            _replace_atomically(path, self.to_text())
        except OSError as error:
            raise BaselineError(_unwritable(path, error)) from None


def _unpaired_reason(entry: BaselineEntry, record: ScoreRecord) -> str | None:
    """Why the pair cannot take the paired test (None when it can)."""
    if entry.paired is None:
        return "the baseline entry has no per-unit values (re-write it with --brainscore-update-baseline)"
    if record.paired is None:
        missing = record.attrs.get("paired_units_missing")
        return f"this run has no per-unit values ({missing})" if missing else "this run's score has no per-unit values"
    if record.score is None:
        return "the score is not a number"
    if entry.raw is None or record.raw is None:
        return "a raw score is missing"
    return None


_STATUSES: dict[str, BaselineStatus] = {
    "regression": "regression",
    "improved": "improvement",
    "incomparable": "incomparable",
}


def _paired(
    entry: BaselineEntry, record: ScoreRecord, known: Comparison, alpha: float, n_comparisons: int
) -> Comparison | str:
    """The paired test's comparison, or why it could not run (then the caller uses the unpaired rule)."""
    from brainscore_core.comparison import PairingUnavailable, gate_pair  # scipy: only when a pair is compared

    # what _unpaired_reason checked:
    assert entry.paired is not None and record.paired is not None and entry.raw is not None and record.raw is not None
    tolerance = known.tolerance if known.tolerance is not None else DEFAULT_TOLERANCE
    try:
        result = gate_pair(
            entry.paired,
            record.paired,
            formula=record.attrs.get("ceiling_formula"),
            ceiling=record.ceiling,
            raw_a=entry.raw,
            raw_b=record.raw,
            score_a=entry.score,
            score_b=record.score,
            alpha=alpha,
            tol=tolerance,
            n_comparisons=n_comparisons,
        )
    except (PairingUnavailable, ValueError, KeyError, TypeError) as error:
        return f"the paired test cannot run ({error})"
    status = _STATUSES.get(result.status, "unchanged")
    version = record.benchmark_version if record.benchmark_version is not None else "?"
    delta = None if math.isnan(result.delta) else result.delta
    return replace(
        known,
        status=status,
        delta=delta,
        rule="paired",
        result=result.to_dict(),
        line=result.line(record.model, record.benchmark, version),
    )


def _check_format(path: Path, payload: dict[str, Any]) -> int:
    """The file's format version; another format, or a version this plugin does not know, is refused."""
    if payload.get("format", FORMAT) != FORMAT:
        raise BaselineError(
            f"Baseline file {path} has format {payload.get('format')!r}, not {FORMAT!r}; pass a file written by "
            "--brainscore-update-baseline."
        )
    version = payload.get("format_version", 1)
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise BaselineError(
            f"Baseline file {path} has format_version {version!r}, which this pytest-brainscore cannot read (it "
            f"reads {', '.join(map(str, READABLE_VERSIONS))}); the file is left untouched. Upgrade pytest-brainscore, "
            "or pass another --brainscore-baseline file."
        )
    return int(version)


def _parse_entry(path: Path, index: int, item: Any, version: int) -> BaselineEntry:
    where = f"Baseline file {path}, scores[{index}]"
    try:
        unknown = sorted(set(item) - set(_FIELDS))
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(map(repr, unknown))}; known: {', '.join(_FIELDS)}")
        model, benchmark = _required_str(item, "model"), _required_str(item, "benchmark")
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise BaselineError(
            f"{where} is malformed ({type(error).__name__}: {error}); each entry needs 'model', 'benchmark' and a "
            "numeric 'score'."
        ) from None
    try:
        score = _required_number(item, "score")
        errors = {key: _number(item, key) for key in ("error", "raw_error")}
        raw, ceiling = _number(item, "raw"), _number(item, "ceiling")
    except (KeyError, TypeError, ValueError) as error:
        raise BaselineError(
            f"{where} is malformed ({type(error).__name__}: {error}) in the entry for {model} on {benchmark}; each "
            f"entry needs 'model', 'benchmark' and a numeric 'score'; {_FIX}."
        ) from None
    where = f"{where} ({model} on {benchmark})"
    if not math.isfinite(score):
        raise BaselineError(f"{where} has score {score}, not a finite number, so it cannot gate anything; {_FIX}.")
    for key, value in errors.items():
        if value is not None and not (math.isfinite(value) and value >= 0):
            raise BaselineError(f"{where} has {key} {value}; an error must be finite and >= 0; {_FIX}.")
    if version == 1:  # version 1 stored the raw-scale error under 'error'
        errors = {"error": None, "raw_error": errors["error"]}
    paired = _paired_block(item.get("paired"), where)
    return BaselineEntry(
        model, benchmark, item.get("benchmark_version"), score, raw=raw, ceiling=ceiling, paired=paired, **errors
    )


def _paired_block(block: Any, where: str) -> dict[str, Any] | None:
    """The entry's ``paired`` record, validated (a malformed one is refused naming the entry)."""
    if block is None:
        return None
    from brainscore_core.comparison import units_from_dict  # numpy: only for a file with paired units

    try:
        if not isinstance(block, dict):
            raise TypeError(f"it must be a JSON object, got {type(block).__name__}")
        units_from_dict(block)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        detail = f"missing field {error}" if isinstance(error, KeyError) else str(error)
        raise BaselineError(
            f"{where} has a malformed 'paired' block ({type(error).__name__}: {detail}); {_FIX}."
        ) from None
    return block


def _number(item: dict[str, Any], key: str) -> float | None:
    value = item.get(key)
    return None if value is None else _float(key, value)


def _required_number(item: dict[str, Any], key: str) -> float:
    return _float(key, item[key])


def _float(key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{key!r} must be a number, got {value!r}")
    return float(value)


def _required_str(item: dict[str, Any], key: str) -> str:
    value = item[key]
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key!r} must be a non-empty string, got {value!r}")
    return value


def _check_writable(path: Path) -> None:
    """Refuse a read-only baseline file or folder before anything is written.

    ``os.replace`` would replace a read-only file in a writable folder, and a superuser may write anywhere, so a
    file or folder without any write permission bit counts as read-only too.
    """
    for target in (path, path.parent):
        if target.exists() and (not stat.S_IMODE(target.stat().st_mode) & 0o222 or not os.access(target, os.W_OK)):
            kind = "file" if target == path else "folder"
            raise PermissionError(f"the {kind} {target} is read-only")


def _unwritable(path: Path, error: OSError) -> str:
    return (
        f"Cannot write baseline file {path}: {error}. Make the file and its folder writable "
        f"(e.g. chmod u+w {path} {path.parent}), or pass a writable --brainscore-baseline path."
    )


def _replace_atomically(path: Path, text: str) -> None:
    from .files import write_text_atomically  # imports brainscore_core: only when a baseline is written

    write_text_atomically(path, text)


@contextlib.contextmanager
def _lock(path: Path, timeout: float) -> Iterator[None]:
    """The lock that serialises updates of ``path``: ``<path>.lock`` beside it, brainscore_core's one lock (it
    names the holder after a few seconds, at the latest half-way to ``timeout``, and takes over a gone one);
    gives up with filelock's :class:`~filelock.Timeout` after ``timeout`` seconds."""
    from brainscore_core.cache._lock import LOCK_REPORT_AFTER, CacheLockTimeout, LockPurpose, acquire_lock, release_lock

    lock_path = Path(str(path) + ".lock")
    purpose = LockPurpose("baseline lock", "updating the same baseline file", "")
    report_after = min(LOCK_REPORT_AFTER, timeout / 2)  # the holder is named before the update gives up
    try:
        held = acquire_lock(lock_path, timeout=timeout, report_after=report_after, purpose=purpose)
    except CacheLockTimeout:
        raise Timeout(str(lock_path)) from None
    try:
        yield
    finally:
        release_lock(held)


def update_baseline_file(
    path: Path, records: Iterable[ScoreRecord], *, timeout: float = LOCK_TIMEOUT
) -> tuple[int, int]:
    """Merge ``records`` into the baseline at ``path`` (created if missing), keeping the pairs not run.

    Another session updating the same file waits for this one (a lock file beside it): the file is re-read and
    merged under the lock, then replaced atomically with its mode kept. Returns (entries written, entries kept).
    An unwritable file or directory, or a lock not obtained within ``timeout`` seconds, raises :class:`BaselineError`.
    """
    path = Path(path)
    records = list(records)
    try:
        _check_writable(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with _lock(path, timeout):
            existing = Baseline.load(path) if path.is_file() else Baseline()
            merged, written, kept = existing.merged_with(records)
            merged.write(path)
    except Timeout:
        raise BaselineError(
            f"Baseline file {path} is locked by another --brainscore-update-baseline session (lock file {path}.lock) "
            f"for more than {timeout:g} s; wait for it to finish, or delete the lock file if no session is running."
        ) from None
    except OSError as error:  # read-only file, folder or file system, a full disk ...
        raise BaselineError(_unwritable(path, error)) from None
    return written, kept


def check_options(options: BrainscoreOptions) -> None:
    """Refuse baseline options that do not fit together, saying how to fix them."""
    if options.tolerance < 0:
        raise pytest.UsageError(f"--brainscore-tolerance={options.tolerance:g} must be zero or positive.")
    if not 0 < options.alpha < 1:
        raise pytest.UsageError(f"--brainscore-alpha={options.alpha:g} must lie strictly between 0 and 1 (e.g. 0.01).")
    if options.alpha_correction not in ALPHA_CORRECTIONS:
        close = difflib.get_close_matches(options.alpha_correction, ALPHA_CORRECTIONS, 1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise pytest.UsageError(
            f"--brainscore-alpha-correction={options.alpha_correction!r} is not one of "
            f"{', '.join(ALPHA_CORRECTIONS)}{hint}."
        )
    if options.update_baseline and options.baseline is None:
        raise pytest.UsageError(
            "--brainscore-update-baseline needs a file to write: add --brainscore-baseline=PATH "
            "(or the ini key brainscore_baseline)."
        )
    if options.baseline is not None and not options.update_baseline and not options.baseline.is_file():
        raise pytest.UsageError(
            f"Baseline file {options.baseline} does not exist. Create it with "
            f"--brainscore-baseline={options.baseline} --brainscore-update-baseline."
        )


def load_for_session(options: BrainscoreOptions) -> Baseline | None:
    """The baseline scores are compared with: the file's, an empty one for a first update, or None without one."""
    if options.baseline is not None and options.baseline.is_file():
        try:
            return Baseline.load(options.baseline)
        except BaselineError as error:
            raise pytest.UsageError(str(error)) from None
    return Baseline() if options.update_baseline else None


def records_with_status(records: Iterable[ScoreRecord], status: BaselineStatus) -> list[ScoreRecord]:
    """The records whose comparison with the baseline has ``status``, in the order given."""
    return [record for record in records if record.baseline is not None and record.baseline.status == status]


@dataclass(frozen=True)
class BaselineUpdate:
    """What ``--brainscore-update-baseline`` did to the file (``error`` when it could not)."""

    path: Path
    written: int = 0
    kept: int = 0
    error: str | None = None

    def to_dict(self) -> dict[str, object]:
        """The ``baseline.update`` object of the JSON report."""
        if self.error is not None:
            return {"path": str(self.path), "error": self.error}
        return {"path": str(self.path), "written": self.written, "kept": self.kept}


_SECTIONS: tuple[tuple[BaselineStatus, str], ...] = (
    ("regression", "Regressions"),
    ("improvement", "Improvements"),
    ("new", "New (not in the baseline)"),
    ("incomparable", "Incomparable (benchmark version changed)"),
)


class BaselinePlugin:
    """The baseline feature on the process that reports (the single process, or the pytest-xdist controller).

    Registered by ``plugin.pytest_configure`` as :data:`PLUGIN_NAME` when a baseline is in use. At the end of
    the session it merges the scores into the file (``--brainscore-update-baseline``); the summary asks it for its
    lines (:meth:`summary_lines`).
    """

    def __init__(self, options: BrainscoreOptions, records: list[ScoreRecord]) -> None:
        self.options = options
        self.records = records  #: the session's records, as the controller gathers them
        self.update: BaselineUpdate | None = None

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        path = self.options.baseline
        if not self.options.update_baseline or path is None or not self.records:
            return
        try:  # a failed update must not cost the summary and the report
            written, kept = update_baseline_file(path, self.records)
            self.update = BaselineUpdate(path, written, kept)
        except BaselineError as error:
            self.update = BaselineUpdate(path, error=str(error))
            if session.exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def summary_lines(self, rows: list[ScoreRecord]) -> list[tuple[str, bool]]:
        """(line, in red) for the summary: the lists by status of the summary ``rows`` (a pair the paired test
        decided shows its CI line), the other paired verdicts, the refresh hint, then the update."""
        lines: list[tuple[str, bool]] = []
        for status, heading in _SECTIONS:
            records = [r for r in records_with_status(rows, status) if not _units_incomparable(r)]
            if records:
                lines.append((f"{heading} ({len(records)}):", False))
                lines += [("  " + _summary_line(record), False) for record in records]
        shown = {"regression", "improvement"}
        others = [r for r in rows if r.baseline is not None and r.baseline.line and r.baseline.status not in shown]
        if others:
            lines.append((f"Paired gate, other pairs ({len(others)}):", False))
            lines += [("  " + str(record.baseline.line), False) for record in others if record.baseline is not None]
        hint = self.refresh_hint(rows)
        if hint:
            lines.append((hint, False))
        if self.update is not None and self.update.error is not None:
            lines.append((f"ERROR: baseline not updated: {self.update.error}", True))
        elif self.update is not None:
            update = self.update
            lines.append((f"Baseline updated: {update.path} ({update.written} written, {update.kept} kept)", False))
        return lines

    def refresh_hint(self, rows: list[ScoreRecord]) -> str | None:
        """One line when pairs fell back to the unpaired rule only because their baseline entries lack units."""
        stale = [r for r in rows if r.baseline is not None and r.baseline.refresh]
        if not stale or self.options.update_baseline:
            return None
        return (
            f"Hint: {len(stale)} pair(s) were gated by the old unpaired error-bar rule because the baseline has no "
            "per-unit values for them; refresh it to enable the paired test: pytest "
            f"--brainscore-baseline={self.options.baseline} --brainscore-update-baseline"
        )

    def report(self, rows: list[ScoreRecord]) -> dict[str, Any]:
        """The ``baseline`` object of the JSON report."""
        return {
            "path": str(self.options.baseline),
            "tolerance": self.options.tolerance,
            "alpha": self.options.alpha,
            "alpha_correction": self.options.alpha_correction,
            **{status: [record.pair for record in records_with_status(rows, status)] for status in _REPORTED},
            "unpaired": [record.pair for record in rows if record.baseline and record.baseline.rule == "unpaired"],
            "refresh_hint": self.refresh_hint(rows),
            "update": None if self.update is None else self.update.to_dict(),
        }


def _units_incomparable(record: ScoreRecord) -> bool:
    """A pair the paired test found incomparable (other stimuli or subjects), not a benchmark version change."""
    return record.baseline is not None and record.baseline.rule == "paired" and record.baseline.status == "incomparable"


_REPORTED: tuple[BaselineStatus, ...] = tuple(status for status in BASELINE_STATUSES if status != "unchanged")


def _summary_line(record: ScoreRecord) -> str:
    comparison = record.baseline or Comparison("new")
    if comparison.line is not None:
        return comparison.line
    if comparison.status == "new":
        return f"{record.title()}: {format_number(record.score)}"
    if comparison.status == "incomparable":
        return (
            f"{record.model} on {record.benchmark}: baseline v{comparison.baseline_version} "
            f"{format_number(comparison.baseline_score)}, now v{record.benchmark_version} "
            f"{format_number(record.score)}"
        )
    return (
        f"{record.title()}: {format_number(comparison.baseline_score)} -> {format_number(record.score)} "
        f"({format_number(comparison.delta, signed=True)}, allowed {format_number(comparison.allowed)})"
    )
