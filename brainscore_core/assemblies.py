"""The data model: assemblies are plain :class:`xarray.DataArray` objects with documented dimensions.

Neural assembly
    dims ``("presentation", "neuroid")`` or ``("presentation", "neuroid", "time_bin")``.
    ``presentation`` carries ``stimulus_id`` (required) plus stimulus metadata such as ``object_name`` and
    ``repetition``; ``neuroid`` carries ``neuroid_id`` (required) plus ``region``, ``subject``, ``layer`` ...
    ``time_bin`` (optional) carries ``time_bin_start`` and ``time_bin_end`` in milliseconds.

Behavioural assembly
    dims ``("presentation", "choice")`` for choice probabilities (``choice`` coord holds the labels), or
    ``("presentation",)`` with one row per trial; ``presentation`` carries ``stimulus_id`` plus trial coords
    such as ``subject``, ``truth``, ``choice``, ``condition``.

RDM assembly
    dims ``("subject", "stimulus_a", "stimulus_b")``: one representational dissimilarity matrix per subject
    (a single RDM has a subject dimension of length 1). The index coords ``stimulus_a`` and ``stimulus_b``
    hold stimulus ids in the same order.

All non-dimension coords are plain coords attached to one dimension (no pandas MultiIndex), so assemblies
serialise to netCDF unchanged.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from .errors import AssemblyError, InvalidAssemblyError

__all__ = [
    "align_by_stimulus",
    "average_repetitions",
    "behavioral_assembly",
    "coord_values",
    "neuroid_assembly",
    "rdm_assembly",
    "require_coords",
    "sort_by_stimulus",
    "validate_behavioral_assembly",
    "validate_neuroid_assembly",
    "validate_rdm_assembly",
]

PRESENTATION = "presentation"
NEUROID = "neuroid"
TIME_BIN = "time_bin"
CHOICE = "choice"

# one value per row: a sequence or a one-dimensional NumPy array
_Labels = Sequence[Hashable] | np.ndarray
_Columns = Mapping[str, Sequence[Any] | np.ndarray]


def _as_coords(dim: str, coords: _Columns | None, length: int) -> dict[str, tuple[str, np.ndarray]]:
    out: dict[str, tuple[str, np.ndarray]] = {}
    for name, values in (coords or {}).items():
        array = np.asarray(values)
        if array.ndim != 1 or len(array) != length:
            raise AssemblyError(
                f"Coordinate {name!r} on dimension {dim!r} must be one-dimensional with {length} values, "
                f"got shape {array.shape}."
            )
        out[name] = (dim, array)
    return out


def neuroid_assembly(
    values: Any,
    *,
    stimulus_id: _Labels,
    neuroid_id: _Labels | None = None,
    presentation_coords: _Columns | None = None,
    neuroid_coords: _Columns | None = None,
    time_bins: Sequence[tuple[float, float]] | None = None,
    attrs: Mapping[str, Any] | None = None,
) -> xr.DataArray:
    """Build a neural assembly ``(presentation, neuroid[, time_bin])`` and validate it.

    ``neuroid_id`` defaults to ``"0" .. "n-1"``. ``time_bins`` is a list of ``(start_ms, end_ms)``.
    """
    data = np.asarray(values)
    expected_ndim = 3 if time_bins is not None else 2
    if data.ndim != expected_ndim:
        raise AssemblyError(
            f"Neural values must have {expected_ndim} dimensions (presentation, neuroid"
            f"{', time_bin' if time_bins is not None else ''}), got shape {data.shape}."
        )
    n_presentations, n_neuroids = data.shape[:2]
    if neuroid_id is None:
        neuroid_id = [str(i) for i in range(n_neuroids)]
    coords = _as_coords(PRESENTATION, {"stimulus_id": stimulus_id, **(presentation_coords or {})}, n_presentations)
    coords.update(_as_coords(NEUROID, {"neuroid_id": neuroid_id, **(neuroid_coords or {})}, n_neuroids))
    dims: tuple[str, ...] = (PRESENTATION, NEUROID)
    if time_bins is not None:
        bins = np.asarray(time_bins, dtype=float)
        if bins.shape != (data.shape[2], 2):
            raise AssemblyError(f"time_bins must be {data.shape[2]} (start, end) pairs, got shape {bins.shape}.")
        coords["time_bin_start"] = (TIME_BIN, bins[:, 0])
        coords["time_bin_end"] = (TIME_BIN, bins[:, 1])
        dims = (*dims, TIME_BIN)
    assembly = xr.DataArray(data, dims=dims, coords=coords, attrs=dict(attrs or {}))
    return validate_neuroid_assembly(assembly)


def behavioral_assembly(
    values: Any,
    *,
    stimulus_id: _Labels,
    choices: _Labels | None = None,
    presentation_coords: _Columns | None = None,
    attrs: Mapping[str, Any] | None = None,
) -> xr.DataArray:
    """Build a behavioural assembly.

    With ``choices``: ``values`` is ``(presentation, choice)`` probabilities and the ``choice`` coord holds the
    labels. Without: ``values`` is one entry per trial (dims ``("presentation",)``), typically the answer.
    """
    data = np.asarray(values)
    n_presentations = data.shape[0] if data.ndim else 0
    coords = _as_coords(PRESENTATION, {"stimulus_id": stimulus_id, **(presentation_coords or {})}, n_presentations)
    if choices is not None:
        if data.ndim != 2 or data.shape[1] != len(choices):
            raise AssemblyError(
                f"Probabilities must have shape (presentation, {len(choices)} choices), got {data.shape}."
            )
        coords[CHOICE] = (CHOICE, np.asarray(choices))
        dims: tuple[str, ...] = (PRESENTATION, CHOICE)
    else:
        if data.ndim != 1:
            raise AssemblyError(f"Trial values must be one-dimensional (presentation,), got shape {data.shape}.")
        dims = (PRESENTATION,)
    assembly = xr.DataArray(data, dims=dims, coords=coords, attrs=dict(attrs or {}))
    return validate_behavioral_assembly(assembly)


def rdm_assembly(
    values: Any,
    *,
    stimulus_id: _Labels,
    subject: _Labels | None = None,
    attrs: Mapping[str, Any] | None = None,
) -> xr.DataArray:
    """Build an RDM assembly ``(subject, stimulus_a, stimulus_b)`` from one ``(n, n)`` or ``(s, n, n)`` array."""
    data = np.asarray(values, dtype=float)
    if data.ndim == 2:
        data = data[np.newaxis]
    if data.ndim != 3 or data.shape[1] != data.shape[2]:
        raise AssemblyError(f"RDM values must be (n, n) or (subjects, n, n), got shape {np.shape(values)}.")
    ids = np.asarray(stimulus_id)
    if len(ids) != data.shape[1]:
        raise AssemblyError(f"RDMs are {data.shape[1]}x{data.shape[1]} but {len(ids)} stimulus ids were given.")
    if subject is None:
        subject = [str(i) for i in range(data.shape[0])]
    assembly = xr.DataArray(
        data,
        dims=("subject", "stimulus_a", "stimulus_b"),
        coords={"subject": np.asarray(subject), "stimulus_a": ids, "stimulus_b": ids},
        attrs=dict(attrs or {}),
    )
    return validate_rdm_assembly(assembly)


def _describe(assembly: xr.DataArray) -> str:
    name = assembly.name or assembly.attrs.get("identifier")
    return f"assembly {name!r}" if name else "assembly"


def require_coords(assembly: xr.DataArray, dim: str, *names: str, what: str = "") -> None:
    """Raise :class:`AssemblyError` naming the first coord in ``names`` that is not on ``dim``."""
    if dim not in assembly.dims:
        raise AssemblyError(
            f"The {_describe(assembly)} has no {dim!r} dimension (dims are {tuple(assembly.dims)})."
            + (f" {what}" if what else "")
        )
    for name in names:
        if name not in assembly.coords or assembly.coords[name].dims != (dim,):
            present = sorted(str(c) for c, v in assembly.coords.items() if v.dims == (dim,))
            raise AssemblyError(
                f"The {_describe(assembly)} has no {name!r} coordinate on dimension {dim!r} "
                f"(coordinates there: {present})." + (f" {what}" if what else "")
            )


def _flatten_multiindex(assembly: xr.DataArray) -> xr.DataArray:
    """Turn any pandas MultiIndex coords into plain per-dimension coords."""
    for dim in list(assembly.dims):
        index = assembly.indexes.get(dim)
        if index is not None and getattr(index, "nlevels", 1) > 1:
            assembly = assembly.reset_index(dim)
            for level in index.names:
                if level in assembly.coords:
                    assembly = assembly.assign_coords({level: (dim, assembly.coords[level].values)})
    return assembly


def validate_neuroid_assembly(assembly: xr.DataArray) -> xr.DataArray:
    """Check a neural assembly's dims and required coords; return it with MultiIndex coords flattened."""
    if not isinstance(assembly, xr.DataArray):
        raise AssemblyError(f"A neural assembly must be an xarray.DataArray, got {type(assembly).__name__}.")
    assembly = _flatten_multiindex(assembly)
    allowed = {(PRESENTATION, NEUROID), (PRESENTATION, NEUROID, TIME_BIN)}
    if tuple(assembly.dims) not in allowed:
        missing = [d for d in (PRESENTATION, NEUROID) if d not in assembly.dims]
        detail = f"missing dimension {missing[0]!r}" if missing else "dims in the wrong order or extra dims"
        raise AssemblyError(
            f"A neural assembly needs dims ('presentation', 'neuroid'[, 'time_bin']): {detail}; "
            f"got {tuple(assembly.dims)}. Use assembly.transpose('presentation', 'neuroid', ...) to reorder."
        )
    require_coords(assembly, PRESENTATION, "stimulus_id")
    require_coords(assembly, NEUROID, "neuroid_id")
    return assembly


