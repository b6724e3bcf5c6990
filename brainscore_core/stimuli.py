"""StimulusSet: a table of stimuli with their images, an identifier and a stable content hash."""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .checksums import sha256_file, verify_sha256
from .errors import StimulusError

if TYPE_CHECKING:
    from PIL import Image as _PILImage

__all__ = ["StimulusSet", "rgb_image", "sha256_file", "stimulus_set", "verify_sha256"]

_SIXTEEN_BIT_MODES = ("I;16", "I;16L", "I;16B", "I;16N")


def _to_8bit(values: np.ndarray, top: float) -> np.ndarray:
    """``values`` in ``[0, top]`` scaled to ``[0, 255]`` and rounded to ``uint8``."""
    return np.round(np.asarray(values, dtype=np.float64) * (255.0 / top)).astype(np.uint8)


def _grey_to_8bit(image: Any, what: str) -> np.ndarray:
    """A high-bit-depth greyscale PIL image (``I;16*``, ``I``, ``F``) as ``uint8`` values, scaled by its range."""
    values = np.asarray(image)
    if image.mode in _SIXTEEN_BIT_MODES:
        return _to_8bit(values, 65535.0)
    low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
    if image.mode == "I" and low >= 0 and high <= 65535:  # how PIL opens 16-bit greyscale in some formats
        return _to_8bit(values, 65535.0)
    if image.mode == "F" and low >= 0 and high <= 1:
        return _to_8bit(values, 1.0)
    expected = "[0, 65535] (16-bit)" if image.mode == "I" else "[0, 1]"
    raise StimulusError(
        f"{what} is a {image.mode!r} (32-bit) greyscale image with values in [{low:g}, {high:g}]; its brightness "
        f"scale is ambiguous, so it is not guessed (values in {expected} are read as such). Save it as an 8- or "
        "16-bit image, or scale its values to [0, 1] as floats."
    )


def rgb_image(image: _PILImage.Image, what: str = "The image") -> _PILImage.Image:
    """``image`` (a PIL image of any mode) as an 8-bit ``RGB`` PIL image; ``what`` names it in errors.

    * 8-bit modes (``L``, ``P``, ``RGB``, ``CMYK`` ...) convert as PIL's ``convert("RGB")``, bit-identical to before.
      PIL opens 16-bit RGB(A) files as 8-bit ``RGB``/``RGBA`` already.
    * Transparency (``RGBA``, ``LA``, ``PA``, ``P`` with a transparency entry) is ignored: every pixel keeps its
      stored colour, with no compositing onto a background, as Brain-Score's ``load_images`` does (it pastes
      such images onto an RGB canvas without a mask, which gives the same pixels).
    * 16-bit greyscale (``I;16``, ``I;16L``, ``I;16B``, ``I;16N``, and ``I`` with values in [0, 65535]) is scaled
      by 255/65535 and rounded, so a 0-65535 ramp becomes a 0-255 ramp (not saturated white); ``F`` (float) with
      values in [0, 1] is scaled by 255. ``I``/``F`` values outside those ranges raise :class:`StimulusError`.
    """
    from PIL import Image

    if image.mode in (*_SIXTEEN_BIT_MODES, "I", "F"):
        return Image.fromarray(_grey_to_8bit(image, what), mode="L").convert("RGB")
    with warnings.catch_warnings():  # a palette's transparency is ignored by design (see above)
        warnings.filterwarnings("ignore", message="Palette images with Transparency", category=UserWarning)
        return image.convert("RGB")


def _image_bytes(image: Any) -> bytes:
    """Canonical bytes of an in-memory image (PIL image or array) for hashing."""
    if hasattr(image, "tobytes") and hasattr(image, "mode") and hasattr(image, "size"):  # PIL.Image
        header = f"PIL:{image.mode}:{image.size}".encode()
        pixels: bytes = image.tobytes()
        return header + pixels
    array = np.ascontiguousarray(np.asarray(image))
    return f"ndarray:{array.dtype.str}:{array.shape}".encode() + array.tobytes()


def _array_to_8bit(array: np.ndarray) -> np.ndarray:
    """An in-memory image array as ``uint8``: ``uint16`` scaled by 255/65535, floats up to 1 scaled by 255, other
    values clipped to [0, 255]."""
    if array.dtype == np.uint8:
        return array
    if array.dtype == np.uint16:
        return _to_8bit(array, 65535.0)
    return np.clip(array * (255.0 if array.max() <= 1.0 else 1.0), 0, 255).astype(np.uint8)


_SCALED_KINDS = (*_SIXTEEN_BIT_MODES, "I", "F", np.dtype(np.uint16).str)


