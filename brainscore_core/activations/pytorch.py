"""Activations of any ``torch.nn.Module``: forward hooks, batching, streaming into one preallocated array, cache.

Memory: all requested layers share one ``float32`` array ``(presentation, neuroid)``, allocated once the first
batch reveals the layer shapes; each batch is copied straight into its rows (and appended to the layer's cache
entry, published when complete), and cached layers are read straight into their columns. Nothing else holds
every stimulus's activations.
"""

from __future__ import annotations

import contextlib
import difflib
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ..assemblies import neuroid_assembly
from ..cache import ActivationsCache
from ..config import settings
from ..errors import StimulusError
from ._fingerprint import (
    NondeterministicModelWarning,
    plain_attributes,
    probe_fingerprints,
    probe_images,
    structure_fingerprint,
)
from ._input import InputLayout
from ._neuroids import LayerLayout
from ._preprocessing import FilePreprocessing, Preprocessing

if TYPE_CHECKING:
    import torch
    import xarray as xr

    from ..stimuli import StimulusSet

__all__ = ["LOGITS", "CacheStatus", "PytorchWrapper", "list_layers"]

#: How a call to the wrapper was served (the values appear in a Score's ``cache`` attribute and in reports).
CacheStatus = Literal["hit", "miss", "partial", "off"]

LOGITS = "logits"  #: reserved layer name: the network's forward output (unless a module has this name)
_ALL_LAYERS = "*"  #: stands for every layer in the key of the lock that serialises one extraction

FeatureShapes = dict[str, tuple[int, ...]]
_WARNED_NONDETERMINISTIC: set[str] = set()


def list_layers(model: torch.nn.Module) -> list[str]:
    """Dotted names of every sub-module, as in ``model.named_modules()`` (the root module excluded)."""
    return [name for name, _ in model.named_modules() if name]


def _show_progress() -> bool:
    wanted = settings().progress
    return sys.stderr.isatty() if wanted is None else wanted


def _first_tensor(output: Any, layer: str) -> torch.Tensor:
    import torch

    if isinstance(output, torch.Tensor):
        return output
    if isinstance(output, (tuple, list)) and output and isinstance(output[0], torch.Tensor):
        return output[0]
    raise TypeError(
        f"Layer {layer!r} returned {type(output).__name__}, not a tensor; hook a sub-module that outputs a tensor."
    )


class _Buffer:
    """One ``float32`` ``(presentation, neuroid)`` array for all requested layers, allocated once the shapes of the
    layers still to compute are known (from the first batch)."""

    def __init__(self, n_stimuli: int, layers: list[str], known_shapes: FeatureShapes) -> None:
        self._n_stimuli = n_stimuli
        self._layers = layers
        self._known = dict(known_shapes)
        self.layout: LayerLayout | None = None
        self.values: np.ndarray | None = None

    def allocate(self, new_shapes: FeatureShapes) -> None:
        """Allocate on first call; later calls (a recomputation into the same buffer) change nothing."""
        if self.values is None:
            self.layout = LayerLayout.of(self._layers, {**self._known, **new_shapes})
            self.values = np.empty((self._n_stimuli, self.layout.n_neuroids), dtype=np.float32)

    def columns(self, layer: str) -> np.ndarray:
        """The writable view of ``layer``'s columns."""
        values, layout = self.filled()
        return values[:, layout.columns(layer)]

    def filled(self) -> tuple[np.ndarray, LayerLayout]:
        """The allocated values and their layout."""
        assert self.values is not None and self.layout is not None, "allocate() first"
        return self.values, self.layout


