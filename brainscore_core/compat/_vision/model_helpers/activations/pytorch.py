"""``brainscore_vision.model_helpers.activations.pytorch``: ``PytorchWrapper`` and the image helpers, with
Brain-Score's signatures, on :class:`brainscore_core.activations.PytorchWrapper` (cache, device, streaming).

The preprocessing a plugin passes is what runs. ``functools.partial(load_preprocess_images, image_size=S)`` (the
``imagenet`` type, with or without ``normalize_mean``/``normalize_std``) is the very transform of
:class:`brainscore_core.activations.Preprocessing` and is run as one, so its cache entries are shared with a
native plugin of the same network and preprocessing; any other callable runs on image files through
:class:`brainscore_core.activations.FilePreprocessing` and is keyed by its code, arguments and a probe of its output.
"""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from brainscore_core.activations import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    FilePreprocessing,
    Preprocessing,
)
from brainscore_core.activations import (
    PytorchWrapper as _CoreWrapper,
)
from brainscore_core.activations.pytorch import LOGITS
from brainscore_core.cache.keys import canonical_json
from brainscore_core.compat._support import not_supported, unsupported_getattr
from brainscore_core.stimuli import StimulusSet, rgb_image, stimulus_set

from .core import ActivationsExtractorHelper

if TYPE_CHECKING:
    import torch
    import xarray as xr
    from PIL import Image

__all__ = [
    "PytorchWrapper",
    "disable_activation_caching",
    "load_image",
    "load_images",
    "load_preprocess_images",
    "preprocess_images",
]

_PREPROCESS_TYPES = ("imagenet", "inception")
_PARTIAL_KEYS = {"image_size", "preprocess_type", "normalize_mean", "normalize_std"}


# --- images --------------------------------------------------------------------------------------------------------
def load_image(image_filepath: str | Path) -> Image.Image:
    """One image file as an 8-bit RGB PIL image (transparency ignored, as Brain-Score's ``load_image``)."""
    from PIL import Image

    with Image.open(image_filepath) as image:
        return rgb_image(image, f"Image file {image_filepath}")


def load_images(image_filepaths: Sequence[str | Path]) -> list[Image.Image]:
    """Image files as RGB PIL images (Brain-Score's ``load_images``)."""
    return [load_image(path) for path in image_filepaths]


def _per_channel(values: Any) -> tuple[float, float, float]:
    """A normalisation given for 3 channels, or 1 value for all (as torchvision's Normalize broadcasts it)."""
    numbers = tuple(float(v) for v in np.atleast_1d(values))
    return (numbers[0],) * 3 if len(numbers) == 1 else numbers  # type: ignore[return-value]


def _imagenet(image_size: int, kwargs: dict[str, Any]) -> Preprocessing:
    mean = _per_channel(kwargs.get("normalize_mean", IMAGENET_MEAN))
    std = _per_channel(kwargs.get("normalize_std", IMAGENET_STD))
    return Preprocessing(image_size=int(image_size), mean=mean, std=std)


def _inception(images: Sequence[Image.Image], image_size: int) -> np.ndarray:
    """Resize the shorter side to ``int(S * 256 / 224)`` (aspect kept), crop the centre ``S`` x ``S``, scale to
    [0, 1], normalise with mean 0.5 and std 0.5 (Brain-Score's ``inception`` type)."""
    from PIL import Image

    short_target = int(image_size * 256 / 224)
    batch = []
    for image in images:
        rgb = rgb_image(image)
        width, height = rgb.size
        if width <= height:
            size = (short_target, int(short_target * height / width))
        else:
            size = (int(short_target * width / height), short_target)
        if size != rgb.size:
            rgb = rgb.resize(size, Image.Resampling.BILINEAR)
        top = round((size[1] - image_size) / 2.0)
        left = round((size[0] - image_size) / 2.0)
        batch.append(np.asarray(rgb.crop((left, top, left + image_size, top + image_size)), dtype=np.uint8))
    return Preprocessing(image_size=image_size, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)).normalize(np.stack(batch))


