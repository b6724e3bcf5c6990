"""Paired-unit records: what a baseline (format v2) stores per (model, benchmark) pair for the paired test.

Three kinds, each a frozen, validated dataclass with ``to_dict``/``from_dict`` (versioned, JSON-safe, floats at
:data:`~brainscore_core.comparison.estimates.STORED_DIGITS` significant digits) and ``size_bytes``:

- :class:`SplitUnits` (predictivity, CKA-cv, RDM-cv): the J raw per-split scores, ``n_train``/``n_test`` and the
  split fingerprint (:func:`split_fingerprint`).
- :class:`SubjectStimulusUnits` (RSA, error consistency): each subject's raw value and its leave-one-stimulus-out
  (or stimulus-group) values, the subject ids and a stimulus fingerprint (:func:`stimulus_fingerprint`).
- :class:`StimulusUnits` (accuracy, shape bias): one decision per stimulus (correctness bits, or class indices).

:func:`compare_units` checks that two records are comparable and runs the family's test.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .estimates import (
    STORED_DIGITS,
    PairedEstimate,
    mcnemar_test,
    split_test,
    stimulus_jackknife_test,
    subject_stimulus_test,
    unpaired_split_test,
)

__all__ = [
    "UNITS_VERSION",
    "SplitUnits",
    "StimulusUnits",
    "SubjectStimulusUnits",
    "UnitsMismatch",
    "compare_units",
    "split_fingerprint",
    "stimulus_fingerprint",
    "units_from_dict",
]

UNITS_VERSION = 1


class UnitsMismatch(ValueError):
    """Two records cannot be paired (different stimuli, subjects or kinds); the message names what differs."""


def _digest(parts: Sequence[str]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode())
        hasher.update(b"\x1f")
    return "sha256:" + hasher.hexdigest()


def split_fingerprint(train_ids: Sequence[Sequence[object]], test_ids: Sequence[Sequence[object]]) -> str:
    """Stable fingerprint of CV splits: sha256 over, per split in order, its sorted train and test stimulus ids.

    Independent of the row order within a split and of the ids' type (they are compared as strings).
    """
    if len(train_ids) != len(test_ids):
        raise ValueError(f"got {len(train_ids)} train sets but {len(test_ids)} test sets.")
    parts: list[str] = []
    for train, test in zip(train_ids, test_ids, strict=True):
        parts += ["train", *sorted(map(str, train)), "test", *sorted(map(str, test))]
    return _digest(parts)


def stimulus_fingerprint(stimulus_ids: Sequence[object]) -> str:
    """sha256 over the stimulus ids *in order* (the order pairs the units, so it is part of the identity)."""
    return _digest([str(x) for x in stimulus_ids])


def _round(values: np.ndarray) -> list[Any]:
    return json.loads(json.dumps(np.vectorize(lambda x: float(f"{x:.{STORED_DIGITS}g}"))(values).tolist()))


def _floats(values: Any, name: str, ndim: int) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {array.shape}.")
    bad = ~np.isfinite(array)
    if np.any(bad):
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} holds {int(bad.sum())} non-finite value(s) (first at index {index}); the paired test needs "
            "finite units: fix the metric output, or do not store paired units for this pair."
        )
    array.setflags(write=False)
    return array


def _header(kind: str, data: dict[str, Any]) -> None:
    if data.get("version") != UNITS_VERSION:
        raise ValueError(
            f"paired-units version {data.get('version')!r} is not supported (this build reads {UNITS_VERSION}); "
            "re-write the baseline with --brainscore-update-baseline."
        )
    if data.get("kind") != kind:
        raise ValueError(f"expected paired units of kind {kind!r}, got {data.get('kind')!r}.")


class _Record:
    kind: ClassVar[str]

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    def size_bytes(self) -> int:
        """Size of the compact JSON of :meth:`to_dict` (what the baseline file grows by for this pair)."""
        return len(json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=False).encode())


@dataclass(frozen=True, eq=False)
class SplitUnits(_Record):
    """Per-split raw scores of a split-averaged metric (split j is the same split on both sides of a pair)."""

    scores: np.ndarray
    n_train: int
    n_test: int
    fingerprint: str
    kind: ClassVar[str] = "splits"

    def __post_init__(self) -> None:
        object.__setattr__(self, "scores", _floats(self.scores, "per-split scores", 1))
        if self.scores.size < 2:
            raise ValueError(f"need >= 2 per-split scores for the paired split test, got {self.scores.size}.")
        if self.n_train < 1 or self.n_test < 1:
            raise ValueError(f"n_train and n_test must be positive, got {self.n_train} and {self.n_test}.")

    def to_dict(self) -> dict[str, Any]:
        """Versioned JSON-safe dict."""
        return {
            "kind": self.kind,
            "version": UNITS_VERSION,
            "scores": _round(self.scores),
            "n_train": self.n_train,
            "n_test": self.n_test,
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SplitUnits:
        """Inverse of :meth:`to_dict`."""
        _header(cls.kind, data)
        return cls(np.asarray(data["scores"]), int(data["n_train"]), int(data["n_test"]), str(data["fingerprint"]))


@dataclass(frozen=True, eq=False)
class SubjectStimulusUnits(_Record):
    """Per-subject raw values ``(S,)`` and leave-one-stimulus-out values ``(S, G)`` (G stimuli or groups)."""

    subjects: tuple[str, ...]
    by_subject: np.ndarray
    loo: np.ndarray
    stimuli: str
    unit: str = "stimulus"
    kind: ClassVar[str] = "subjects_stimuli"

    def __post_init__(self) -> None:
        object.__setattr__(self, "subjects", tuple(str(s) for s in self.subjects))
        object.__setattr__(self, "by_subject", _floats(self.by_subject, "per-subject values", 1))
        object.__setattr__(self, "loo", _floats(self.loo, "leave-one-out values", 2))
        n = len(self.subjects)
        if self.by_subject.shape != (n,) or self.loo.shape[0] != n:
            raise ValueError(
                f"{n} subject ids but per-subject values of shape {self.by_subject.shape} and leave-one-out values of "
                f"shape {self.loo.shape}; expected ({n},) and ({n}, n_stimuli)."
            )
        if self.loo.shape[1] < 2:
            raise ValueError(f"the stimulus jackknife needs >= 2 deletion units, got {self.loo.shape[1]}.")

    def to_dict(self) -> dict[str, Any]:
        """Versioned JSON-safe dict."""
        return {
            "kind": self.kind,
            "version": UNITS_VERSION,
            "subjects": list(self.subjects),
            "by_subject": _round(self.by_subject),
            "loo": _round(self.loo),
            "stimuli": self.stimuli,
            "unit": self.unit,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SubjectStimulusUnits:
        """Inverse of :meth:`to_dict`."""
        _header(cls.kind, data)
        loo = np.asarray(data["loo"], dtype=float).reshape(len(data["subjects"]), -1)
        return cls(tuple(data["subjects"]), np.asarray(data["by_subject"]), loo, str(data["stimuli"]), data["unit"])


@dataclass(frozen=True, eq=False)
class StimulusUnits(_Record):
    """One decision per stimulus: booleans (correctness, stored as a hex bit string) or class indices.

    Class-index decisions of a cue-conflict shape bias also carry ``cues`` (2, N): each stimulus' shape and
    texture class index, and ``reference``, the human shape bias; the record then knows its own statistic
    (:meth:`shape_bias`), ``1 - |model shape bias - reference|``.
    """

    decisions: np.ndarray
    stimuli: str
    cues: np.ndarray | None = None
    reference: float | None = None
    kind: ClassVar[str] = "stimuli"

    def __post_init__(self) -> None:
        decisions = np.asarray(self.decisions)
        if decisions.ndim != 1 or decisions.size < 2:
            raise ValueError(f"per-stimulus decisions must be a 1-D array of >= 2 values, got shape {decisions.shape}.")
        if decisions.dtype != bool and not np.issubdtype(decisions.dtype, np.integer):
            raise ValueError(
                f"per-stimulus decisions must be booleans (correctness) or integer class indices, got dtype "
                f"{decisions.dtype}; map labels to indices first."
            )
        decisions = decisions.copy()
        decisions.setflags(write=False)
        object.__setattr__(self, "decisions", decisions)
        if (self.cues is None) != (self.reference is None):
            raise ValueError("shape-bias units need both the cues (shape, texture) and the human reference bias.")
        if self.cues is not None:
            cues = np.asarray(self.cues)
            if cues.shape != (2, decisions.size) or not np.issubdtype(cues.dtype, np.integer):
                raise ValueError(
                    f"cues must be integer class indices of shape (2, {decisions.size}) (shape, texture), got "
                    f"{cues.dtype} {cues.shape}."
                )
            if decisions.dtype == bool:
                raise ValueError("cues go with class-index decisions, not with correctness bits.")
            cues = cues.copy()
            cues.setflags(write=False)
            object.__setattr__(self, "cues", cues)
            reference = float(self.reference)  # type: ignore[arg-type]  # not None with cues (checked above)
            if not np.isfinite(reference):
                raise ValueError(f"the human reference bias must be a finite number, got {self.reference!r}.")
            object.__setattr__(self, "reference", reference)

    def shape_bias(self, rows: np.ndarray) -> float:
        """``1 - |shape bias of the decisions in rows (N, 3: decision, shape, texture) - reference|``."""
        conflict = rows[:, 1] != rows[:, 2]
        shape = np.sum((rows[:, 0] == rows[:, 1]) & conflict)
        texture = np.sum((rows[:, 0] == rows[:, 2]) & conflict)
        total = shape + texture
        return float("nan") if total == 0 else 1.0 - abs(shape / total - float(self.reference or 0.0))

    def rows(self) -> np.ndarray:
        """(N, 3): decision, shape cue, texture cue (for :meth:`shape_bias` and the jackknife)."""
        if self.cues is None:
            raise ValueError("these per-stimulus units carry no cues.")
        return np.column_stack([self.decisions, self.cues[0], self.cues[1]])

    def to_dict(self) -> dict[str, Any]:
        """Versioned JSON-safe dict; correctness is packed into a hex string (4 stimuli per character)."""
        data: dict[str, Any] = {"kind": self.kind, "version": UNITS_VERSION, "n": int(self.decisions.size)}
        if self.decisions.dtype == bool:
            data["correct_hex"] = np.packbits(self.decisions).tobytes().hex()
        else:
            data["decisions"] = [int(x) for x in self.decisions]
        if self.cues is not None:
            data["shape"] = [int(x) for x in self.cues[0]]
            data["texture"] = [int(x) for x in self.cues[1]]
            data["reference"] = float(f"{self.reference:.{STORED_DIGITS}g}")
        data["stimuli"] = self.stimuli
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StimulusUnits:
        """Inverse of :meth:`to_dict`."""
        _header(cls.kind, data)
        n = int(data["n"])
        if "correct_hex" in data:
            bits = np.unpackbits(np.frombuffer(bytes.fromhex(data["correct_hex"]), dtype=np.uint8))
            if bits.size < n:
                raise ValueError(f"correct_hex holds {bits.size} bits but n = {n}.")
            decisions = bits[:n].astype(bool)
        else:
            decisions = np.asarray(data["decisions"], dtype=np.int64)
            if decisions.size != n:
                raise ValueError(f"decisions holds {decisions.size} values but n = {n}.")
        cues = None
        if "shape" in data or "texture" in data:
            cues = np.asarray([data["shape"], data["texture"]], dtype=np.int64)
        return cls(decisions, str(data["stimuli"]), cues, data.get("reference"))


Record = SplitUnits | SubjectStimulusUnits | StimulusUnits
_KINDS: dict[str, type[Record]] = {k.kind: k for k in (SplitUnits, SubjectStimulusUnits, StimulusUnits)}


def units_from_dict(data: dict[str, Any]) -> Record:
    """Read any paired-units record by its ``kind``; refuses unknown kinds and versions with the fix."""
    kind = data.get("kind")
    if kind not in _KINDS:
        raise ValueError(f"unknown paired-units kind {kind!r}; known: {sorted(_KINDS)}.")
    return _KINDS[kind].from_dict(data)


def _short(fingerprint: str) -> str:
    return fingerprint.removeprefix("sha256:")[:8]


def compare_units(
    baseline: Record,
    current: Record,
    *,
    scale: float = 1.0,
    statistic: Callable[[np.ndarray], float] | None = None,
) -> PairedEstimate:
    """The family's paired test between two records of the same kind.

    Split records with different fingerprints fall back to :func:`unpaired_split_test` (the estimate's ``note``
    says "splits differ (baseline …, now …)"). Other mismatches (stimuli, subjects, kinds) raise
    :class:`UnitsMismatch`: the caller reports the pair as incomparable. ``statistic`` is needed for
    :class:`StimulusUnits` with class-index decisions (e.g. shape bias); boolean decisions use McNemar.
    """
    if type(baseline) is not type(current):
        raise UnitsMismatch(f"baseline units are {baseline.kind!r}, this run's are {current.kind!r}.")
    if isinstance(baseline, SplitUnits) and isinstance(current, SplitUnits):
        if baseline.fingerprint != current.fingerprint:
            note = (
                f"splits differ (baseline {_short(baseline.fingerprint)}, now {_short(current.fingerprint)}); unpaired"
            )
            return unpaired_split_test(
                baseline.scores,
                current.scores,
                n_train=(baseline.n_train, current.n_train),
                n_test=(baseline.n_test, current.n_test),
                scale=scale,
                note=note,
            )
        return split_test(baseline.scores, current.scores, n_train=current.n_train, n_test=current.n_test, scale=scale)
    assert not isinstance(baseline, SplitUnits) and not isinstance(current, SplitUnits)  # handled above
    if baseline.stimuli != current.stimuli:
        raise UnitsMismatch(
            f"stimulus fingerprint differs (baseline {_short(baseline.stimuli)}, now {_short(current.stimuli)})"
        )
    if isinstance(baseline, SubjectStimulusUnits) and isinstance(current, SubjectStimulusUnits):
        if baseline.subjects != current.subjects:
            raise UnitsMismatch(f"subjects differ (baseline {list(baseline.subjects)}, now {list(current.subjects)})")
        if baseline.unit != current.unit or baseline.loo.shape != current.loo.shape:
            raise UnitsMismatch(
                f"jackknife units differ (baseline {baseline.loo.shape[1]} x {baseline.unit!r}, "
                f"now {current.loo.shape[1]} x {current.unit!r})"
            )
        return subject_stimulus_test(
            baseline.by_subject, current.by_subject, baseline.loo, current.loo, scale=scale, unit=current.unit
        )
    assert isinstance(baseline, StimulusUnits) and isinstance(current, StimulusUnits)
    if baseline.decisions.dtype == bool and current.decisions.dtype == bool:
        return mcnemar_test(baseline.decisions, current.decisions, scale=scale)
    if statistic is None and baseline.cues is not None and current.cues is not None:
        if not np.array_equal(baseline.cues, current.cues) or baseline.reference != current.reference:
            raise UnitsMismatch("shape-bias cues or human reference differ from the baseline's")
        return stimulus_jackknife_test(baseline.rows(), current.rows(), current.shape_bias, scale=scale)
    if statistic is None:
        raise ValueError("class-index decisions need the benchmark's `statistic` (e.g. shape bias) to be compared.")
    return stimulus_jackknife_test(baseline.decisions, current.decisions, statistic, scale=scale)