def validate_behavioral_assembly(assembly: xr.DataArray) -> xr.DataArray:
    """Check a behavioural assembly: ``(presentation[, choice])`` with ``stimulus_id``."""
    if not isinstance(assembly, xr.DataArray):
        raise AssemblyError(f"A behavioural assembly must be an xarray.DataArray, got {type(assembly).__name__}.")
    assembly = _flatten_multiindex(assembly)
    if tuple(assembly.dims) not in {(PRESENTATION,), (PRESENTATION, CHOICE)}:
        raise AssemblyError(
            "A behavioural assembly needs dims ('presentation',) for trials or ('presentation', 'choice') for "
            f"probabilities, got {tuple(assembly.dims)}."
        )
    require_coords(assembly, PRESENTATION, "stimulus_id")
    if CHOICE in assembly.dims:
        require_coords(assembly, CHOICE, CHOICE)
    return assembly


def validate_rdm_assembly(assembly: xr.DataArray) -> xr.DataArray:
    """Check an RDM assembly ``(subject, stimulus_a, stimulus_b)``: matching, unique stimulus ids and, per subject,
    a dissimilarity matrix (symmetric, zero diagonal). NaN entries (missing dissimilarities) are allowed.

    Raises :class:`AssemblyError` for wrong dims or coords and :class:`InvalidAssemblyError` for repeated ids, an
    asymmetric matrix (beyond a relative tolerance of ``RDM_TOLERANCE``) or a non-zero diagonal.
    """
    if not isinstance(assembly, xr.DataArray):
        raise AssemblyError(f"An RDM assembly must be an xarray.DataArray, got {type(assembly).__name__}.")
    if tuple(assembly.dims) != ("subject", "stimulus_a", "stimulus_b"):
        raise AssemblyError(
            f"An RDM assembly needs dims ('subject', 'stimulus_a', 'stimulus_b'), got {tuple(assembly.dims)}."
        )
    for name in ("subject", "stimulus_a", "stimulus_b"):
        if name not in assembly.coords:
            raise AssemblyError(f"The RDM {_describe(assembly)} has no {name!r} coordinate.")
    if not np.array_equal(assembly["stimulus_a"].values, assembly["stimulus_b"].values):
        raise AssemblyError("An RDM assembly's stimulus_a and stimulus_b coords must list the same ids in order.")
    repeated = _repeated_values(assembly["stimulus_a"].values)
    if len(repeated):
        raise InvalidAssemblyError(
            f"The RDM {_describe(assembly)} repeats stimulus ids {_first(repeated)}: each stimulus needs exactly one "
            "row and one column. Fix the ids, or drop the extra rows and columns (the same positions on both axes)."
        )
    _check_dissimilarities(assembly)
    return assembly