def preprocess_images(images: Sequence[Image.Image], image_size: int, **kwargs: Any) -> np.ndarray:
    """PIL images -> ``float32`` ``(N, 3, S, S)``.

    ``preprocess_type='imagenet'`` (default): resize to ``S`` x ``S`` (aspect not kept), scale to [0, 1], normalise
    with ``normalize_mean``/``normalize_std`` (ImageNet's by default). ``'inception'``: resize the shorter side to
    ``int(S * 256 / 224)``, crop the centre, normalise with 0.5/0.5. Other types raise ValueError.
    """
    kind = str(kwargs.get("preprocess_type", "imagenet")).lower()
    if kind not in _PREPROCESS_TYPES:
        raise ValueError(f"preprocess_type must be one of {_PREPROCESS_TYPES}, got {kwargs['preprocess_type']!r}.")
    if not images:
        return np.zeros((0, 3, int(image_size), int(image_size)), dtype=np.float32)
    if kind == "inception":
        return _inception(images, int(image_size))
    return _imagenet(image_size, kwargs)(images)


def load_preprocess_images(image_filepaths: Sequence[str | Path], image_size: int, **kwargs: Any) -> np.ndarray:
    """``preprocess_images(load_images(image_filepaths), image_size, **kwargs)``: ``float32`` ``(N, 3, S, S)``."""
    return preprocess_images(load_images(image_filepaths), image_size, **kwargs)


def as_core_preprocessing(preprocessing: Callable[..., Any]) -> Preprocessing | FilePreprocessing:
    """What runs for a plugin's ``preprocessing``: :class:`Preprocessing` for an ``imagenet``-type
    ``functools.partial(load_preprocess_images, image_size=S, ...)`` (the same transform), else the callable
    itself on image files (:class:`FilePreprocessing`)."""
    if isinstance(preprocessing, functools.partial) and preprocessing.func is load_preprocess_images:
        keywords = dict(preprocessing.keywords)
        native = (
            not preprocessing.args
            and set(keywords) <= _PARTIAL_KEYS
            and "image_size" in keywords
            and str(keywords.get("preprocess_type", "imagenet")).lower() == "imagenet"
        )
        if native:
            return _imagenet(keywords["image_size"], keywords)
    return FilePreprocessing(preprocessing)


def _image_size_of(preprocessing: Any) -> int | None:
    if isinstance(preprocessing, functools.partial):
        size = preprocessing.keywords.get("image_size")
        return int(size) if isinstance(size, (int, np.integer)) else None
    return None