def _conversion_tag(kind: str | None) -> bytes:
    """Extra hash input for images whose 8-bit conversion changed (high bit depth is now scaled, see
    :func:`rgb_image`), so activations cached from the old, saturated conversion are not reused; empty (hashes
    unchanged) for every other image."""
    return b"\x00rgb:scaled-high-bit-depth" if kind in _SCALED_KINDS else b""


def _file_mode(path: Path) -> str | None:
    """The PIL mode of an image file (read from its header only), or None when PIL cannot open it."""
    from PIL import Image

    try:
        with warnings.catch_warnings():  # loading the image warns where it matters
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                return image.mode
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


class StimulusSet:
    """A table of stimuli.

    ``table`` is a :class:`pandas.DataFrame` with one row per stimulus and a unique ``stimulus_id`` column, plus
    any metadata columns. Each stimulus has either an image file (``image_path`` column) or an in-memory image
    (``images[stimulus_id]``: a PIL image or an ``(h, w[, c])`` array). An optional ``sha256`` column declares
    file checksums, checked by :meth:`verify`. ``visual_degrees`` is how many degrees of visual angle the
    images span when shown (set by the benchmark that shows them).

    Build one with :func:`stimulus_set`.
    """

    def __init__(
        self,
        identifier: str,
        table: pd.DataFrame,
        images: Mapping[str, Any] | None = None,
        visual_degrees: float | None = None,
    ) -> None:
        self.identifier = identifier
        self.table = table
        self.images: dict[str, Any] = dict(images or {})
        self.visual_degrees = visual_degrees
        self._hash: str | None = None
        self._rows: tuple[pd.DataFrame, dict[str, int]] | None = None  # (table, stimulus_id -> row position)

    # --- table access ------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.table)

    def __repr__(self) -> str:
        degrees = f", visual_degrees={self.visual_degrees}" if self.visual_degrees is not None else ""
        return f"StimulusSet({self.identifier!r}, {len(self)} stimuli{degrees})"

    @property
    def stimulus_ids(self) -> list[str]:
        return [str(s) for s in self.table["stimulus_id"]]

    @property
    def columns(self) -> list[str]:
        return list(self.table.columns)

    def __getitem__(self, column: str) -> pd.Series:
        return self.table[column]

    def image_path(self, stimulus_id: str) -> Path | None:
        """The image file of ``stimulus_id``, or None when the image is held in memory."""
        if stimulus_id in self.images:
            return None
        if "image_path" not in self.table.columns:
            raise StimulusError(f"Stimulus {stimulus_id!r} of {self.identifier!r} has neither a file nor an image.")
        if self._rows is None or self._rows[0] is not self.table:  # O(1) lookups; rebuilt if the table is replaced
            self._rows = (self.table, {str(s): i for i, s in enumerate(self.table["stimulus_id"])})
        position = self._rows[1].get(stimulus_id)
        if position is None:
            raise StimulusError(f"Stimulus set {self.identifier!r} has no stimulus {stimulus_id!r}.")
        return Path(self.table["image_path"].iat[position])

    def _image_file(self, stimulus_id: str) -> Path:
        """The image file of ``stimulus_id``, whose image is not held in memory (the caller checked)."""
        path = self.image_path(stimulus_id)
        assert path is not None, f"stimulus {stimulus_id!r} is held in memory"
        return path

    def load_image(self, stimulus_id: str) -> _PILImage.Image:
        """The image of ``stimulus_id`` as an RGB :class:`PIL.Image.Image`."""
        from PIL import Image

        if stimulus_id in self.images:
            image = self.images[stimulus_id]
            what = f"The in-memory image of stimulus {stimulus_id!r} ({self.identifier})"
            if not isinstance(image, Image.Image):
                image = Image.fromarray(_array_to_8bit(np.asarray(image)))
            return rgb_image(image, what)
        path = self._image_file(stimulus_id)
        try:
            with Image.open(path) as image:
                return rgb_image(image, f"Image file {path} of stimulus {stimulus_id!r}")
        except FileNotFoundError:
            raise StimulusError(
                f"Image file {path} of stimulus {stimulus_id!r} ({self.identifier}) does not exist."
            ) from None
        except OSError as error:
            raise StimulusError(f"Cannot read image file {path} of stimulus {stimulus_id!r}: {error}") from error

    # --- derived sets --------------------------------------------------------------------------------
    def subset(self, stimulus_ids: Iterable[str], identifier: str | None = None) -> StimulusSet:
        """A new stimulus set with only ``stimulus_ids`` (in the given order)."""
        wanted = [str(s) for s in stimulus_ids]
        table = self.table.set_index(self.table["stimulus_id"].astype(str), drop=False)
        missing = [s for s in wanted if s not in table.index]
        if missing:
            raise StimulusError(f"Stimulus set {self.identifier!r} has no stimuli {missing[:5]}.")
        new_table = table.loc[wanted].reset_index(drop=True)
        images = {s: self.images[s] for s in wanted if s in self.images}
        return StimulusSet(identifier or f"{self.identifier}[{len(wanted)}]", new_table, images, self.visual_degrees)

    def with_visual_degrees(self, degrees: float) -> StimulusSet:
        """The same stimuli declared to span ``degrees`` of visual angle."""
        copy = StimulusSet(self.identifier, self.table, self.images, degrees)
        copy._hash = self._hash
        return copy

    # --- integrity ------------------------------------------------------------------------------------
    def verify(self) -> None:
        """Check every image file exists and, where a ``sha256`` column declares one, that it matches."""
        has_sums = "sha256" in self.table.columns
        for row in self.table.itertuples(index=False):
            stimulus_id = str(row.stimulus_id)
            if stimulus_id in self.images:
                continue
            path = self._image_file(stimulus_id)
            if not path.is_file():
                raise StimulusError(
                    f"Image file {path} of stimulus {stimulus_id!r} ({self.identifier}) does not exist."
                )
            expected = row.sha256 if has_sums else None
            if isinstance(expected, str) and expected:
                verify_sha256(path, expected)

    def content_hash(self) -> str:
        """A stable SHA-256 over the stimulus ids (in order) and every image's bytes.

        Two sets with the same ids and identical images hash equal wherever their files are; changing one pixel
        or one id changes the hash. Computed once and remembered.
        """
        if self._hash is None:
            digest = hashlib.sha256(b"brainscore-stimulus-set-v1")
            for stimulus_id in self.stimulus_ids:
                digest.update(b"\x00id\x00" + stimulus_id.encode())
                if stimulus_id in self.images:
                    image = self.images[stimulus_id]
                    digest.update(hashlib.sha256(_image_bytes(image)).digest())
                    digest.update(_conversion_tag(getattr(image, "mode", None) or np.asarray(image).dtype.str))
                else:
                    path = self._image_file(stimulus_id)
                    try:
                        digest.update(bytes.fromhex(sha256_file(path)))
                    except FileNotFoundError:
                        raise StimulusError(
                            f"Image file {path} of stimulus {stimulus_id!r} ({self.identifier}) does not exist."
                        ) from None
                    digest.update(_conversion_tag(_file_mode(path)))
            self._hash = digest.hexdigest()
        return self._hash