RDM_TOLERANCE = 1e-6
"""Relative tolerance (to the largest finite |entry| of the RDM) of the symmetry and zero-diagonal checks."""


def _check_dissimilarities(assembly: xr.DataArray) -> None:
    values = np.asarray(assembly.values, dtype=float)
    ids = np.asarray(assembly["stimulus_a"].values)
    subjects = np.asarray(assembly["subject"].values)
    for index, rdm in enumerate(values):
        finite = np.abs(rdm[np.isfinite(rdm)])
        tolerance = RDM_TOLERANCE * (finite.max() if finite.size else 0.0)
        subject = f"subject {_item(subjects[index])!r}"
        diagonal = np.diagonal(rdm)
        off = np.flatnonzero(np.isfinite(diagonal) & (np.abs(diagonal) > tolerance))
        if len(off):
            i = off[0]
            raise InvalidAssemblyError(
                f"The RDM {_describe(assembly)} has a non-zero diagonal ({subject}: {len(off)} entries, e.g. "
                f"stimulus {_item(ids[i])!r} has {diagonal[i]:.6g} with itself); an RDM holds dissimilarities, 0 "
                "between a stimulus and itself. If the matrix holds similarities (e.g. Pearson r), pass 1 - "
                "similarity; if it is a dissimilarity with an offset, subtract the diagonal."
            )
        mismatch = ~np.isclose(rdm, rdm.T, rtol=0.0, atol=tolerance, equal_nan=True)
        if mismatch.any():
            i, j = np.argwhere(np.triu(mismatch, k=1))[0]
            raise InvalidAssemblyError(
                f"The RDM {_describe(assembly)} is not symmetric ({subject}: {int(np.triu(mismatch, k=1).sum())} "
                f"pairs differ, e.g. ({_item(ids[i])!r}, {_item(ids[j])!r}) = {rdm[i, j]:.6g} but "
                f"({_item(ids[j])!r}, {_item(ids[i])!r}) = {rdm[j, i]:.6g}; a NaN counts as different from a "
                "number). Metrics read only the upper triangle, so the lower one would be ignored: pass the full "
                "symmetric RDM (check how it was computed or transposed)."
            )


