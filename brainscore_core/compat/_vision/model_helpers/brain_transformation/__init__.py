"""``brainscore_vision.model_helpers.brain_transformation``: Brain-Score's ``ModelCommitment`` signature on
:class:`brainscore_core.commitment.ModelCommitment`."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from brainscore_core.brain_model import DEFAULT_VISUAL_DEGREES
from brainscore_core.commitment import ModelCommitment as _CoreCommitment
from brainscore_core.compat._support import unsupported_getattr
from brainscore_core.errors import PluginError
from brainscore_core.registry import model_registry

from ...model_interface import BrainModel

__all__ = ["ModelCommitment", "find_region_layer_map"]

_MAP_FOLDER = "region_layer_map"
_CALLER_FRAMES = 6  #: calling frames whose folders are searched (a plugin's get_model, its lambda, ...)


def _candidate_folders(identifier: str) -> list[Path]:
    """Folders that may hold ``region_layer_map/<identifier>.json``: the folder of the plugin that registered
    ``identifier``, then the folders of the calling modules (a plugin's ``model.py`` building it directly)."""
    folders: list[Path] = []
    registration = model_registry.snapshot().get(identifier)
    if registration is not None and registration.origin:
        folders.append(Path(registration.origin.rsplit(":", 1)[0]).parent)
    frame = sys._getframe(2)
    for _ in range(_CALLER_FRAMES):
        if frame is None:
            break
        folders.append(Path(frame.f_code.co_filename).parent)
        frame = frame.f_back  # type: ignore[assignment]
    unique: list[Path] = []
    for folder in folders:
        if folder not in unique:
            unique.append(folder)
    return unique


def find_region_layer_map(identifier: str) -> tuple[dict[str, str], Path] | None:
    """The map in ``<plugin folder>/region_layer_map/<identifier>.json`` and its path, or None when there is none.

    A file that exists but is not a JSON object of region -> layer name raises :class:`PluginError` naming it.
    """
    for folder in _candidate_folders(identifier):
        path = folder / _MAP_FOLDER / f"{identifier}.json"
        if not path.is_file():
            continue
        try:
            content = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            raise PluginError(
                f"{path}: the region layer map of {identifier!r} is not readable JSON ({error})."
            ) from error
        if not isinstance(content, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in content.items()
        ):
            raise PluginError(
                f"{path}: the region layer map of {identifier!r} must be a JSON object of region -> layer name, "
                'e.g. {"V1": "layer1", "IT": "layer4"}.'
            )
        return dict(content), path
    return None


class ModelCommitment(_CoreCommitment, BrainModel):
    """``ModelCommitment(identifier, activations_model, layers, behavioral_readout_layer=None,
    region_layer_map=None, visual_degrees=8)``, Brain-Score's signature.

    The region map comes from ``region_layer_map``, else from ``region_layer_map/<identifier>.json`` in the plugin
    folder, else each region's layer is selected among ``layers`` when first recorded (brainscore_core's layer
    selection). ``behavioral_readout_layer`` defaults to the last of ``layers``, as in Brain-Score.
    """

    def __init__(
        self,
        identifier: str,
        activations_model: Any,
        layers: Sequence[str],
        behavioral_readout_layer: str | None = None,
        region_layer_map: Mapping[str, str] | None = None,
        visual_degrees: float = DEFAULT_VISUAL_DEGREES,
    ) -> None:
        #: where the region map came from: "argument", the JSON file's path, or "layer selection"
        self.region_layer_map_source: str = "argument"
        if region_layer_map is None:
            found = find_region_layer_map(identifier)
            if found is None:
                self.region_layer_map_source = "layer selection"
            else:
                region_layer_map, path = found
                self.region_layer_map_source = str(path)
        layers = list(layers)
        extractor = getattr(activations_model, "_extractor", None)
        if extractor is not None and hasattr(extractor, "set_visual_degrees"):
            extractor.set_visual_degrees(visual_degrees)
        super().__init__(
            identifier,
            activations_model,
            layers=layers,
            region_layer_map=region_layer_map,
            behavioral_readout_layer=behavioral_readout_layer or (layers[-1] if layers else None),
            visual_degrees=visual_degrees,
        )

    @property
    def layer_model(self) -> ModelCommitment:
        """Brain-Score's ``layer_model`` (its ``region_layer_map`` is this model's)."""
        return self


__getattr__ = unsupported_getattr(
    "brainscore_vision.model_helpers.brain_transformation",
    dict.fromkeys(
        (
            "LayerSelection",
            "RegionLayerMap",
            "LayerMappedModel",
            "TemporalAligned",
            "BehaviorArbiter",
            "LogitsBehavior",
            "ProbabilitiesMapping",
            "LabelBehavior",
            "OddOneOut",
            "STANDARD_REGION_BENCHMARKS",
            "PixelsToDegrees",
        ),
        "Brain-Score's layer selection, behaviour and temporal helpers are not provided; ModelCommitment "
        "selects layers itself when no region_layer_map is given",
    ),
)
