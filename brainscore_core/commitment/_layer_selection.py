"""Layer selection: commit each region to the candidate layer that scores best on that region's selection benchmark.

Benchmark plugins register the benchmark that selects layers for a region (public data, distinct from the data
the region is tested on) at import time::

    from brainscore_core.commitment import register_selection_benchmark
    register_selection_benchmark("V4", "MyLab2024.V4-public-pls")

Selection scores every candidate layer with ordinary ``benchmark(model)`` calls on per-layer views of the model;
all views share one extraction of every candidate layer (one forward pass per stimulus set). The result is cached
on disk keyed on the model (identifier, structure and behavioural fingerprint, preprocessing, visual degrees; see
:meth:`~brainscore_core.activations.PytorchWrapper.identity`), the benchmark (identifier, version, the content of
its stimuli and data, and the code of its class, metric and ceiling), the region and the candidate layers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..brain_model import BrainModel
from ..errors import DuplicateRegistrationError, IncompatibleModelError
from ._recording import as_recording, layer_columns

if TYPE_CHECKING:
    import xarray as xr

    from ..stimuli import StimulusSet

__all__ = [
    "SELECTION_BENCHMARKS",
    "LayerSelectionResult",
    "benchmark_content",
    "read_region_layer_map",
    "register_selection_benchmark",
    "select_layer",
    "selection_benchmark",
]

#: region -> identifier of the benchmark that selects the layer for that region
SELECTION_BENCHMARKS: dict[str, str] = {}

Extractor = Callable[["StimulusSet", list[str]], "xr.DataArray"]


def register_selection_benchmark(region: str, benchmark_identifier: str) -> None:
    """Declare ``benchmark_identifier`` as the benchmark that selects layers for ``region``.

    Registering the same pair again is harmless; a second, different benchmark for a region is an error.
    """
    current = SELECTION_BENCHMARKS.get(region)
    if current is not None and current != benchmark_identifier:
        raise DuplicateRegistrationError(
            f"Region {region!r} already selects layers with benchmark {current!r}; cannot also use "
            f"{benchmark_identifier!r}. Keep one register_selection_benchmark call per region."
        )
    SELECTION_BENCHMARKS[region] = benchmark_identifier


def selection_benchmark(region: str) -> str | None:
    """The benchmark registered to select layers for ``region`` (plugins are discovered first), or None."""
    from ..plugins import ensure_discovered

    ensure_discovered()
    return SELECTION_BENCHMARKS.get(region)


@dataclass(frozen=True)
class LayerSelectionResult:
    """The chosen layer and every candidate's score on the selection benchmark."""

    region: str
    benchmark: str
    layer: str
    layers: tuple[str, ...]
    scores: tuple[float, ...]

    def scores_array(self) -> xr.DataArray:
        """Per-layer scores as a DataArray over ``layer`` (attrs: region, benchmark, selected layer)."""
        import xarray as xr

        return xr.DataArray(
            np.asarray(self.scores, dtype=float),
            dims=("layer",),
            coords={"layer": list(self.layers)},
            attrs={"region": self.region, "benchmark": self.benchmark, "selected_layer": self.layer},
            name="layer_selection_scores",
        )

    def to_payload(self) -> dict[str, Any]:
        return {"layer": self.layer, "layers": list(self.layers), "scores": list(self.scores)}

    @classmethod
    def from_payload(cls, payload: dict[str, Any], region: str, benchmark: str) -> LayerSelectionResult:
        scores = tuple(math.nan if s is None else float(s) for s in payload["scores"])
        return cls(region, benchmark, str(payload["layer"]), tuple(payload["layers"]), scores)


class _SharedFeatures:
    """All candidate layers extracted once per stimulus set and shared by the per-layer views."""

    def __init__(self, extract: Extractor, layers: list[str]) -> None:
        self._extract = extract
        self._layers = layers
        self._memo: dict[tuple[str, float | None], xr.DataArray] = {}

    def features(self, stimuli: StimulusSet, layer: str) -> xr.DataArray:
        key = (stimuli.content_hash(), stimuli.visual_degrees)
        if key not in self._memo:
            self._memo[key] = self._extract(stimuli, self._layers)
        return layer_columns(self._memo[key], layer)


