"""Exceptions raised by brainscore_core.

Every error is written for a person: it names the thing that is wrong (identifier, file, dimension,
coordinate) and, where possible, the fix.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AssemblyError",
    "BrainScoreError",
    "ChecksumMismatchError",
    "DataError",
    "DataUnavailableError",
    "DuplicateRegistrationError",
    "IncompatibleModelError",
    "InvalidAssemblyError",
    "MetricInputError",
    "PluginError",
    "StimulusError",
    "UnknownIdentifierError",
    "UnknownLayerError",
]


class BrainScoreError(Exception):
    """Base class of all errors raised by brainscore_core."""


class UnknownIdentifierError(BrainScoreError, LookupError):
    """An identifier is not registered. The message lists the closest registered identifiers."""

    def __init__(
        self,
        kind: str,
        identifier: str,
        suggestions: list[str],
        note: str = "",
        *,
        listing: str = "",
        pattern: bool = False,
    ) -> None:
        self.kind = kind
        self.identifier = identifier
        self.suggestions = list(suggestions)
        self.note = note
        self.pattern = pattern  #: ``identifier`` is a glob that matched nothing
        if pattern:
            message = f"No registered {kind} identifier matches the pattern {identifier!r}."
        else:
            message = f"Unknown {kind} identifier {identifier!r}."
        if self.suggestions:
            message += " Did you mean: " + ", ".join(repr(s) for s in self.suggestions) + "?"
        elif listing:  # `listing`: the `brainscore list` argument of this kind (Registry.cli_name, e.g. data)
            message += f" No registered {kind} is close; run `brainscore list {listing}` to see them all."
        else:
            message += f" No registered {kind} is close."
        if note:
            message += " " + note
        super().__init__(message)


class UnknownLayerError(BrainScoreError, ValueError):
    """A model's configuration (e.g. ``region_layer_map``) names a layer its network does not have."""

    def __init__(self, model_identifier: str, layer: str, where: str, suggestions: list[str], fix: str) -> None:
        self.model_identifier = model_identifier
        self.layer = layer
        self.suggestions = list(suggestions)
        message = f"Model {model_identifier!r} {where} layer {layer!r}, which its network does not have."
        if self.suggestions:
            message += " Did you mean: " + ", ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(f"{message} {fix}")


class DuplicateRegistrationError(BrainScoreError):
    """One identifier was registered from two different places."""


class AssemblyError(BrainScoreError, ValueError):
    """An assembly lacks a dimension or coordinate, or is otherwise malformed."""


class StimulusError(BrainScoreError, ValueError):
    """A stimulus set is malformed or refers to missing files."""


class DataError(BrainScoreError, ValueError):
    """A data file is missing, unreadable or has unexpected content."""


class ChecksumMismatchError(DataError):
    """A file's SHA-256 differs from the declared one."""

    def __init__(self, path: object, expected: str, actual: str) -> None:
        self.path = path
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"Checksum mismatch for {path}: expected SHA-256 {expected}, got {actual}. "
            "The file is corrupted or was changed; restore the original file."
        )


def _size_text(size: int | None) -> str:
    if size is None:
        return "size unknown"
    for unit, factor in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} bytes"


class DataUnavailableError(DataError):
    """A registered data set could not be had: it is not in the data cache, and neither the download, a mirror
    (``BRAINSCORE_DATA_MIRROR``) nor an existing Brain-Score cache (``~/.brainio``, ``BRAINIO_HOME``) provided it.

    The message names the data set, its missing files with their sizes when known, what was tried, and the three
    ways out. Under pytest a benchmark whose data cannot be had fails with this message; it is never skipped.
    """

    def __init__(
        self,
        identifier: str,
        files: Sequence[tuple[str, int | None]],
        reasons: Sequence[str],
        *,
        data_dir: str,
        brainio_dirs: Sequence[str],
    ) -> None:
        self.identifier = identifier
        self.files = list(files)  #: (file name, size in bytes or None) of each missing file
        self.reasons = list(reasons)  #: what was tried and how it failed, one entry per attempt
        listed = ", ".join(f"{name} ({_size_text(size)})" for name, size in self.files)
        total = sum(size for _, size in self.files if size is not None)
        known = all(size is not None for _, size in self.files)
        sizes = f"; {_size_text(total)} in all" if known and len(self.files) > 1 else ""
        tried = " ".join(self.reasons) if self.reasons else "No source was tried."
        searched = ", ".join(brainio_dirs) if brainio_dirs else "none"
        super().__init__(
            f"Data set {identifier!r} is not available: {len(self.files)} file(s) missing: {listed}{sizes}. {tried} "
            f"Three ways out: (1) where there is network, run `brainscore fetch {identifier}` (it downloads into "
            f"{data_dir}; copy that folder to this machine's $BRAINSCORE_HOME/data); (2) set BRAINSCORE_DATA_MIRROR "
            "to a lab mirror: an http(s):// URL prefix or a local directory holding the same file names; (3) reuse "
            "an existing Brain-Score download cache (laid out as <sha1>/<file name>): set BRAINIO_HOME to it "
            f"(searched: {searched}); its files are verified and never modified."
        )


class MetricInputError(BrainScoreError, ValueError):
    """The inputs to a metric or ceiling are unusable (missing stimulus_id, mismatched stimuli, too few stimuli)."""


class IncompatibleModelError(BrainScoreError):
    """A model lacks a capability a benchmark needs (a region, a task, a label set ...).

    The pytest plugin reports such (model, benchmark) pairs as skipped, not failed.
    """

    def __init__(self, model_identifier: str, missing: str, hint: str = "") -> None:
        self.model_identifier = model_identifier
        self.missing = missing
        message = f"Model {model_identifier!r} cannot {missing}."
        if hint:
            message += " " + hint
        super().__init__(message)


class PluginError(BrainScoreError):
    """A plugin folder or entry point could not be loaded or is malformed."""


class InvalidAssemblyError(AssemblyError, MetricInputError):
    """An assembly's ids or values cannot be used as they are: repeated stimulus ids or (stimulus, repetition)
    rows, or an RDM that is not a dissimilarity matrix (not symmetric, non-zero diagonal).

    Both an :class:`AssemblyError` and a :class:`MetricInputError`, so either ``except`` clause catches it.
    """
