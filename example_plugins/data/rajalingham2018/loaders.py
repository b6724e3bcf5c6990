"""Load ``Rajalingham2018.public`` (human match-to-sample trials) and ``objectome.public`` (its 2160 images).

Both are Brain-Score's public BrainIO files, fetched on first use (``brainscore fetch Rajalingham2018.public
objectome.public``) and verified by SHA-1. The assembly is behavioural, one row per trial (values = the object
chosen), with ``stimulus_id`` (= ``image_id``), ``sample_obj`` (= ``truth``), ``dist_obj``, ``choice``,
``WorkerID``, ``AssignmentID``, the stimulus set's columns joined on ``stimulus_id`` (``image_label``, ...), and
``correct`` (``choice == sample_obj``, as Brain-Score's benchmark adds it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from brainscore_core.assemblies import coord_values, validate_behavioral_assembly
from brainscore_core.stimuli import StimulusSet

if TYPE_CHECKING:
    import xarray as xr

__all__ = [
    "ASSEMBLY_FILE",
    "ASSEMBLY_SHA1",
    "CSV_FILE",
    "CSV_SHA1",
    "DATA_IDENTIFIER",
    "STIMULUS_SET_IDENTIFIER",
    "ZIP_FILE",
    "ZIP_SHA1",
    "load_assembly",
    "load_stimuli",
]

DATA_IDENTIFIER = "Rajalingham2018.public"
STIMULUS_SET_IDENTIFIER = "objectome.public"
ASSEMBLY_FILE = "assy_dicarlo_Rajalingham2018_public.nc"
ASSEMBLY_SHA1 = "34c6a8b6f7c523589c1861e4123232e5f7c7df4c"
CSV_FILE = "stimulus_objectome_public.csv"
CSV_SHA1 = "47884e17106a3be471d6481279cab33889b80850"
ZIP_FILE = "stimulus_objectome_public.zip"
ZIP_SHA1 = "064f2955f98e63867755fee2e3ead8cddf6bfab8"


def load_stimuli() -> StimulusSet:
    """The 2160 public objectome images with ``image_label`` (the true object)."""
    from brainscore_core import brainio
    from brainscore_core.fetching import fetch

    paths = fetch(STIMULUS_SET_IDENTIFIER)
    stimuli = brainio.load_stimulus_set(paths[CSV_FILE], paths[ZIP_FILE], identifier=STIMULUS_SET_IDENTIFIER)
    if "image_id" not in stimuli.columns:  # the reader names image_id stimulus_id; Brain-Score keeps both
        stimuli.table["image_id"] = stimuli.table["stimulus_id"]
    return stimuli


def load_assembly() -> xr.DataArray:
    """The human trials on the public images, with the stimulus columns joined and ``correct`` added."""
    from brainscore_core import brainio
    from brainscore_core.fetching import fetch

    paths = fetch(DATA_IDENTIFIER)
    opened = brainio.open_assembly(paths[ASSEMBLY_FILE], stimuli=load_stimuli(), identifier=DATA_IDENTIFIER)
    assembly = validate_behavioral_assembly(opened.load())
    correct = coord_values(assembly, "choice").astype(str) == coord_values(assembly, "sample_obj").astype(str)
    assembly = assembly.assign_coords(correct=("presentation", np.asarray(correct)))
    assembly.name = DATA_IDENTIFIER
    assembly.attrs.update(identifier=DATA_IDENTIFIER, stimulus_set_identifier=STIMULUS_SET_IDENTIFIER)
    return assembly
