"""Score: the result of a metric, a ceiling or a benchmark."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import xarray as xr

__all__ = [
    "CEILING_FORMULAS",
    "Score",
    "UnreliableCeilingWarning",
    "ceil_ratio",
    "ceil_squared",
    "ceiled_error",
    "ceiling_unreliability",
    "clip_score",
    "warn_if_ceiling_unreliable",
]


def _nan_to_none(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (list, tuple)):
        return [_nan_to_none(v) for v in value]
    if isinstance(value, dict):
        return {k: _nan_to_none(v) for k, v in value.items()}
    return value


def _jsonable(value: Any) -> Any:
    """Convert numpy scalars/arrays inside ``value`` to plain Python for JSON."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _array_to_dict(array: xr.DataArray) -> dict[str, Any]:
    coords = {
        str(name): {"dims": list(coord.dims), "data": _jsonable(np.asarray(coord.values)), "dtype": coord.dtype.str}
        for name, coord in array.coords.items()
    }
    return {
        "dims": list(array.dims),
        "data": _jsonable(np.asarray(array.values)),
        "dtype": array.dtype.str,
        "coords": coords,
        "attrs": _jsonable(dict(array.attrs)),
    }


def _array_from_dict(payload: Mapping[str, Any]) -> xr.DataArray:
    def restore(data: Any, dtype: str) -> np.ndarray:
        kind = np.dtype(dtype).kind
        if kind in "fc":
            return np.array(data, dtype=object).astype(float if kind == "f" else complex)
        if kind in "US":
            return np.array(data, dtype=str)
        return np.array(data, dtype=dtype if kind != "O" else object)

    coords = {name: (tuple(c["dims"]), restore(c["data"], c["dtype"])) for name, c in payload["coords"].items()}
    return xr.DataArray(
        restore(payload["data"], payload["dtype"]),
        dims=tuple(payload["dims"]),
        coords=coords,
        attrs=dict(payload.get("attrs", {})),
    )


def _fmt(value: float | None) -> str:
    return "None" if value is None else f"{value:.4f}"


@dataclass
class Score:
    """A score with its error, its provenance and its details.

    ``float(score)`` is the headline number: the ceiled score for a benchmark, the aggregate for a metric or
    ceiling. ``raw`` is the unceiled score and ``ceiling`` the ceiling (None when the benchmark has none);
    ``unclipped`` is the value before clipping to the valid range. ``details`` maps names to
    :class:`xarray.DataArray`\\ s (per split, per neuroid, per subject, per layer ...); ``attrs`` holds further
    JSON-able facts (e.g. the ceiling's lower bound, a layer choice, a note that no ceiling exists).

    ``error`` is on the scale of ``float(score)``: for a ceiled score it is the raw error carried through the
    same normalisation as the value, to first order in the raw score (``raw / ceiling`` gives
    ``raw_error / ceiling``; ``raw**2 / ceiling`` gives ``2 * |raw| * raw_error / ceiling``), before clipping and
    with the ceiling held fixed (its own error is ``attrs['ceiling_error']``); ``attrs['ceiling_formula']`` names
    the normalisation. ``raw_error`` keeps the error of ``raw`` (equal to ``error`` when there is no ceiling;
    None for a score that went through no normalisation, e.g. a metric's).
    """

    value: float
    error: float = math.nan
    raw: float | None = None
    ceiling: float | None = None
    unclipped: float | None = None
    model_identifier: str | None = None
    benchmark_identifier: str | None = None
    benchmark_version: str | int | None = None
    details: dict[str, xr.DataArray] = field(default_factory=dict)
    attrs: dict[str, Any] = field(default_factory=dict)
    raw_error: float | None = None

    def __post_init__(self) -> None:
        self.value = float(self.value)
        self.error = float(self.error) if self.error is not None else math.nan
        if self.raw_error is not None:
            self.raw_error = float(self.raw_error)
        if self.raw is not None:
            self.raw = float(self.raw)
        if self.ceiling is not None:
            self.ceiling = float(self.ceiling)
        if self.unclipped is not None:
            self.unclipped = float(self.unclipped)

    def __float__(self) -> float:
        return self.value

    def __repr__(self) -> str:
        parts = [f"{self.value:.4f}"]
        if not math.isnan(self.error):
            parts.append(f"error={self.error:.4f}")
        if self.raw is not None:
            parts.append(f"raw={_fmt(self.raw)}")
        if self.ceiling is not None:
            parts.append(f"ceiling={_fmt(self.ceiling)}")
        if self.model_identifier or self.benchmark_identifier:
            parts.append(f"model={self.model_identifier!r}, benchmark={self.benchmark_identifier!r}")
        return f"Score({', '.join(parts)})"

    def with_identifiers(
        self, model: str | None = None, benchmark: str | None = None, version: str | int | None = None
    ) -> Score:
        """A copy carrying the given model / benchmark identifiers and benchmark version."""
        return replace(
            self,
            model_identifier=model if model is not None else self.model_identifier,
            benchmark_identifier=benchmark if benchmark is not None else self.benchmark_identifier,
            benchmark_version=version if version is not None else self.benchmark_version,
            details=dict(self.details),
            attrs=dict(self.attrs),
        )

    # --- JSON -----------------------------------------------------------------------------------------
    def to_dict(self, *, include_details: bool = True) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "value": self.value,
            "error": self.error,
            "raw": self.raw,
            "raw_error": self.raw_error,
            "ceiling": self.ceiling,
            "unclipped": self.unclipped,
            "model_identifier": self.model_identifier,
            "benchmark_identifier": self.benchmark_identifier,
            "benchmark_version": self.benchmark_version,
            "attrs": _jsonable(self.attrs),
        }
        if include_details:
            payload["details"] = {name: _array_to_dict(array) for name, array in self.details.items()}
        cleaned: dict[str, Any] = _nan_to_none(payload)
        return cleaned

    def to_json(self, *, include_details: bool = True, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(include_details=include_details), indent=indent, allow_nan=False)

    @classmethod
    def from_dict(cls, payload: Mapping[str, Any]) -> Score:
        def number(key: str) -> float:
            value = payload.get(key)
            return math.nan if value is None else float(value)

        return cls(
            value=number("value"),
            error=number("error"),
            raw=payload.get("raw"),
            raw_error=payload.get("raw_error"),
            ceiling=payload.get("ceiling"),
            unclipped=payload.get("unclipped"),
            model_identifier=payload.get("model_identifier"),
            benchmark_identifier=payload.get("benchmark_identifier"),
            benchmark_version=payload.get("benchmark_version"),
            details={name: _array_from_dict(d) for name, d in (payload.get("details") or {}).items()},
            attrs=dict(payload.get("attrs") or {}),
        )

    @classmethod
    def from_json(cls, text: str) -> Score:
        return cls.from_dict(json.loads(text))


def clip_score(value: float, low: float = 0.0, high: float = 1.0) -> float:
    """Clip to ``[low, high]``; NaN stays NaN."""
    return value if math.isnan(value) else min(max(value, low), high)


# The ceiling normalisations live next to ``Benchmark`` (:mod:`brainscore_core.benchmarks._normalisation`); they are
# re-exported here, where they were first published. Imported last: that module needs ``Score`` from this one.
from .benchmarks._normalisation import (  # noqa: E402
    CEILING_FORMULAS,
    UnreliableCeilingWarning,
    ceil_ratio,
    ceil_squared,
    ceiled_error,
    ceiling_unreliability,
    warn_if_ceiling_unreliable,
)