# --- the wrapper ---------------------------------------------------------------------------------------------------
class PytorchWrapper(_CoreWrapper):
    """Brain-Score's ``PytorchWrapper(model, preprocessing, identifier=None, forward_kwargs=None, batch_size=64)``.

    ``identifier`` defaults to the network's class name and keys the activations cache (with the weights, the
    preprocessing and the stimuli). ``forward_kwargs`` go to every ``model(inputs, **forward_kwargs)`` call.
    ``image_size`` is free to set and, as in Brain-Score, informative only. Calling it takes a
    :class:`~brainscore_core.StimulusSet` or a list of image paths (then ``stimulus_path`` is a coordinate).
    """

    def __init__(
        self,
        model: torch.nn.Module,
        preprocessing: Callable[..., Any],
        identifier: str | None = None,
        forward_kwargs: dict[str, Any] | None = None,
        *args: Any,
        batch_size: int = 64,
        **kwargs: Any,
    ) -> None:
        if args or kwargs:
            raise TypeError(
                f"PytorchWrapper got unexpected arguments {list(args) + sorted(kwargs)}; the compatibility layer "
                "accepts model, preprocessing, identifier, forward_kwargs and batch_size."
            )
        if preprocessing is None:
            raise TypeError("PytorchWrapper needs a preprocessing function, e.g. partial(load_preprocess_images, 224).")
        identifier = identifier or type(model).__name__
        super().__init__(identifier, model, preprocessing=as_core_preprocessing(preprocessing), batch_size=batch_size)
        self.forward_kwargs: dict[str, Any] = dict(forward_kwargs or {})
        self.image_size: int | None = _image_size_of(preprocessing)
        self._extractor = ActivationsExtractorHelper(
            get_activations=self.get_activations,
            preprocessing=preprocessing,
            identifier=identifier,
            batch_size=batch_size,
        )
        self._extractor.insert_attrs(self)

    # --- Brain-Score's members -------------------------------------------------------------------------------
    @property
    def _model(self) -> torch.nn.Module:
        return self.model

    def fingerprint(self) -> str:
        """The structure fingerprint, plus ``forward_kwargs`` when given (they change the outputs)."""
        structure = super().fingerprint()
        if not self.forward_kwargs:
            return structure
        return hashlib.sha256(f"{structure}:{canonical_json(self.forward_kwargs)}".encode()).hexdigest()

    def _run(self, inputs: torch.Tensor) -> Any:
        return self.model(inputs, **self.forward_kwargs)

    def _output_layer(self) -> torch.nn.Module:
        """The last leaf module (following the last child), Brain-Score's ``'logits'`` module."""
        module = self.model
        while list(module.children()):
            module = list(module.children())[-1]
        return module

    def get_layer(self, layer_name: str) -> torch.nn.Module:
        """The module at dotted path ``layer_name``; ``'logits'`` is :meth:`_output_layer`."""
        if layer_name == LOGITS and LOGITS not in dict(self.model.named_modules()):
            return self._output_layer()
        modules: dict[str, torch.nn.Module] = dict(self.model.named_modules())
        if layer_name not in modules:
            raise ValueError(f"Model {self.identifier!r} has no layer {layer_name!r}; layer_names() lists them.")
        return modules[layer_name]

    def layers(self) -> Iterator[tuple[str, torch.nn.Module]]:
        """``(name, module)`` of every leaf module."""
        for name, module in self.model.named_modules():
            if name and not list(module.children()):
                yield name, module

    def register_hook(self, layer: torch.nn.Module, layer_name: str, target_dict: dict[str, Any]) -> Any:
        """Store ``layer``'s output as a numpy array in ``target_dict[layer_name]`` on every forward pass."""

        def hook(_module: Any, _inputs: Any, output: Any) -> None:
            tensor = output[0] if isinstance(output, (tuple, list)) else output
            target_dict[layer_name] = tensor.detach().cpu().numpy()

        return layer.register_forward_hook(hook)

    def get_activations(self, images: Any, layer_names: Sequence[str]) -> OrderedDict[str, np.ndarray]:
        """``{layer: array}`` for a preprocessed batch (array, tensor or list of per-image arrays/tensors)."""
        import torch

        from brainscore_core.activations import as_batch

        count = len(images)
        batch = torch.from_numpy(as_batch(images, count, "get_activations' images"))
        outputs: dict[str, np.ndarray] = {}
        handles = [self.register_hook(self.get_layer(name), name, outputs) for name in layer_names]
        try:
            with self._scoring_state() as device, torch.no_grad():
                parameter = next(self.model.parameters(), None)
                dtype = parameter.dtype if parameter is not None else torch.float32
                self._run(batch.to(device=device, dtype=dtype))
        finally:
            for handle in handles:
                handle.remove()
        return OrderedDict((name, outputs[name]) for name in layer_names)

    # --- calling ---------------------------------------------------------------------------------------------
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
            not_supported(
                "PytorchWrapper(..., require_variance=True)",
                "Models here are deterministic (each stimulus is shown once); call without require_variance",
            )
        layers = [LOGITS] if layers is None else layers
        if isinstance(stimuli, StimulusSet):
            return super().__call__(stimuli, layers, model_visual_degrees=model_visual_degrees)
        return from_paths(lambda s: super(PytorchWrapper, self).__call__(s, layers), stimuli, stimuli_identifier)


def from_paths(
    extract: Callable[[StimulusSet], xr.DataArray], paths: Sequence[str | Path], identifier: str | None = None
) -> xr.DataArray:
    """Run ``extract`` on a stimulus set of ``paths`` (each distinct file once) and return one presentation per
    path, in order, with a ``stimulus_path`` coordinate."""
    texts = [str(path) for path in paths]
    unique = list(dict.fromkeys(texts))
    name = identifier or "paths-" + hashlib.sha256("\n".join(unique).encode()).hexdigest()[:12]
    stimuli = stimulus_set(name, {"stimulus_id": unique}, image_paths=unique)
    assembly = extract(stimuli)
    position = {stimulus: index for index, stimulus in enumerate(unique)}
    result = assembly.isel(presentation=[position[text] for text in texts])
    return result.assign_coords(stimulus_path=("presentation", texts))


def disable_activation_caching(wrapper: Any) -> Any:
    """``wrapper`` with its activations cache turned off (Brain-Score's ``disable_activation_caching``)."""
    from brainscore_core.cache import ActivationsCache

    if isinstance(wrapper, _CoreWrapper):
        wrapper.cache = ActivationsCache(enabled=False)
        return wrapper
    not_supported("disable_activation_caching", "It applies to a PytorchWrapper only")


__getattr__ = unsupported_getattr(
    "brainscore_vision.model_helpers.activations.pytorch",
    {
        "torchvision_preprocess_input": "Use load_preprocess_images or preprocess_images",
        "torchvision_preprocess": "Use load_preprocess_images or preprocess_images",
    },
)
