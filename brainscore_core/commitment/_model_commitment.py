"""ModelCommitment: a network's layers committed to brain regions and behaviour, as a BrainModel."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, cast

import numpy as np

from ..assemblies import behavioral_assembly
from ..brain_model import DEFAULT_VISUAL_DEGREES, REGIONS, BrainModel, Task
from ..errors import IncompatibleModelError, StimulusError, UnknownLayerError
from ._layer_selection import LayerSelectionResult, select_layer, selection_benchmark
from ._readouts import ProbabilitiesReadout, imagenet_choices, label_choices, match_labels
from ._recording import as_recording

if TYPE_CHECKING:
    import xarray as xr

    from ..activations import PytorchWrapper
    from ..stimuli import StimulusSet

__all__ = ["ActivationsModel", "ModelCommitment"]

LabelChoices = str | Sequence[str] | Mapping[str, Sequence[int]]


class ActivationsModel(Protocol):
    """What :class:`ModelCommitment` needs of a network: ``model(stimuli, layers, model_visual_degrees=...)``
    returns a ``(presentation, neuroid)`` assembly of the layers' activations, with ``stimulus_id`` on presentation
    and ``layer`` on neuroid (as :class:`~brainscore_core.activations.PytorchWrapper` does).

    Optional members, used when present (looked up with ``getattr``, so a plain function also qualifies):

    - ``layer_names() -> Iterable[str]``: the layers that exist; ``ModelCommitment`` then checks its layers;
    - ``identity() -> dict | None``: what changes the activations; layer selection results are then cached;
    - ``last_cache_status: str | None``: how the last call was served (``hit``, ``miss``, ``partial``, ``off``),
      reported in ``recording_details()``.
    """

    def __call__(self, stimuli: StimulusSet, layers: Sequence[str], *, model_visual_degrees: float) -> xr.DataArray:
        """The activations of ``layers`` for ``stimuli`` shown at ``model_visual_degrees``."""
        ...


class ModelCommitment(BrainModel):
    """A network whose layers are committed to regions (V1, V2, V4, IT) and to behavioural readouts.

    ``activations_model(stimuli, layers, model_visual_degrees=...)`` returns a multi-layer assembly (a
    :class:`~brainscore_core.activations.PytorchWrapper`). ``layers`` are the candidates for layer selection;
    ``region_layer_map`` commits regions directly. ``behavioral_readout_layer`` feeds the ``probabilities`` and
    ``readout`` tasks, ``logits_layer`` (default ``"logits"``: the network's output) the ``label`` task.
    ``class_names`` (optional) names the logits' outputs: the ``'imagenet'`` label task then answers with these
    names (else with class indices; the index is always in the ``logit`` coord), and a plain list of labels is
    matched against them.

    The model is deterministic: with ``number_of_trials > 1`` every stimulus is still shown once, and one
    presentation per stimulus is returned.

    When ``activations_model`` lists its layers (``layer_names()``), every layer in ``layers`` and
    ``region_layer_map`` must be one of them: a missing one raises :class:`~brainscore_core.errors.UnknownLayerError`
    at construction (see :meth:`check_layers`).
    """

    def __init__(
        self,
        identifier: str,
        activations_model: ActivationsModel,
        layers: Sequence[str],
        region_layer_map: Mapping[str, str] | None = None,
        behavioral_readout_layer: str | None = None,
        visual_degrees: float = DEFAULT_VISUAL_DEGREES,
        *,
        logits_layer: str | None = "logits",
        class_names: Sequence[str] | None = None,
    ) -> None:
        self.identifier = identifier
        self.activations_model = activations_model
        self.layers = list(layers)
        self.region_layer_map: dict[str, str] = dict(region_layer_map or {})
        self.behavioral_readout_layer = behavioral_readout_layer
        self.logits_layer = logits_layer
        self.class_names = None if class_names is None else list(class_names)
        self._visual_degrees = float(visual_degrees)
        self._selections: dict[str, LayerSelectionResult] = {}
        self._region: str | None = None
        self._time_bins: Sequence[tuple[float, float]] | None = None
        self._task: Task = Task.passive
        self._label_indices: dict[str, list[int]] | None = None
        self._probabilities: ProbabilitiesReadout | None = None
        self.check_layers()

    def check_layers(self) -> None:
        """Raise :class:`~brainscore_core.errors.UnknownLayerError` if ``region_layer_map`` or ``layers`` names a
        layer the network lacks; does nothing when ``activations_model`` cannot list its layers."""
        known = self._layer_names()
        if known is None:
            return
        for region, layer in self.region_layer_map.items():
            if layer not in known:
                raise UnknownLayerError(
                    self.identifier,
                    layer,
                    f"commits region {region!r} (region_layer_map) to",
                    difflib.get_close_matches(layer, known, n=3),
                    "Fix region_layer_map (or the plugin's region_layer_map.json) to name one of the network's "
                    "layers; activations_model.layer_names() lists them.",
                )
        for layer in self.layers:
            if layer not in known:
                raise UnknownLayerError(
                    self.identifier,
                    layer,
                    "lists as a candidate (layers=)",
                    difflib.get_close_matches(layer, known, n=3),
                    "Fix layers= to name only the network's layers; activations_model.layer_names() lists them.",
                )

    def __repr__(self) -> str:
        return f"ModelCommitment({self.identifier!r}, layers={self.layers}, regions={self.region_layer_map})"

    def visual_degrees(self) -> float:
        return self._visual_degrees

    def _features(self, stimuli: StimulusSet, layers: list[str]) -> xr.DataArray:
        return self.activations_model(stimuli, layers, model_visual_degrees=self._visual_degrees)

    def _layer_names(self) -> list[str] | None:
        """The network's layers, or None when ``activations_model`` cannot list them (no ``layer_names``)."""
        names: Callable[[], Iterable[str]] | None = getattr(self.activations_model, "layer_names", None)
        return None if names is None else list(names())

    def _has_layer(self, layer: str | None) -> bool:
        if layer is None:
            return False
        names = self._layer_names()
        return True if names is None else layer in names

    # --- neural recording ---------------------------------------------------------------------------------
    def start_recording(self, region: str, time_bins: Sequence[tuple[float, float]] | None = None) -> None:
        """Record from ``region``'s committed layer; selects the layer first if ``region_layer_map`` lacks it."""
        if region not in REGIONS and region not in self.region_layer_map:
            raise IncompatibleModelError(self.identifier, f"record from region {region!r}", f"Regions: {REGIONS}.")
        if region not in self.region_layer_map:
            self.region_layer_map[region] = self._select_layer(region).layer
        self._region = region
        self._time_bins = None if time_bins is None else list(time_bins)
        self._task = Task.passive

    def _select_layer(self, region: str) -> LayerSelectionResult:
        benchmark = selection_benchmark(region)
        if benchmark is None:
            raise IncompatibleModelError(
                self.identifier,
                f"record from region {region!r}",
                f"It has no layer committed to {region} and no benchmark selects layers for {region}: pass "
                f"region_layer_map={{{region!r}: '<layer>'}} or register a selection benchmark with "
                "brainscore_core.commitment.register_selection_benchmark.",
            )
        identity: Callable[[], dict[str, Any] | None] | None = getattr(self.activations_model, "identity", None)
        result = select_layer(
            model_identifier=self.identifier,
            extract=self._features,
            layers=self.layers,
            region=region,
            benchmark_identifier=benchmark,
            visual_degrees=self._visual_degrees,
            identity=identity() if identity else None,
        )
        self._selections[region] = result
        return result

    def layer_scores(self, region: str) -> xr.DataArray | None:
        """Per-layer selection scores for ``region`` (a DataArray over ``layer``), or None if it was mapped."""
        selection = self._selections.get(region)
        return None if selection is None else selection.scores_array()

    def recording_details(self) -> dict[str, Any]:
        """``region`` and committed ``layer``; ``layer_selection_scores`` (DataArray over layer) when
        the layer was selected; ``cache``: how the last activations were served (hit, miss, partial, off)."""
        status: str | None = getattr(self.activations_model, "last_cache_status", None)
        cache = {"cache": status} if status is not None else {}
        if self._region is None:
            return cache
        details: dict[str, Any] = {**cache, "region": self._region, "layer": self.region_layer_map[self._region]}
        selection = self._selections.get(self._region)
        if selection is not None:
            details["layer_selection_scores"] = selection.scores_array()
            details["layer_selection_benchmark"] = selection.benchmark
        return details

    # --- behaviour ----------------------------------------------------------------------------------------
    def start_task(self, task: Task | str, fitting_stimuli: Any = None) -> None:
        """Switch to ``task``: ``passive``, ``label`` ('imagenet', labels, or {label: ImageNet indices}),
        ``probabilities`` (fitting stimuli with an ``image_label`` column) or ``readout``."""
        task = Task(task)
        if task is Task.passive:
            self._task = task
            return
        self._region = None
        if task is Task.label:
            self._start_label(fitting_stimuli)
        elif task is Task.probabilities:
            self._start_probabilities(fitting_stimuli)
        elif task is Task.readout:
            self._require_readout_layer(task)
        self._task = task

    def _require_readout_layer(self, task: Task) -> str:
        layer = self.behavioral_readout_layer
        if layer is None or not self._has_layer(layer):
            raise IncompatibleModelError(
                self.identifier,
                f"perform the {task.value!r} task",
                "It has no behavioral_readout_layer"
                + (f" ({self.behavioral_readout_layer!r} is not a layer)." if self.behavioral_readout_layer else ".")
                + " Pass behavioral_readout_layer='<layer>' to ModelCommitment.",
            )
        return layer

    def _start_label(self, choices: LabelChoices | None) -> None:
        if not self._has_layer(self.logits_layer):
            raise IncompatibleModelError(
                self.identifier, "name images (label task)", "It has no logits layer; pass logits_layer='<layer>'."
            )
        if choices is None or (isinstance(choices, str) and choices == "imagenet"):
            self._label_indices = None
        elif isinstance(choices, str):
            raise ValueError(f"Label choices must be 'imagenet', a list of labels or a mapping, got {choices!r}.")
        elif isinstance(choices, Mapping):
            self._label_indices = {str(label): [int(i) for i in indices] for label, indices in choices.items()}
        else:
            mapping = match_labels(list(choices), self.class_names)
            if mapping is None:
                raise IncompatibleModelError(
                    self.identifier,
                    f"choose among the labels {list(choices)[:8]}",
                    "Its outputs are not named with these labels; pass a mapping {label: [ImageNet indices]} "
                    "as the label choices, or class_names= to ModelCommitment.",
                )
            self._label_indices = mapping

    def _start_probabilities(self, fitting_stimuli: StimulusSet | None) -> None:
        layer = self._require_readout_layer(Task.probabilities)
        if fitting_stimuli is None or "image_label" not in getattr(fitting_stimuli, "columns", []):
            raise StimulusError(
                "The probabilities task needs fitting stimuli with an 'image_label' column; got "
                f"{getattr(fitting_stimuli, 'identifier', fitting_stimuli)!r}."
            )
        features = self._features(fitting_stimuli, [layer])
        self._probabilities = ProbabilitiesReadout().fit(features.values, fitting_stimuli["image_label"].to_numpy())

    # --- looking ------------------------------------------------------------------------------------------
    def look_at(self, stimuli: StimulusSet, number_of_trials: int = 1) -> xr.DataArray:
        """The recording (while recording) or the task's answer; each stimulus is shown once (deterministic)."""
        if self._task is Task.label:
            return self._look_label(stimuli)
        if self._task is Task.probabilities:
            return self._look_probabilities(stimuli)
        if self._task is Task.readout:
            return self._features(stimuli, [self._require_readout_layer(Task.readout)])
        if self._region is None:
            raise RuntimeError(
                f"Model {self.identifier!r} was given no task and no region: call start_task(...) or "
                "start_recording(region) before look_at."
            )
        layer = self.region_layer_map[self._region]
        return as_recording(self._features(stimuli, [layer]), self._region, self._time_bins)

    def _look_label(self, stimuli: StimulusSet) -> xr.DataArray:
        logits = self._features(stimuli, [cast(str, self.logits_layer)])  # start_task checked it is a layer
        coords = _presentation(logits)
        if self._label_indices is None:
            indices = imagenet_choices(logits.values)
            coords["logit"] = indices
            choices = indices if self.class_names is None else np.asarray(self.class_names)[indices]
        else:
            try:
                choices = label_choices(logits.values, self._label_indices)
            except ValueError as error:
                raise IncompatibleModelError(self.identifier, "map its outputs to the labels", str(error)) from error
        return behavioral_assembly(choices, stimulus_id=logits["stimulus_id"].values, presentation_coords=coords)

    def _look_probabilities(self, stimuli: StimulusSet) -> xr.DataArray:
        assert self._probabilities is not None
        features = self._features(stimuli, [cast(str, self.behavioral_readout_layer)])  # checked by start_task
        probabilities = self._probabilities.predict_proba(features.values)
        return behavioral_assembly(
            probabilities,
            stimulus_id=features["stimulus_id"].values,
            choices=self._probabilities.classes,
            presentation_coords=_presentation(features),
        )


def _presentation(assembly: xr.DataArray) -> dict[str, np.ndarray]:
    """The presentation coords of ``assembly`` other than ``stimulus_id``."""
    return {
        str(name): coord.values
        for name, coord in assembly.coords.items()
        if coord.dims == ("presentation",) and name != "stimulus_id"
    }


if TYPE_CHECKING:  # `make lint` (mypy) checks that the built-in wrapper satisfies the protocol

    def _wrapper_is_an_activations_model(wrapper: PytorchWrapper) -> ActivationsModel:
        return wrapper