def stimulus_set(
    identifier: str,
    table: pd.DataFrame | Mapping[str, Sequence[Any]],
    *,
    image_paths: Sequence[str | Path] | None = None,
    images: Mapping[str, Any] | Sequence[Any] | None = None,
    root: str | Path | None = None,
    visual_degrees: float | None = None,
    verify: bool = True,
) -> StimulusSet:
    """Build and validate a :class:`StimulusSet`.

    ``table`` needs a ``stimulus_id`` column (unique). Give images as ``image_paths`` (or an ``image_path``
    column; relative paths resolve against ``root``) or in memory as ``images`` (a mapping from stimulus id or a
    sequence in table order). With ``verify`` (the default) every file must exist and declared ``sha256`` sums
    must match.
    """
    frame = pd.DataFrame(table).reset_index(drop=True).copy()
    if "stimulus_id" not in frame.columns:
        raise StimulusError(
            f"Stimulus set {identifier!r} needs a 'stimulus_id' column (columns: {list(frame.columns)})."
        )
    frame["stimulus_id"] = frame["stimulus_id"].astype(str)
    duplicated = frame["stimulus_id"][frame["stimulus_id"].duplicated()].tolist()
    if duplicated:
        raise StimulusError(f"Stimulus set {identifier!r} repeats stimulus ids: {duplicated[:5]}.")
    if image_paths is not None:
        if len(image_paths) != len(frame):
            raise StimulusError(f"{len(image_paths)} image paths for {len(frame)} stimuli in {identifier!r}.")
        frame["image_path"] = [str(p) for p in image_paths]
    image_map: dict[str, Any] = {}
    if images is not None:
        if isinstance(images, Mapping):
            image_map = {str(k): v for k, v in images.items()}
        else:
            if len(images) != len(frame):
                raise StimulusError(f"{len(images)} images for {len(frame)} stimuli in {identifier!r}.")
            image_map = dict(zip(frame["stimulus_id"], images, strict=True))
    if "image_path" in frame.columns and root is not None:
        base = Path(root)
        frame["image_path"] = [str(p if Path(p).is_absolute() else base / p) for p in frame["image_path"]]
    without = [s for s in frame["stimulus_id"] if s not in image_map] if "image_path" not in frame.columns else []
    if without:
        raise StimulusError(
            f"Stimulus set {identifier!r} has no image for {without[:5]}: give image_paths, an 'image_path' "
            "column or in-memory images."
        )
    result = StimulusSet(identifier, frame, image_map, visual_degrees)
    if verify:
        result.verify()
    return result
