"""Brain-Score's 17 Geirhos2021 human data sets (Geirhos et al. 2021, model-vs-human), in Brain-Score's layout.

Registers, for each data set ``<name>`` of :data:`.catalog.DATASETS` (e.g. ``cue-conflict``, ``uniform-noise``):
the data ``Geirhos2021_<name>`` (human trials, one row per trial) and the stimulus set ``Geirhos2021_<name>``.
``cue-conflict``, ``edge`` and ``silhouette`` are served offline from the shipped Geirhos 2019 trials (the
same trials; see ``loaders.py``); the other 14 are remote data sets of the same identifier (assembly, stimulus
CSV and zip, verified by SHA-1) fetched on first use or with ``brainscore fetch Geirhos2021_<name>``.
Nothing is read or downloaded at import.
"""

from brainscore_core.fetching import brainio_file, register_remote_data
from brainscore_core.registry import data_registry, stimulus_set_registry

from .catalog import DATASETS
from .loaders import load_assembly, load_stimuli

__all__: list[str] = []

for _name, _entry in DATASETS.items():
    data_registry[_entry.identifier] = lambda name=_name: load_assembly(name)
    stimulus_set_registry[_entry.identifier] = lambda name=_name: load_stimuli(name)
    if not _entry.offline:
        register_remote_data(
            _entry.identifier,
            [
                brainio_file(_entry.assembly_file, _entry.assembly_sha1),
                brainio_file(_entry.csv_file, _entry.csv_sha1),
                brainio_file(_entry.zip_file, _entry.zip_sha1),
            ],
            description=f"Geirhos2021 {_name}: {_entry.presentations} human trials on {_entry.images} images",
        )
