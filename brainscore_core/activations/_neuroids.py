"""Neuroid coordinates of flattened layer outputs and the layout of several layers in one array."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["NOT_SPATIAL", "LayerLayout", "layer_coords"]

NOT_SPATIAL = -1  #: value of ``channel_x``/``channel_y`` for units without a spatial position (e.g. logits)


def _spatial_ids(layer: str, shape: tuple[int, int, int]) -> np.ndarray:
    """``"<layer>.<channel>.<row>.<column>"`` in C order (string prefixes are shared: fast for big maps)."""
    channels, height, width = shape
    rows = [f".{y}" for y in range(height)]
    columns = [f".{x}" for x in range(width)]
    ids: list[str] = []
    for channel in range(channels):
        prefix = f"{layer}.{channel}"
        for row in rows:
            head = prefix + row
            ids += [head + column for column in columns]
    return np.array(ids)


def layer_coords(layer: str, feature_shape: Sequence[int]) -> dict[str, np.ndarray]:
    """Per-unit coords (read-only arrays, remembered per layer and shape) of one layer's output flattened in C
    order.

    See :func:`_layer_coords` for the coords."""
    return _layer_coords(layer, tuple(int(s) for s in feature_shape))


@functools.lru_cache(maxsize=128)
def _layer_coords(layer: str, shape: tuple[int, ...]) -> dict[str, np.ndarray]:
    """Per-unit coords of one layer's output flattened in C order.

    ``(channels, height, width)`` outputs get ``channel``, ``channel_y`` (row) and ``channel_x`` (column) and
    ids ``"<layer>.<channel>.<row>.<column>"``; ``(channels,)`` outputs get ``channel`` and ids
    ``"<layer>.<channel>"`` (``channel_x``/``channel_y`` are :data:`NOT_SPATIAL`); other shapes get ids
    ``"<layer>.<flat index>"`` and ``channel`` = flat index.
    """
    size = int(np.prod(shape)) if shape else 1
    flat = np.arange(size)
    x = y = np.full(size, NOT_SPATIAL)
    if len(shape) == 3:
        channel, y, x = np.unravel_index(flat, shape)
        ids = _spatial_ids(layer, shape)
    else:
        channel = flat
        ids = np.array([f"{layer}.{i}" for i in range(size)])
    coords = {
        "neuroid_id": ids,
        "layer": np.full(size, layer),
        "channel": np.asarray(channel),
        "channel_x": np.asarray(x),
        "channel_y": np.asarray(y),
    }
    for values in coords.values():
        values.flags.writeable = False
    return coords


@dataclass(frozen=True)
class LayerLayout:
    """Where each layer's flattened units sit in one ``(presentation, neuroid)`` array."""

    layers: tuple[str, ...]
    feature_shapes: tuple[tuple[int, ...], ...]

    @classmethod
    def of(cls, layers: Sequence[str], feature_shapes: dict[str, tuple[int, ...]]) -> LayerLayout:
        return cls(tuple(layers), tuple(tuple(feature_shapes[layer]) for layer in layers))

    def sizes(self) -> list[int]:
        return [int(np.prod(shape)) if shape else 1 for shape in self.feature_shapes]

    def columns(self, layer: str) -> slice:
        """The neuroid columns of ``layer``."""
        sizes = self.sizes()
        index = self.layers.index(layer)
        start = sum(sizes[:index])
        return slice(start, start + sizes[index])

    def feature_shape(self, layer: str) -> tuple[int, ...]:
        """The unflattened shape of one stimulus's output of ``layer``."""
        return self.feature_shapes[self.layers.index(layer)]

    @property
    def n_neuroids(self) -> int:
        return sum(self.sizes())

    def coords(self) -> dict[str, np.ndarray]:
        """Neuroid coords of all layers, concatenated in layer order."""
        per_layer = [layer_coords(layer, shape) for layer, shape in zip(self.layers, self.feature_shapes, strict=True)]
        return {name: np.concatenate([c[name] for c in per_layer]) for name in per_layer[0]}
