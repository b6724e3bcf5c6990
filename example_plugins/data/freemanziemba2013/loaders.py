"""Read the fetched FreemanZiemba2013 public files with :mod:`brainscore_core.brainio` (lazily: values stay on
disk, so a benchmark selects a region and time bins before reading)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from brainscore_core.brainio import load_stimulus_set, open_assembly
from brainscore_core.fetching import fetch

from . import ASSEMBLY, STIMULI_CSV, STIMULI_ZIP

if TYPE_CHECKING:
    import xarray as xr

    from brainscore_core.stimuli import StimulusSet

__all__ = ["load_assembly", "load_stimuli"]


def load_stimuli() -> StimulusSet:
    """``FreemanZiemba2013.aperture-public``: the CSV (``image_id``, ``texture_type`` ...) and its flat zip."""
    files = fetch("FreemanZiemba2013.aperture-public")
    return load_stimulus_set(files[STIMULI_CSV], files[STIMULI_ZIP], identifier="FreemanZiemba2013.aperture-public")


def load_assembly() -> xr.DataArray:
    """``FreemanZiemba2013.public`` opened lazily (dims as in the file: ``neuroid, time_bin, presentation``), the
    stimulus set's columns joined on ``presentation`` by stimulus id."""
    files = fetch("FreemanZiemba2013.public")
    return open_assembly(files[ASSEMBLY], stimuli=load_stimuli(), identifier="movshon.FreemanZiemba2013.public")
