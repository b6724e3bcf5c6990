"""Baselines: committed scores per (model, benchmark, benchmark version) that CI compares against.

A score regresses when it falls below the baseline by more than ``max(tolerance, 2 x combined error)``, where
the combined error is ``sqrt(error_now**2 + error_baseline**2)`` with both errors on the score's (ceiled) scale
(a missing error counts as 0): a drop within the measurements' own noise is tolerated, a real one fails. A rise by
more than the same allowance is an improvement. A pair missing from the file is *new*; a pair whose benchmark
version changed is *incomparable*; a score that is not a number is a *regression*.

The file (sorted, one entry per pair, diff-friendly; ``error`` on the ceiled scale, ``raw_error`` on the raw)::

    {"format": "pytest-brainscore baseline", "format_version": 2,
     "scores": [{"model": "...", "benchmark": "...", "benchmark_version": 1, "score": 0.75,
                 "error": 0.0025, "raw_error": 0.002, "raw": 0.6, "ceiling": 0.8}, ...]}

Format version 1 files (whose ``error`` is on the raw scale) are read, their errors carried to the ceiled scale
when compared, and written back as version 2. Updates lock the file (``<file>.lock``), re-read and merge under the
lock, and replace the file atomically, keeping its permissions.
"""

from __future__ import annotations

import json
import math
import os
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from .records import ScoreRecord

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "LOCK_TIMEOUT",
    "Baseline",
    "BaselineEntry",
    "BaselineError",
    "Comparison",
    "baseline_error_on_score_scale",
    "update_baseline_file",
]

FORMAT = "pytest-brainscore baseline"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
LOCK_TIMEOUT = 120.0  #: seconds an update waits for another session's lock on the same baseline file
_FIELDS = ("model", "benchmark", "benchmark_version", "score", "error", "raw_error", "raw", "ceiling")
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


@dataclass(frozen=True)
class Comparison:
    """How a score compares with its baseline entry."""

    status: str  #: "unchanged", "regression", "improvement", "new" or "incomparable"
    baseline_score: float | None = None
    baseline_error: float | None = None  #: on the score's (ceiled) scale, as compared
    baseline_version: str | int | None = None
    delta: float | None = None  #: score - baseline score
    allowed: float | None = None  #: max(tolerance, 2 x combined error)
    combined_error: float | None = None
    tolerance: float | None = None

    def describe(self) -> str:
        """A short phrase for the summary's gate column."""
        if self.status == "new":
            return "baseline: new"
        if self.status == "incomparable":
            return f"baseline: incomparable (was v{self.baseline_version})"
        delta = "nan" if self.delta is None else f"{self.delta:+.4f}"
        label = {"regression": "REGRESSION", "improvement": "improved"}.get(self.status, "ok")
        return f"baseline {delta} {label} (allowed {self.allowed:.4f})"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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

    def compare(self, record: ScoreRecord, tolerance: float) -> Comparison:
        """Compare ``record``'s score with the entry for its pair (see the module docstring for the rule)."""
        entry = self.entries.get(record.pair)
        if entry is None:
            return Comparison("new", tolerance=tolerance)
        baseline_error = baseline_error_on_score_scale(entry, record)
        known = dict(
            baseline_score=entry.score, baseline_error=baseline_error, baseline_version=entry.benchmark_version
        )
        if str(entry.benchmark_version) != str(record.benchmark_version):
            return Comparison("incomparable", tolerance=tolerance, **known)
        combined = math.hypot(_error(record.error), _error(baseline_error))
        allowed = max(tolerance, 2 * combined)
        if record.score is None:  # NaN: a broken measurement never passes the gate
            return Comparison("regression", allowed=allowed, combined_error=combined, tolerance=tolerance, **known)
        delta = record.score - entry.score
        status = "regression" if delta < -allowed else "improvement" if delta > allowed else "unchanged"
        return Comparison(status, delta=delta, allowed=allowed, combined_error=combined, tolerance=tolerance, **known)

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
            )
            written.add(record.pair)
        return Baseline(entries.values()), len(written), len(entries) - len(written)

    def to_text(self) -> str:
        """The file's JSON text (format version :data:`FORMAT_VERSION`)."""
        scores = [
            {key: value for key, value in asdict(entry).items() if value is not None or key == "benchmark_version"}
            for _, entry in sorted(self.entries.items())
        ]
        return json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION, "scores": scores}, indent=2) + "\n"

    def write(self, path: Path) -> None:
        """Write atomically (a temporary file in the same directory, then :func:`os.replace`), keeping the mode.

        A new file gets the mode a plain ``open`` would give (0666 less the umask). An unwritable file or
        directory raises :class:`BaselineError` naming the file and the fix.
        """
        path = Path(path)
        try:
            _check_writable(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else _default_mode()
            _replace_atomically(path, self.to_text(), mode)
        except OSError as error:
            raise BaselineError(_unwritable(path, error)) from None


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
        score = _number(item, "score", required=True)
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
    return BaselineEntry(model, benchmark, item.get("benchmark_version"), score, raw=raw, ceiling=ceiling, **errors)


def _number(item: dict[str, Any], key: str, required: bool = False) -> float | None:
    value = item[key] if required else item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{key!r} must be a number, got {value!r}")
    return float(value)


def _required_str(item: dict[str, Any], key: str) -> str:
    value = item[key]
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key!r} must be a non-empty string, got {value!r}")
    return value


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


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


def _replace_atomically(path: Path, text: str, mode: int) -> None:
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed by the ``with`` below; kept to unlink on failure
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, mode)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _lock(path: Path, timeout: float) -> FileLock:
    """The lock that serialises updates of ``path``: ``<path>.lock`` beside it."""
    return FileLock(str(path) + ".lock", timeout=timeout)


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