class _LayerView(BrainModel):
    """The model committed to one candidate layer, as the selection benchmark sees it."""

    def __init__(self, identifier: str, layer: str, shared: _SharedFeatures, visual_degrees: float) -> None:
        self.identifier = identifier
        self.layer = layer
        self._shared = shared
        self._visual_degrees = visual_degrees
        self._region: str | None = None
        self._time_bins: Sequence[tuple[float, float]] | None = None

    def visual_degrees(self) -> float:
        return self._visual_degrees

    def start_recording(self, region: str, time_bins: Sequence[tuple[float, float]] | None = None) -> None:
        self._region, self._time_bins = region, time_bins

    def recording_details(self) -> dict[str, Any]:
        return {"layer": self.layer}

    def look_at(self, stimuli: StimulusSet, number_of_trials: int = 1) -> xr.DataArray:
        if self._region is None:
            raise IncompatibleModelError(
                self.identifier, "answer a behavioural task during layer selection", "Only recordings are scored."
            )
        return as_recording(self._shared.features(stimuli, self.layer), self._region, self._time_bins)


def benchmark_content(benchmark: Any) -> dict[str, Any]:
    """What a selection benchmark's scores depend on besides identifier and version: the code of its class (and
    of the module defining it), the content hash of its stimuli and data, and its metric and ceiling (code and
    parameters, see :func:`~brainscore_core.cache.callable_identity`)."""
    from ..cache import assembly_hash, callable_identity, code_identity

    content: dict[str, Any] = {"code": code_identity(type(benchmark))}
    stimuli = getattr(benchmark, "stimuli", None)
    if stimuli is not None and hasattr(stimuli, "content_hash"):
        content["stimuli"] = stimuli.content_hash()
    data = getattr(benchmark, "assembly", None)
    if data is not None and hasattr(data, "dims"):
        content["data"] = assembly_hash(data)
    for name in ("metric", "ceiling_func"):
        function = getattr(benchmark, name, None)
        if callable(function):
            content[name] = callable_identity(function)
    return content


def _selection_criterion(score: Any) -> float:
    """The number layers are ranked by: the raw (unceiled) score when present, else the score."""
    raw = getattr(score, "raw", None)
    return float(raw) if raw is not None else float(score)


def select_layer(
    *,
    model_identifier: str,
    extract: Extractor,
    layers: Sequence[str],
    region: str,
    benchmark_identifier: str,
    visual_degrees: float,
    identity: dict[str, Any] | None = None,
) -> LayerSelectionResult:
    """Score every layer in ``layers`` on ``benchmark_identifier`` and return the best (first on ties).

    ``extract(stimuli, layers)`` returns a multi-layer assembly (e.g. a :class:`PytorchWrapper` call with the
    model's visual degrees). ``identity`` (identifier, model fingerprint, preprocessing) makes the result
    cacheable, keyed also on the benchmark's content and code (:func:`benchmark_content`); without it (e.g. a
    non-deterministic network) the selection always runs.
    """
    from ..cache import ResultCache
    from ..loading import load_benchmark

    layers = list(layers)
    if not layers:
        raise ValueError(f"Model {model_identifier!r} has no candidate layers to select from for {region}.")
    benchmark = load_benchmark(benchmark_identifier)

    def run() -> LayerSelectionResult:
        shared = _SharedFeatures(extract, layers)
        scores = []
        for layer in layers:
            view = _LayerView(f"{model_identifier}-{layer}", layer, shared, visual_degrees)
            scores.append(_selection_criterion(benchmark(view)))
        ranked = np.where(np.isnan(scores), -np.inf, scores)
        best = layers[int(np.argmax(ranked))]
        return LayerSelectionResult(region, benchmark_identifier, best, tuple(layers), tuple(scores))

    if identity is None:
        return run()
    description = {
        "model": identity,
        "visual_degrees": visual_degrees,
        "region": region,
        "benchmark": benchmark_identifier,
        "benchmark_version": getattr(benchmark, "version", None),
        "benchmark_content": benchmark_content(benchmark),
        "layers": layers,
    }
    return ResultCache("layer_selection").get_or_compute(
        description,
        run,
        encode=LayerSelectionResult.to_payload,
        decode=lambda payload: LayerSelectionResult.from_payload(payload, region, benchmark_identifier),
        model=model_identifier,
    )


def read_region_layer_map(path: str | Path) -> dict[str, str]:
    """The region -> layer map of a committed ``region_layer_map.json`` (its ``region_layer_map`` entry)."""
    region_layer_map: dict[str, str] = json.loads(Path(path).read_text())["region_layer_map"]
    return region_layer_map