class PytorchWrapper:
    """Extract layer activations from a PyTorch network for a :class:`~brainscore_core.StimulusSet`.

    ``wrapper(stimuli, layers, model_visual_degrees=8)`` returns a neural assembly ``(presentation, neuroid)``
    with ``stimulus_id`` (plus the stimulus table's columns) on presentation and ``neuroid_id``, ``layer``,
    ``channel``, ``channel_x``, ``channel_y`` on neuroid (see :func:`~._neuroids.layer_coords`). Images are placed
    for ``stimuli.visual_degrees`` on a screen spanning ``model_visual_degrees`` (no placement when either is
    None), then preprocessed by ``preprocessing``. Layers come from one forward pass per batch; activations are
    cached on disk (see :mod:`brainscore_core.cache`) unless caching is off. The device is ``device``, else
    ``settings().device``, else CUDA when available, else CPU.
    """

    def __init__(
        self,
        identifier: str,
        model: torch.nn.Module,
        *,
        preprocessing: Preprocessing | FilePreprocessing | None = None,
        batch_size: int = 64,
        device: str | None = None,
        cache: ActivationsCache | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}.")
        self.identifier = identifier
        self.model = model
        self.preprocessing: Preprocessing | FilePreprocessing = preprocessing or Preprocessing()
        self.batch_size = batch_size
        self._device = device
        self.cache = cache or ActivationsCache()
        #: how the last call was served: "hit" (all layers from the cache), "miss" (all computed), "partial",
        #: or "off" (caching disabled, or the network is non-deterministic); None before the first call
        self.last_cache_status: CacheStatus | None = None
        #: milliseconds the last behavioural probe took (None until a probe ran), and forward passes it made
        self.last_probe_ms: float | None = None
        self.probe_passes = 0
        self._probed_structure: str | None = None
        self._probe_digests: dict[str, str] = {}
        self._deterministic = True
        self._volatile: set[tuple[str, str]] = set()  # module attributes that forward itself changes
        self._input = InputLayout()  # channels-last batches on CPU (faster convolutions)

    def __repr__(self) -> str:
        return f"PytorchWrapper({self.identifier!r}, {type(self.model).__name__}, {self.preprocessing})"

    # --- description --------------------------------------------------------------------------------------
    @property
    def device(self) -> str:
        chosen = self._device or settings().device
        if chosen:
            return chosen
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"

    def layer_names(self) -> list[str]:
        """Dotted names of the network's modules (what ``layers`` may contain), plus ``"logits"`` if free."""
        names = list_layers(self.model)
        return names if LOGITS in names else [*names, LOGITS]

    def fingerprint(self) -> str:
        """Hash of the network's structure: parameters, all buffers, module tree with hyper-parameters, plain
        module attributes and ``forward`` code (recomputed each call: all of these can change in place)."""
        return structure_fingerprint(self.model, self._volatile)

    def layer_fingerprints(self, layers: Sequence[str]) -> dict[str, str] | None:
        """Per layer: the structure fingerprint plus a digest of the layer's output on the fixed probe batch.

        The probe runs once per structure (again when parameters, buffers, module tree or attributes change)
        and only for layers not probed yet. Returns None, with one :class:`NondeterministicModelWarning` per
        model, when two runs of the probe disagree: such a network's activations must not be cached.
        """
        structure = self.fingerprint()
        if structure != self._probed_structure:
            self._probed_structure, self._probe_digests, self._deterministic = structure, {}, True
        todo = [layer for layer in layers if layer not in self._probe_digests]
        if todo and self._deterministic:
            started = time.perf_counter()
            before = plain_attributes(self.model)
            result = probe_fingerprints(lambda: self._probe_outputs(todo), todo)
            after = plain_attributes(self.model)
            self.last_probe_ms = (time.perf_counter() - started) * 1000
            changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
            if changed - self._volatile:  # forward changed these itself (e.g. a counter): not part of the key
                self._volatile |= changed
                self._probed_structure = structure = self.fingerprint()
            self._probe_digests.update(result.digests)
            self._deterministic = result.deterministic
        if not self._deterministic:
            self._warn_nondeterministic()
            return None
        return {layer: f"{structure}:{self._probe_digests[layer]}" for layer in layers}

    def _warn_nondeterministic(self) -> None:
        if self.identifier in _WARNED_NONDETERMINISTIC:
            return
        _WARNED_NONDETERMINISTIC.add(self.identifier)
        warnings.warn(
            f"Model {self.identifier!r} is non-deterministic: two runs of the same probe images gave different "
            "layer outputs (e.g. dropout applied in forward whatever the mode, or random noise). Its activations "
            "are not cached, and its scores vary from run to run. Make forward deterministic in eval() mode to "
            "cache it.",
            NondeterministicModelWarning,
            stacklevel=4,
        )

    def _probe_outputs(self, layers: list[str]) -> dict[str, np.ndarray]:
        """Each layer's output on the probe batch, computed like an extraction (eval mode, scoring device)."""
        import torch

        captured: dict[str, torch.Tensor] = {}
        is_module = set(list_layers(self.model))
        images = probe_images(self.preprocessing.image_size)
        pixels = self.preprocessing(images, None, None)
        with self._scoring_state() as device, self._hooks(layers, captured), torch.inference_mode():
            output = self._input.forward(self._run, pixels, device)
            self.probe_passes += 1
            if LOGITS in layers and LOGITS not in is_module:
                captured[LOGITS] = _first_tensor(output, LOGITS)
            return {layer: captured[layer].to("cpu", torch.float32).numpy() for layer in layers}

    @contextlib.contextmanager
    def _scoring_state(self) -> Iterator[str]:
        """Put the network in eval mode on the scoring device for the block; restore each module's mode and
        the network's device afterwards, so scoring never changes the model it was given."""
        modes = [(module, module.training) for module in self.model.modules()]
        devices = {tensor.device for tensor in [*self.model.parameters(), *self.model.buffers()]}
        device = self.device
        self.model.eval()
        self.model.to(device)
        try:
            yield device
        finally:
            if len(devices) == 1:
                self.model.to(next(iter(devices)))
            for module, training in modes:
                module.training = training

    def _run(self, inputs: torch.Tensor) -> Any:
        """One forward pass of the network on a preprocessed batch (subclasses add arguments)."""
        return self.model(inputs)

    def identity(self) -> dict[str, Any] | None:
        """Everything about this model that changes its activations: identifier, structure fingerprint, probe
        digest of the network's output and preprocessing (None for a non-deterministic network)."""
        probe = self.layer_fingerprints([LOGITS])
        if probe is None:
            return None
        return {
            "identifier": self.identifier,
            "weights": probe[LOGITS],
            "preprocessing": self.preprocessing.describe(),
        }

    # --- extraction ---------------------------------------------------------------------------------------
    def __call__(
        self, stimuli: StimulusSet, layers: Sequence[str], *, model_visual_degrees: float | None = None
    ) -> xr.DataArray:
        layers = self._check_layers(layers)
        if len(stimuli) == 0:
            raise StimulusError(f"Stimulus set {stimuli.identifier!r} is empty; there is nothing to look at.")
        keys = self._entry_keys(stimuli, layers, model_visual_degrees) if self.cache.enabled else {}
        group = keys.pop(_ALL_LAYERS, "")  # one lock per model, structure, preprocessing and stimuli
        shapes = self._cached_shapes(keys)
        missing = [layer for layer in layers if layer not in shapes]
        locked = self.cache.lock(self.identifier, group) if keys and missing else contextlib.nullcontext()
        with locked:
            if keys and missing:  # another process may have stored them while we waited for the lock
                shapes.update(self._cached_shapes({layer: keys[layer] for layer in missing}))
                missing = [layer for layer in layers if layer not in shapes]
            buffer = self._fill(stimuli, layers, shapes, missing, keys, model_visual_degrees)
        values, layout = buffer.filled()
        return self._assembly(stimuli, values, layout, model_visual_degrees)

    def _check_layers(self, layers: Sequence[str]) -> list[str]:
        if isinstance(layers, str):
            layers = [layers]
        layers = list(layers)
        if not layers:
            raise ValueError(f"No layers requested from model {self.identifier!r}.")
        duplicated = sorted({layer for layer in layers if layers.count(layer) > 1})
        if duplicated:
            raise ValueError(f"Layers {duplicated} are requested more than once from model {self.identifier!r}.")
        known = self.layer_names()
        for layer in layers:
            if layer not in known:
                close = difflib.get_close_matches(layer, known, n=5)
                hint = f" Did you mean {close}?" if close else " PytorchWrapper.layer_names() lists them."
                raise ValueError(f"Model {self.identifier!r} has no layer {layer!r}.{hint}")
        return layers

    def _entry_keys(
        self, stimuli: StimulusSet, layers: list[str], model_visual_degrees: float | None
    ) -> dict[str, str]:
        """Cache keys of ``layers`` plus the lock group (:data:`_ALL_LAYERS`); empty when not to be cached."""
        fingerprints = self.layer_fingerprints(layers)
        if fingerprints is None:
            return {}
        content = stimuli.content_hash()
        keys = {
            layer: self.cache.entry_key(
                model=self.identifier,
                weights=fingerprints[layer],
                preprocessing=self.preprocessing.describe(),
                model_visual_degrees=model_visual_degrees,
                stimulus_visual_degrees=stimuli.visual_degrees,
                stimuli=content,
                layer=layer,
            )
            for layer in layers
        }
        keys[_ALL_LAYERS] = self.cache.entry_key(
            model=self.identifier,
            weights=self._probed_structure or "",
            preprocessing=self.preprocessing.describe(),
            model_visual_degrees=model_visual_degrees,
            stimulus_visual_degrees=stimuli.visual_degrees,
            stimuli=content,
            layer=_ALL_LAYERS,
        )
        return keys

    def _cached_shapes(self, keys: dict[str, str]) -> FeatureShapes:
        shapes: FeatureShapes = {}
        for layer, key in keys.items():
            meta = self.cache.read_meta(self.identifier, key, required=("feature_shape",))
            if meta is not None:
                shapes[layer] = tuple(meta["feature_shape"])
        return shapes

    def _fill(
        self,
        stimuli: StimulusSet,
        layers: list[str],
        shapes: FeatureShapes,
        missing: list[str],
        keys: dict[str, str],
        model_visual_degrees: float | None,
    ) -> _Buffer:
        """Compute ``missing`` layers and read the others from the cache, all into one buffer."""
        buffer = _Buffer(len(stimuli), layers, shapes)
        if missing:
            self._forward(stimuli, missing, model_visual_degrees, buffer, keys)
        else:
            buffer.allocate({})
        cached = [layer for layer in layers if layer not in missing]
        unreadable = [
            layer for layer in cached if not self.cache.load_into(self.identifier, keys[layer], buffer.columns(layer))
        ]
        if unreadable:  # corrupted entries were discarded with a warning: recompute every layer into a buffer
            # shaped by what the network gives now (a damaged entry may have described another shape)
            buffer = _Buffer(len(stimuli), layers, {})
            self._forward(stimuli, layers, model_visual_degrees, buffer, keys)
        computed = len(layers) if unreadable else len(missing)
        if not self.cache.enabled or not keys:
            self.last_cache_status = "off"
        else:
            status: CacheStatus = "hit" if computed == 0 else "miss" if computed == len(layers) else "partial"
            self.last_cache_status = status
        return buffer

    def _entry_meta(
        self, stimuli: StimulusSet, layer: str, feature_shape: tuple[int, ...], model_visual_degrees: float | None
    ) -> dict[str, Any]:
        """What a cache entry records besides its values (for people inspecting the cache and for reloading)."""
        return {
            "layer": layer,
            "feature_shape": list(feature_shape),
            "stimulus_set": stimuli.identifier,
            "stimuli_hash": stimuli.content_hash(),
            "n_stimuli": len(stimuli),
            "model_visual_degrees": model_visual_degrees,
            "stimulus_visual_degrees": stimuli.visual_degrees,
            "preprocessing": self.preprocessing.describe(),
        }

    @contextlib.contextmanager
    def _hooks(self, layers: list[str], captured: dict[str, torch.Tensor]) -> Iterator[None]:
        modules = dict(self.model.named_modules())
        handles = []

        def capture(layer: str) -> Callable[[torch.nn.Module, Any, Any], None]:
            def hook(_module: torch.nn.Module, _inputs: Any, output: Any) -> None:
                captured[layer] = _first_tensor(output, layer).detach()

            return hook

        try:
            for layer in layers:
                if layer in modules:
                    handles.append(modules[layer].register_forward_hook(capture(layer)))
            yield
        finally:
            for handle in handles:
                handle.remove()

    def _forward(
        self,
        stimuli: StimulusSet,
        layers: list[str],
        model_visual_degrees: float | None,
        buffer: _Buffer,
        keys: dict[str, str],
    ) -> None:
        """Run the network over ``stimuli`` in batches, streaming each layer's output into its columns of
        ``buffer`` and, when ``keys`` are given, into its cache entry (published once complete)."""
        import torch
        from tqdm.auto import tqdm

        degrees = model_visual_degrees
        ids = stimuli.stimulus_ids
        captured: dict[str, torch.Tensor] = {}
        is_module = set(list_layers(self.model))
        writers: dict[str, Any] = {}
        progress = tqdm(
            total=len(ids), desc=f"{self.identifier} activations", unit="image", disable=not _show_progress()
        )
        with (
            contextlib.ExitStack() as entries,
            self._scoring_state() as device,
            self._hooks(layers, captured),
            torch.inference_mode(),
            progress,
        ):
            for start in range(0, len(ids), self.batch_size):
                batch_ids = ids[start : start + self.batch_size]
                images = [stimuli.load_image(stimulus_id) for stimulus_id in batch_ids]
                pixels = self.preprocessing(images, stimuli.visual_degrees, degrees)
                output = self._input.forward(self._run, pixels, device)
                if LOGITS in layers and LOGITS not in is_module:
                    captured[LOGITS] = _first_tensor(output, LOGITS)
                if start == 0:
                    buffer.allocate({layer: tuple(captured[layer].shape[1:]) for layer in layers})
                    writers = {
                        layer: entries.enter_context(self._entry_writer(stimuli, layer, buffer, keys, degrees))
                        for layer in layers
                    }
                for layer in layers:
                    rows = captured.pop(layer).to("cpu", torch.float32).reshape(len(batch_ids), -1).numpy()
                    buffer.columns(layer)[start : start + len(batch_ids)] = rows
                    if writers[layer] is not None:
                        writers[layer].write_rows(rows)
                progress.update(len(batch_ids))

    def _entry_writer(
        self,
        stimuli: StimulusSet,
        layer: str,
        buffer: _Buffer,
        keys: dict[str, str],
        model_visual_degrees: float | None,
    ) -> contextlib.AbstractContextManager[Any]:
        """The cache writer of ``layer``'s entry (yielding None when not caching)."""
        if layer not in keys:
            return contextlib.nullcontext(None)
        assert buffer.layout is not None
        feature_shape = buffer.layout.feature_shape(layer)
        meta = self._entry_meta(stimuli, layer, feature_shape, model_visual_degrees)
        shape = buffer.columns(layer).shape
        return self.cache.writer(self.identifier, keys[layer], shape, meta)

    def _assembly(
        self, stimuli: StimulusSet, values: np.ndarray, layout: LayerLayout, model_visual_degrees: float | None
    ) -> xr.DataArray:
        table = stimuli.table
        presentation = {
            str(column): table[column].to_numpy()
            for column in table.columns
            if column != "stimulus_id" and table[column].ndim == 1
        }
        neuroids = layout.coords()
        attrs = {
            "model": self.identifier,
            "stimulus_set": stimuli.identifier,
            "model_visual_degrees": model_visual_degrees,
            "stimulus_visual_degrees": stimuli.visual_degrees,
        }
        return neuroid_assembly(
            values,
            stimulus_id=stimuli.stimulus_ids,
            neuroid_id=neuroids.pop("neuroid_id"),
            presentation_coords=presentation,
            neuroid_coords=neuroids,
            attrs={name: value for name, value in attrs.items() if value is not None},
        )
