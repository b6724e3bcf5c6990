"""Majaj, Hong et al. 2015 public data as Brain-Score distributes it, fetched on first use.

``MajajHong2015.public`` (assembly ``dicarlo.MajajHong2015.public``: 256 V4/IT sites x 148,480 presentations of
3,200 hvm images, one 70-170 ms bin) and ``hvm-public`` (the 3,200 images, 256 x 256 PNG). File names, SHA-1s and
version ids are Brain-Score 2.4.2's catalog (``brainscore_vision/data/majajhong2015/__init__.py``), not checked
against the live bucket here: a wrong entry fails with a SHA-1 mismatch naming the file, never a wrong score.
"""

from brainscore_core.fetching import brainio_file, register_remote_data
from brainscore_core.registry import data_registry, stimulus_set_registry

__all__: list[str] = []

ASSEMBLY = "assy_dicarlo_MajajHong2015_public.nc"
STIMULI_CSV, STIMULI_ZIP = "stimulus_hvm-public.csv", "stimulus_hvm-public.zip"

register_remote_data(
    "MajajHong2015.public",
    [brainio_file(ASSEMBLY, "13d28ca0ce88ee550b54db3004374ae19096e9b9")],
    description="MajajHong2015 V4 and IT responses to the 3200 public hvm images (about 160-200 MB)",
)
register_remote_data(
    "hvm-public",
    [
        brainio_file(STIMULI_CSV, "5ca7a3da00d8e9c694a9cd725df5ba0ad6d735af"),
        brainio_file(STIMULI_ZIP, "8aa44e038d7b551efa8077467622f9d48d72e473"),
    ],
    description="the 3200 public hvm images (variations 0 and 3), 256 x 256 PNG",
)


def _assembly():
    from .loaders import load_assembly

    return load_assembly()


def _stimuli():
    from .loaders import load_stimuli

    return load_stimuli()


data_registry["MajajHong2015.public"] = _assembly
stimulus_set_registry["hvm-public"] = _stimuli
