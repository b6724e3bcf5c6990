"""Fingerprints of a network: part of every activations cache key and of the layer-selection key.

Two parts (see :func:`structure_fingerprint` and :func:`probe_fingerprints`):

- *structure*: every parameter and buffer (persistent or not: name, dtype, shape, bytes), the module tree (each
  module's name, qualified class name and ``repr`` with its hyper-parameters), the code of each module class's
  ``forward`` and the plain attributes (numbers, strings, flags) each module holds;
- *behaviour*: the recorded layers' outputs on a fixed, seeded probe batch, run twice. Outputs that differ
  between the two runs mean the network is non-deterministic (e.g. ``F.dropout(training=True)``): such a network
  is never cached.

What this rests on, and its limit: a change that alters what a layer computes shows up in the structure or in the
probe outputs, unless it alters outputs only on inputs the probe does not exercise *and* leaves parameters,
buffers, module tree, module attributes and ``forward`` code unchanged (e.g. a global variable read by
``forward`` that only matters for some images).
"""

from __future__ import annotations

import hashlib
import inspect
import math
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import torch

__all__ = [
    "PROBE_IMAGES",
    "NondeterministicModelWarning",
    "ProbeResult",
    "plain_attributes",
    "probe_fingerprints",
    "probe_images",
    "structure_fingerprint",
    "weights_fingerprint",
]

PROBE_IMAGES = 2  #: images in the behavioural probe batch
_PROBE_SEED = 20240611
_PROJECTIONS = 8  #: fixed random directions each probe output is summarised along
_QUANTUM = 1e-4  #: probe summaries (each in [-1, 1]) are rounded to this step: stable under float noise
_TOLERANCE = 1e-4  #: two probe runs further apart than this (relative to the output's norm) are non-deterministic
_PLAIN = (bool, int, float, str, type(None))


class NondeterministicModelWarning(UserWarning):
    """A network gave different outputs on two runs of the same probe batch; its activations are not cached."""


def _tensor_digest(digest: Any, name: str, tensor: torch.Tensor) -> None:
    import torch

    flat = tensor.detach().to("cpu").contiguous().reshape(-1)
    digest.update(f"\x00{name}:{flat.dtype}:{tuple(tensor.shape)}".encode())
    digest.update(flat.view(torch.uint8).numpy().data)


def weights_fingerprint(model: torch.nn.Module) -> str:
    """Hex SHA-256 over the model class and every state-dict entry (name, dtype, shape and bytes)."""
    import torch

    digest = hashlib.sha256(f"{type(model).__module__}.{type(model).__qualname__}".encode())
    for name, tensor in model.state_dict().items():
        if isinstance(tensor, torch.Tensor):
            _tensor_digest(digest, name, tensor)
        else:
            digest.update(f"\x00{name}:{tensor!r}".encode())
    return digest.hexdigest()


def _code_digest(cls: type) -> str:
    forward: Any = getattr(cls, "forward", None)  # None gives TypeError below, as a builtin does
    try:
        return hashlib.sha256(inspect.getsource(forward).encode()).hexdigest()
    except (OSError, TypeError):
        code = getattr(forward, "__code__", None)
        return "" if code is None else hashlib.sha256(code.co_code + repr(code.co_consts).encode()).hexdigest()


def plain_attributes(model: torch.nn.Module) -> dict[tuple[str, str], str]:
    """``{(module name, attribute): repr}`` of every module's own plain attributes (numbers, strings, flags,
    tuples/lists of them): hyper-parameters that ``forward`` may read without them appearing in ``repr``."""
    return {
        (module_name, name): value
        for module_name, module in model.named_modules()
        for name, value in _plain_attributes(module)
    }


def _plain_attributes(module: torch.nn.Module) -> list[tuple[str, str]]:
    found = []
    for name, value in sorted(vars(module).items()):
        if name.startswith("_") or name == "training":
            continue
        if isinstance(value, _PLAIN) or (
            isinstance(value, (tuple, list)) and all(isinstance(v, _PLAIN) for v in value)
        ):
            found.append((name, repr(value)))
    return found


