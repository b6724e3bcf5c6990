"""Image preprocessing: place a stimulus on the model's screen, resize it, normalise it.

Placement follows Brain-Score: a stimulus shown at ``s`` degrees to a model whose input spans ``m`` degrees is
scaled by ``m / s``. When ``s < m`` the image keeps its pixels and is centred on a grey canvas ``m / s`` times
its size (it shrinks once the canvas is resized to the model's input); when ``s > m`` the central ``m / s``
fraction of the image is cropped out. The result is then resized to ``image_size`` x ``image_size`` and
normalised per channel.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from PIL import Image

__all__ = [
    "GREY",
    "IMAGENET_MEAN",
    "IMAGENET_STD",
    "FilePreprocessing",
    "Preprocessing",
    "as_batch",
    "place_on_screen",
    "placed_image_files",
]

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
GREY = (128, 128, 128)  #: the background of shrunk stimuli (PIL's "gray")

_RESAMPLING = ("nearest", "bilinear", "bicubic", "lanczos", "box", "hamming")


def place_on_screen(
    image: Image.Image,
    stimulus_degrees: float | None,
    model_degrees: float | None,
    background: tuple[int, int, int] = GREY,
) -> Image.Image:
    """``image`` as it falls on a model spanning ``model_degrees`` when shown at ``stimulus_degrees``.

    Either degree being None, or both equal, returns the image unchanged.
    """
    from PIL import Image

    if stimulus_degrees is None or model_degrees is None or stimulus_degrees == model_degrees:
        return image
    if stimulus_degrees <= 0 or model_degrees <= 0:
        raise ValueError(f"Visual degrees must be positive, got stimulus {stimulus_degrees} and model {model_degrees}.")
    ratio = model_degrees / stimulus_degrees
    size = np.array(image.size)
    target = np.maximum(np.round(size * ratio).astype(int), 1)
    if ratio > 1:  # the stimulus covers part of the model's field: grey around it
        canvas = Image.new("RGB", (int(target[0]), int(target[1])), tuple(background))
        left, top = np.round((target - size) / 2).astype(int)
        canvas.paste(image, (int(left), int(top)))
        return canvas
    left, top = np.round((size - target) / 2).astype(int)  # the model sees the centre only
    return image.crop((int(left), int(top), int(left + target[0]), int(top + target[1])))


@dataclass(frozen=True)
class Preprocessing:
    """How images become model input; every field is part of the activations cache key.

    ``image_size``: side of the square input in pixels. ``mean``/``std``: per-channel normalisation of
    ``[0, 1]`` RGB values. ``resample``: PIL filter for resizing. ``background``: RGB of the screen around
    stimuli smaller than the model's field of view.
    """

    image_size: int = 224
    mean: tuple[float, float, float] = IMAGENET_MEAN
    std: tuple[float, float, float] = IMAGENET_STD
    resample: str = "bilinear"
    background: tuple[int, int, int] = field(default=GREY)

    def __post_init__(self) -> None:
        for name in ("mean", "std", "background"):
            value = tuple(getattr(self, name))
            if len(value) != 3:
                raise ValueError(f"Preprocessing.{name} needs 3 values (R, G, B), got {value}.")
            object.__setattr__(self, name, value)
        if self.image_size <= 0:
            raise ValueError(f"Preprocessing.image_size must be positive, got {self.image_size}.")
        if any(s == 0 for s in self.std):
            raise ValueError(f"Preprocessing.std must not contain zeros, got {self.std}.")
        if self.resample not in _RESAMPLING:
            raise ValueError(f"Preprocessing.resample must be one of {_RESAMPLING}, got {self.resample!r}.")

    def describe(self) -> dict[str, Any]:
        """The fields as plain values (for cache keys and reports)."""
        return {"type": type(self).__qualname__, **asdict(self)}

    def screen_image(
        self, image: Image.Image, stimulus_degrees: float | None = None, model_degrees: float | None = None
    ) -> np.ndarray:
        """One RGB image placed for the visual degrees and resized: ``uint8`` array ``(image_size, image_size, 3)``.

        Any PIL mode is accepted: high-bit-depth images are scaled to 8 bits and transparency is ignored
        (:func:`brainscore_core.stimuli.rgb_image`).
        """
        from PIL import Image

        from ..stimuli import rgb_image

        placed = place_on_screen(rgb_image(image), stimulus_degrees, model_degrees, self.background)
        side = self.image_size
        if placed.size != (side, side):
            placed = placed.resize((side, side), getattr(Image.Resampling, self.resample.upper()))
        return np.asarray(placed, dtype=np.uint8)

    def normalize(self, batch: np.ndarray) -> np.ndarray:
        """``uint8`` images ``(n, h, w, 3)`` -> normalised ``float32`` ``(n, 3, h, w)``."""
        scale = np.float32(1 / 255)
        mean = np.asarray(self.mean, dtype=np.float32).reshape(1, 3, 1, 1)
        std = np.asarray(self.std, dtype=np.float32).reshape(1, 3, 1, 1)
        channels_first = np.ascontiguousarray(np.asarray(batch).transpose(0, 3, 1, 2), dtype=np.float32)
        channels_first *= scale
        channels_first -= mean
        channels_first /= std
        return channels_first

    def __call__(
        self,
        images: Sequence[Image.Image],
        stimulus_degrees: float | None = None,
        model_degrees: float | None = None,
    ) -> np.ndarray:
        """Preprocess a batch of PIL images into a normalised ``float32`` array ``(n, 3, size, size)``."""
        if not images:
            return np.zeros((0, 3, self.image_size, self.image_size), dtype=np.float32)
        screens = np.stack([self.screen_image(im, stimulus_degrees, model_degrees) for im in images])
        return self.normalize(screens)


_FILE_PROBE_SIZE = 37  #: side of the probe images a :class:`FilePreprocessing` is described by (odd: no symmetry)
_FILE_PROBE_DECIMALS = 5  #: probe outputs are rounded to this many decimals before hashing (float noise)


def as_batch(output: Any, n_images: int, what: str = "The preprocessing") -> np.ndarray:
    """A preprocessing function's output as a contiguous ``float32`` array with ``n_images`` rows.

    Accepts an array or tensor with a leading batch axis, or a list of per-image arrays or tensors (stacked).
    """
    if isinstance(output, (list, tuple)):
        parts = [np.asarray(_to_numpy(item), dtype=np.float32) for item in output]
        if parts and all(part.ndim >= 1 and part.shape[0] == 1 for part in parts) and len(parts) == n_images:
            batch = np.concatenate(parts) if parts[0].ndim == 4 else np.stack(parts)
        else:
            batch = np.stack(parts) if parts else np.zeros((0,), dtype=np.float32)
    else:
        batch = np.asarray(_to_numpy(output), dtype=np.float32)
    if batch.ndim < 2 or batch.shape[0] != n_images:
        raise ValueError(
            f"{what} returned {type(output).__name__} of shape {getattr(batch, 'shape', None)} for {n_images} "
            "image(s); it must return one row per image: an array or tensor (n, channels, height, width), or a list "
            "of per-image arrays or tensors."
        )
    return np.ascontiguousarray(batch)


def _to_numpy(value: Any) -> Any:
    detach = getattr(value, "detach", None)
    return detach().cpu().numpy() if callable(detach) else value


class FilePreprocessing:
    """A preprocessing function that reads image *files* (a Brain-Score plugin's ``preprocessing(paths)``), used
    where a :class:`Preprocessing` is: ``preprocessing(images, stimulus_degrees, model_degrees)``.

    Each image is placed for the visual degrees (as :class:`Preprocessing` does), written losslessly to a
    temporary PNG file, and the files' paths go to ``function``, whose output becomes a ``float32`` batch
    (:func:`as_batch`). :meth:`describe` (the cache key's preprocessing part) holds the function's identity (its
    code, the code of its module, ``functools.partial`` arguments, defaults and closed-over values) and a digest of
    its output on two fixed probe images, so a changed preprocessing is a different key; never its ``repr`` or id.
    """

    def __init__(self, function: Callable[[list[str]], Any], background: tuple[int, int, int] = GREY) -> None:
        if not callable(function):
            raise TypeError(f"preprocessing must be a callable taking a list of image paths, got {function!r}.")
        self.function = function
        self.background = background
        self._probe_digest: str | None = None

    def __repr__(self) -> str:
        return f"FilePreprocessing({self.function!r})"

    @property
    def image_size(self) -> int:
        """The side of the probe images (the function decides the real input size)."""
        return _FILE_PROBE_SIZE

    def describe(self) -> dict[str, Any]:
        """The function's identity and its probe digest (computed once per instance)."""
        from ..cache import callable_identity

        if self._probe_digest is None:
            self._probe_digest = self._probe()
        return {
            "type": type(self).__qualname__,
            "function": callable_identity(self.function),
            "probe": self._probe_digest,
            "background": list(self.background),
        }

    def _probe(self) -> str:
        from ._fingerprint import probe_images

        images = probe_images(_FILE_PROBE_SIZE)
        batch = self(images)
        rounded = np.round(batch.astype(np.float64), _FILE_PROBE_DECIMALS) + 0.0  # + 0.0: -0.0 becomes 0.0
        digest = hashlib.sha256(f"{batch.shape}:{batch.dtype}".encode())
        digest.update(rounded.tobytes())
        return digest.hexdigest()

    def __call__(
        self,
        images: Sequence[Image.Image],
        stimulus_degrees: float | None = None,
        model_degrees: float | None = None,
    ) -> np.ndarray:
        """Place, write and preprocess a batch of PIL images into a ``float32`` array ``(n, ...)``."""
        from ..stimuli import rgb_image

        rgb = (rgb_image(image) for image in images)
        with placed_image_files(rgb, stimulus_degrees, model_degrees, self.background) as paths:
            return as_batch(self.function(paths), len(paths), f"The preprocessing {self.function!r}")


@contextlib.contextmanager
def placed_image_files(
    images: Iterable[Image.Image],
    stimulus_degrees: float | None,
    model_degrees: float | None,
    background: tuple[int, int, int] = GREY,
) -> Iterator[list[str]]:
    """The paths of ``images``, each placed on the model's screen (:func:`place_on_screen`) and written as a PNG
    file in a temporary folder that is removed when the ``with`` block ends (for preprocessing that reads files)."""
    with tempfile.TemporaryDirectory(prefix="brainscore-placed-") as folder:
        paths = []
        for index, image in enumerate(images):
            path = Path(folder) / f"{index:06d}.png"
            place_on_screen(image, stimulus_degrees, model_degrees, background).save(
                path, format="PNG", compress_level=1
            )
            paths.append(str(path))
        yield paths