def _item(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _first(values: np.ndarray, count: int = 5) -> str:
    shown = [_item(v) for v in values[:count]]
    return f"{shown}" + (f" and {len(values) - count} more" if len(values) > count else "")


def _repeated_values(values: Any) -> np.ndarray:
    unique, counts = np.unique(np.asarray(values), return_counts=True)
    return unique[counts > 1]


def coord_values(assembly: xr.DataArray, name: str) -> np.ndarray:
    """The values of coord ``name`` as a numpy array (raises :class:`AssemblyError` when absent)."""
    if name not in assembly.coords:
        raise AssemblyError(f"The {_describe(assembly)} has no {name!r} coordinate.")
    return np.asarray(assembly.coords[name].values)


def _presentation_coords(assembly: xr.DataArray) -> list[str]:
    return [str(c) for c, v in assembly.coords.items() if v.dims == (PRESENTATION,)]


def average_repetitions(
    assembly: xr.DataArray, *, skipna: bool = True, repetition_coord: str | None = "repetition"
) -> xr.DataArray:
    """Average the repetitions of each ``stimulus_id``.

    Rows of one stimulus are averaged only when they are declared repetitions: with a ``repetition_coord``
    (default ``"repetition"``) on ``presentation``, each ``(stimulus_id, repetition)`` pair must appear once.
    Without that coord, a repeated ``stimulus_id`` is refused unless the caller declares that every row of a
    stimulus is a repetition by passing ``repetition_coord=None``. Refusals raise :class:`InvalidAssemblyError`
    naming the ids. Presentation coords that are constant within a stimulus are kept; those that vary
    (``repetition``, trial ids ...) are dropped. The result is ordered by first appearance of each stimulus.
    """
    require_coords(assembly, PRESENTATION, "stimulus_id")
    ids = coord_values(assembly, "stimulus_id")
    if repetition_coord is not None:
        _check_declared_repetitions(assembly, ids, repetition_coord)
    unique_ids, first_index, inverse = np.unique(ids, return_index=True, return_inverse=True)
    order = np.argsort(first_index)
    unique_ids, first_index = unique_ids[order], first_index[order]
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    group = rank[inverse]
    data = np.asarray(assembly.values, dtype=float)
    n_groups = len(unique_ids)
    shape = (n_groups, *data.shape[1:])
    valid = ~np.isnan(data) if skipna else np.ones_like(data, dtype=bool)
    sums = np.zeros(shape)
    counts = np.zeros(shape)
    np.add.at(sums, group, np.where(valid, data, 0.0))
    np.add.at(counts, group, valid)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    coords: dict[str, Any] = {}
    for name in _presentation_coords(assembly):
        values = coord_values(assembly, name)
        firsts = values[first_index]
        if np.array_equal(values, firsts[group]):
            coords[name] = (PRESENTATION, firsts)
    for coord_name, coord in assembly.coords.items():
        if PRESENTATION not in coord.dims:
            coords[str(coord_name)] = coord
    return xr.DataArray(means, dims=assembly.dims, coords=coords, attrs=assembly.attrs, name=assembly.name)


def _check_declared_repetitions(assembly: xr.DataArray, ids: np.ndarray, repetition_coord: str) -> None:
    """Refuse repeated ids that are not told apart by ``repetition_coord`` (see :func:`average_repetitions`)."""
    repeated = _repeated_values(ids)
    if not len(repeated):
        return
    if repetition_coord not in assembly.coords or assembly.coords[repetition_coord].dims != (PRESENTATION,):
        raise InvalidAssemblyError(
            f"The {_describe(assembly)} repeats {len(repeated)} stimulus ids ({_first(repeated)}) but has no "
            f"{repetition_coord!r} coordinate on 'presentation' to tell the repetitions apart. If the rows are "
            f"repetitions, add the coord (0, 1, ... per stimulus), or declare that every row of a stimulus is a "
            "repetition with average_repetitions(..., repetition_coord=None); otherwise fix the stimulus ids."
        )
    labels = np.asarray(assembly.coords[repetition_coord].values)
    seen: set[tuple[Any, Any]] = set()
    duplicated: list[tuple[Any, Any]] = []
    for pair in zip(ids.tolist(), labels.tolist(), strict=True):
        if pair in seen and pair not in duplicated:
            duplicated.append(pair)
        seen.add(pair)
    if duplicated:
        shown = ", ".join(repr(pair) for pair in duplicated[:5]) + (" ..." if len(duplicated) > 5 else "")
        raise InvalidAssemblyError(
            f"The {_describe(assembly)} has {len(duplicated)} duplicated (stimulus_id, {repetition_coord}) rows, "
            f"e.g. {shown}: two rows claim to be the same presentation, so one of them is probably another "
            "stimulus's response. Fix the stimulus ids or the repetition labels; nothing was averaged."
        )


def sort_by_stimulus(assembly: xr.DataArray) -> xr.DataArray:
    """Sort presentations by ``stimulus_id`` (stable)."""
    ids = coord_values(assembly, "stimulus_id")
    order = np.argsort(ids, kind="stable")
    return assembly.isel({PRESENTATION: order})


def align_by_stimulus(source: xr.DataArray, target: xr.DataArray) -> tuple[xr.DataArray, xr.DataArray]:
    """Return ``source`` and ``target`` restricted to their shared stimuli, both sorted by ``stimulus_id``.

    Each stimulus must appear once in each assembly (average repetitions first). Raises
    :class:`AssemblyError` when ids repeat or the assemblies share no stimuli.
    """
    for name, assembly in (("source", source), ("target", target)):
        require_coords(assembly, PRESENTATION, "stimulus_id", what=f"({name} assembly)")
        repeated = _repeated_values(coord_values(assembly, "stimulus_id"))
        if len(repeated):
            raise InvalidAssemblyError(
                f"The {name} assembly repeats stimulus ids {_first(repeated)}; alignment needs one row per "
                "stimulus. If the rows are labelled repetitions, average repetitions first "
                "(brainscore_core.average_repetitions); otherwise fix the ids."
            )
    shared = np.intersect1d(coord_values(source, "stimulus_id"), coord_values(target, "stimulus_id"))
    if len(shared) == 0:
        raise AssemblyError("Source and target share no stimulus_id.")

    def restrict(assembly: xr.DataArray) -> xr.DataArray:
        ids = coord_values(assembly, "stimulus_id")
        position = {value: i for i, value in enumerate(ids)}
        return assembly.isel({PRESENTATION: [position[value] for value in shared]})

    return restrict(source), restrict(target)