def structure_fingerprint(model: torch.nn.Module, volatile: Collection[tuple[str, str]] = ()) -> str:
    """Hex SHA-256 over parameters and all buffers (persistent or not), the module tree with each module's
    class, ``repr`` and plain attributes, and the source of each module class's ``forward``.

    ``volatile`` lists ``(module name, attribute)`` pairs left out: attributes that ``forward`` itself changes
    (e.g. a call counter), which would otherwise make every call a miss. Recomputed on every call: weights,
    buffers and attributes can change in place.
    """
    digest = hashlib.sha256(b"brainscore-structure-v1")
    for name, module in model.named_modules():
        cls = type(module)
        digest.update(f"\x01{name}:{cls.__module__}.{cls.__qualname__}:{module.extra_repr()}".encode())
        digest.update(_code_digest(cls).encode())
        attributes = [(k, v) for k, v in _plain_attributes(module) if (name, k) not in volatile]
        digest.update(repr(attributes).encode())
    for name, parameter in model.named_parameters(remove_duplicate=False):
        _tensor_digest(digest, f"p:{name}", parameter)
    for name, buffer in model.named_buffers(remove_duplicate=False):
        _tensor_digest(digest, f"b:{name}", buffer)
    return digest.hexdigest()


class ProbeResult:
    """Per-layer digests of the probe outputs; ``deterministic`` is False when two runs disagreed."""

    def __init__(self, digests: dict[str, str], deterministic: bool) -> None:
        self.digests = digests
        self.deterministic = deterministic


def probe_images(image_size: int) -> list[Any]:
    """The fixed, seeded probe batch: :data:`PROBE_IMAGES` random RGB :class:`PIL.Image.Image` of ``image_size``
    pixels (fed through the model's own preprocessing)."""
    from PIL import Image

    rng = np.random.default_rng(_PROBE_SEED)
    shape = (image_size, image_size, 3)
    return [Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8)) for _ in range(PROBE_IMAGES)]


def _summary(values: np.ndarray) -> np.ndarray:
    """Per image, each scaled into [-1, 1]: sum over the absolute sum, share of the squared norm, absolute sum
    over its bound, and projections on fixed random unit directions over the norm."""
    rng = np.random.default_rng(_PROBE_SEED + values.shape[1])
    directions = rng.standard_normal((values.shape[1], _PROJECTIONS))
    directions /= np.linalg.norm(directions, axis=0, keepdims=True)
    norm = float(np.sqrt((values**2).sum())) or 1.0
    absolute = np.abs(values).sum(1, keepdims=True)
    return np.concatenate(
        [
            values.sum(1, keepdims=True) / np.where(absolute == 0, 1.0, absolute),
            (values**2).sum(1, keepdims=True) / norm**2,
            absolute / (math.sqrt(values.shape[1]) * norm),
            values @ directions / norm,
        ],
        axis=1,
    )


def _digest(output: np.ndarray) -> str:
    """A hash of an output that float noise (another summation order) almost never changes: summaries rounded
    to :data:`_QUANTUM`, plus the shape, the norm to 4 significant digits and the count of non-finite values."""
    values = output.reshape(len(output), -1).astype(np.float64)
    nonfinite = int((~np.isfinite(values)).sum())
    values = np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0)
    norm = float(np.sqrt((values**2).sum()))
    quantised = np.round(_summary(values) / _QUANTUM).astype(np.int64)
    text = f"{output.shape}:{norm:.4g}:{nonfinite}:{quantised.tobytes().hex()}"
    return hashlib.sha256(text.encode()).hexdigest()


def _agree(first: np.ndarray, second: np.ndarray) -> bool:
    if first.shape != second.shape:
        return False
    if not np.array_equal(np.isfinite(first), np.isfinite(second)):
        return False
    finite = np.isfinite(first)
    scale = float(np.abs(first[finite]).max(initial=0.0)) or 1.0
    return bool(np.abs(first[finite] - second[finite]).max(initial=0.0) <= _TOLERANCE * scale)


def probe_fingerprints(run: Callable[[], dict[str, np.ndarray]], layers: Iterable[str]) -> ProbeResult:
    """Run the probe (``run()`` returns each layer's output on the probe batch) twice: per-layer digests of the
    first run, and whether the second run agreed with it. Torch's random state is left as it was."""
    import torch

    with torch.random.fork_rng(devices=[]):
        first, second = run(), run()
    layers = list(layers)
    deterministic = all(_agree(first[layer], second[layer]) for layer in layers)
    return ProbeResult({layer: _digest(first[layer]) for layer in layers}, deterministic)
