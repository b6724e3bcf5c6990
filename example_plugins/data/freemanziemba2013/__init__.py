"""Freeman, Ziemba et al. 2013 public data as Brain-Score distributes it, fetched on first use.

``FreemanZiemba2013.public`` (assembly ``movshon.FreemanZiemba2013.public``: 205 V1/V2 neurons x 300 one-ms bins x
2,700 presentations = 135 aperture images x 20 repetitions; about 1.3 GB) and
``FreemanZiemba2013.aperture-public`` (the 135 images, 320 x 320 single-channel PNG). File names, SHA-1s and
version ids are Brain-Score 2.4.2's catalog (``brainscore_vision/data/freemanziemba2013/__init__.py``), not checked
against the live bucket here: a wrong entry fails with a SHA-1 mismatch naming the file, never a wrong score.
"""

from brainscore_core.fetching import brainio_file, register_remote_data
from brainscore_core.registry import data_registry, stimulus_set_registry

__all__: list[str] = []

ASSEMBLY = "assy_movshon_FreemanZiemba2013_public.nc"
STIMULI_CSV = "stimulus_FreemanZiemba2013_aperture-public.csv"
STIMULI_ZIP = "stimulus_FreemanZiemba2013_aperture-public.zip"

register_remote_data(
    "FreemanZiemba2013.public",
    [brainio_file(ASSEMBLY, "761c08f796db4e342555cdb60eef23a4f19ead43", version_id="W2vx7jdh9utZdVumHHarXa4L1zOrA8Fd")],
    description="FreemanZiemba2013 V1 and V2 spikes (1 ms bins) to the 135 public aperture images (about 1.3 GB)",
)
register_remote_data(
    "FreemanZiemba2013.aperture-public",
    [
        brainio_file(STIMULI_CSV, "194c9b301a4e3e9cff02481d4c19b39331d52660"),
        brainio_file(STIMULI_ZIP, "3a6fec1fc28c212882d6833e267ea8654d289611"),
    ],
    description="the 135 public texture and noise images in an aperture, 320 x 320 single-channel PNG",
)


def _assembly():
    from .loaders import load_assembly

    return load_assembly()


def _stimuli():
    from .loaders import load_stimuli

    return load_stimuli()


data_registry["FreemanZiemba2013.public"] = _assembly
stimulus_set_registry["FreemanZiemba2013.aperture-public"] = _stimuli
