"""Turn layer features into a recording: one layer's columns, a ``region`` coord, optional time bins."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..assemblies import neuroid_assembly

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["as_recording", "layer_columns"]


def layer_columns(features: xr.DataArray, layer: str) -> xr.DataArray:
    """The neuroids of ``layer`` in a multi-layer assembly (a view: the layer's units are contiguous)."""
    positions = np.flatnonzero(features["layer"].values == layer)
    if len(positions) == 0:
        raise KeyError(f"The features hold no layer {layer!r} (layers: {sorted(set(features['layer'].values))}).")
    return features.isel(neuroid=slice(int(positions[0]), int(positions[-1]) + 1))


def as_recording(
    features: xr.DataArray, region: str, time_bins: Sequence[tuple[float, float]] | None = None
) -> xr.DataArray:
    """``features`` (presentation, neuroid) as recorded from ``region``.

    With ``time_bins`` the static features are repeated in every bin (dims presentation, neuroid, time_bin), as
    a model without dynamics answers the same at all times.
    """
    presentation = {
        str(name): coord.values
        for name, coord in features.coords.items()
        if coord.dims == ("presentation",) and name != "stimulus_id"
    }
    neuroid = {
        str(name): coord.values
        for name, coord in features.coords.items()
        if coord.dims == ("neuroid",) and name not in ("neuroid_id", "region")
    }
    neuroid["region"] = np.full(features.sizes["neuroid"], region)
    values = features.values
    if time_bins is not None:
        values = np.repeat(values[:, :, np.newaxis], len(time_bins), axis=2)
    return neuroid_assembly(
        values,
        stimulus_id=features["stimulus_id"].values,
        neuroid_id=features["neuroid_id"].values,
        presentation_coords=presentation,
        neuroid_coords=neuroid,
        time_bins=None if time_bins is None else list(time_bins),
        attrs={**features.attrs, "region": region},
    )
