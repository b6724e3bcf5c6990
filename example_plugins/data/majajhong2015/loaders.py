"""Read the fetched MajajHong2015 public files with :mod:`brainscore_core.brainio` (lazily: values stay on disk)."""

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
    """``hvm-public``: the CSV (``image_id``, ``object_name``, ``variation`` ...) and its flat zip of images."""
    files = fetch("hvm-public")
    return load_stimulus_set(files[STIMULI_CSV], files[STIMULI_ZIP], identifier="hvm-public")


def load_assembly() -> xr.DataArray:
    """``MajajHong2015.public`` opened lazily, ``hvm-public``'s columns joined on ``presentation`` by stimulus id.

    Dims are the file's (``neuroid, presentation, time_bin``); select a region before loading values
    (:func:`brainscore_core.brainio.load_in_blocks`).
    """
    files = fetch("MajajHong2015.public")
    return open_assembly(files[ASSEMBLY], stimuli=load_stimuli(), identifier="dicarlo.MajajHong2015.public")
