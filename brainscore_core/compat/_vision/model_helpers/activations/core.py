"""``brainscore_vision.model_helpers.activations.core``: ``ActivationsExtractorHelper``, for activations models
that are not PyTorch networks (Brain-Score's ``pixels``, Gabor filter banks ...).

Its activations are not cached: an arbitrary ``get_activations`` cannot be fingerprinted reliably, so each call
computes them (``last_cache_status`` is ``"off"``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from brainscore_core.activations import LayerLayout, as_batch
from brainscore_core.activations._preprocessing import placed_image_files
from brainscore_core.assemblies import neuroid_assembly
from brainscore_core.compat._support import not_supported, unsupported_getattr
from brainscore_core.stimuli import StimulusSet

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["ActivationsExtractorHelper"]


def _as_array(value: Any) -> np.ndarray:
    detach = getattr(value, "detach", None)
    return np.asarray(detach().cpu().numpy() if callable(detach) else value)


class ActivationsExtractorHelper:
    """Brain-Score's ``ActivationsExtractorHelper(get_activations, preprocessing, identifier=False, batch_size=64)``.

    ``preprocessing(paths) -> batch`` (``None``: the paths themselves are the batch) and
    ``get_activations(batch, layer_names) -> {layer: array with one row per image}``. Calling it with a
    :class:`~brainscore_core.StimulusSet` places each image for the visual degrees, writes it to a temporary PNG
    file and runs both in batches of ``batch_size``; with a list of paths the files are used as they are.
    """

    def __init__(
        self,
        get_activations: Callable[[Any, list[str]], Any],
        preprocessing: Callable[[list[str]], Any] | None,
        identifier: str | bool = False,
        batch_size: int = 64,
    ) -> None:
        self.get_activations = get_activations
        self.preprocessing = preprocessing
        self.identifier = identifier
        self.batch_size = batch_size
        self.last_cache_status: str | None = None
        self._visual_degrees: float | None = None

    def set_visual_degrees(self, visual_degrees: float) -> None:
        """The degrees the model's input spans (stimuli are placed for it unless the caller gives others)."""
        self._visual_degrees = visual_degrees

    def insert_attrs(self, wrapper: Any) -> None:
        """Give ``wrapper`` this helper's ``from_stimulus_set`` and ``from_paths`` (as Brain-Score does)."""
        wrapper.from_stimulus_set = self.from_stimulus_set
        wrapper.from_paths = self.from_paths
        wrapper.register_batch_activations_hook = self.register_batch_activations_hook
        wrapper.register_stimulus_set_hook = self.register_stimulus_set_hook

    def register_batch_activations_hook(self, hook: Any) -> Any:
        not_supported("ActivationsExtractorHelper.register_batch_activations_hook", "Activation hooks do not run here")

    def register_stimulus_set_hook(self, hook: Any) -> Any:
        not_supported("ActivationsExtractorHelper.register_stimulus_set_hook", "Stimulus-set hooks do not run here")

    def __call__(
        self,
        stimuli: StimulusSet | Sequence[str | Path],
        layers: Sequence[str] | None = None,
        stimuli_identifier: str | None = None,
        number_of_trials: int = 1,
        require_variance: bool = False,
        *,
        model_visual_degrees: float | None = None,
    ) -> xr.DataArray:
        """Activations of ``layers`` (default ``['logits']``) as a ``(presentation, neuroid)`` assembly."""
        if require_variance:
            not_supported("require_variance=True", "Models here are deterministic; call without require_variance")
        layers = ["logits"] if layers is None else list(layers)
        if isinstance(stimuli, StimulusSet):
            return self.from_stimulus_set(stimuli, layers, model_visual_degrees=model_visual_degrees)
        return self.from_paths(stimuli, layers, stimuli_identifier)

    def from_paths(
        self, stimuli_paths: Sequence[str | Path], layers: Sequence[str], stimuli_identifier: str | None = None
    ) -> xr.DataArray:
        """Activations for image files (each distinct path computed once), with a ``stimulus_path`` coordinate."""
        from .pytorch import from_paths

        return from_paths(lambda stimuli: self.from_stimulus_set(stimuli, layers), stimuli_paths, stimuli_identifier)

    def from_stimulus_set(
        self,
        stimulus_set: StimulusSet,
        layers: Sequence[str],
        stimuli_identifier: str | None = None,
        *,
        model_visual_degrees: float | None = None,
    ) -> xr.DataArray:
        """Activations for a stimulus set; its columns become presentation coordinates."""
        layers = list(layers)
        degrees = model_visual_degrees if model_visual_degrees is not None else self._visual_degrees
        ids = stimulus_set.stimulus_ids
        blocks: dict[str, list[np.ndarray]] = {layer: [] for layer in layers}
        for start in range(0, len(ids), self.batch_size):
            images = (stimulus_set.load_image(stimulus_id) for stimulus_id in ids[start : start + self.batch_size])
            with placed_image_files(images, stimulus_set.visual_degrees, degrees) as paths:
                batch = paths if self.preprocessing is None else self.preprocessing(paths)
                if self.preprocessing is not None and not isinstance(batch, list):
                    batch = as_batch(batch, len(paths))
                outputs = self.get_activations(batch, layers)
                for layer in layers:
                    if layer not in outputs:
                        raise KeyError(f"get_activations returned no {layer!r} (it returned {list(outputs)}).")
                    values = _as_array(outputs[layer])
                    if values.shape[0] != len(paths):
                        raise ValueError(
                            f"get_activations returned {values.shape[0]} rows of {layer!r} for {len(paths)} images."
                        )
                    blocks[layer].append(values.astype(np.float32, copy=False))
        self.last_cache_status = "off"
        features = {layer: np.concatenate(blocks[layer]) for layer in layers}
        layout = LayerLayout.of(layers, {layer: tuple(values.shape[1:]) for layer, values in features.items()})
        values = np.concatenate([features[layer].reshape(len(ids), -1) for layer in layers], axis=1)
        table = stimulus_set.table
        presentation = {
            str(column): table[column].to_numpy()
            for column in table.columns
            if column != "stimulus_id" and table[column].ndim == 1
        }
        neuroids = layout.coords()
        identifier = self.identifier if isinstance(self.identifier, str) else "activations"
        return neuroid_assembly(
            values,
            stimulus_id=ids,
            neuroid_id=neuroids.pop("neuroid_id"),
            presentation_coords=presentation,
            neuroid_coords=neuroids,
            attrs={"model": identifier, "stimulus_set": stimulus_set.identifier},
        )


__getattr__ = unsupported_getattr("brainscore_vision.model_helpers.activations.core", {})
