"""Rajalingham et al. (2018) public human behaviour: ``Rajalingham2018.public`` and its images ``objectome.public``.

Brain-Score's public files (the 2160 objectome images that are not in the private 240-image set), registered as
remote data of the same identifiers and fetched on first use; nothing is read or downloaded at import.
"""

from brainscore_core.fetching import brainio_file, register_remote_data
from brainscore_core.registry import data_registry, stimulus_set_registry

from . import loaders

__all__: list[str] = []

register_remote_data(
    loaders.DATA_IDENTIFIER,
    [brainio_file(loaders.ASSEMBLY_FILE, loaders.ASSEMBLY_SHA1)],
    description="Rajalingham2018 public: human match-to-sample trials on 2160 images, 24 objects",
)
register_remote_data(
    loaders.STIMULUS_SET_IDENTIFIER,
    [brainio_file(loaders.CSV_FILE, loaders.CSV_SHA1), brainio_file(loaders.ZIP_FILE, loaders.ZIP_SHA1)],
    description="objectome public: 2160 images of 24 objects (Rajalingham2018 public)",
)
data_registry[loaders.DATA_IDENTIFIER] = lambda: loaders.load_assembly()
stimulus_set_registry[loaders.STIMULUS_SET_IDENTIFIER] = lambda: loaders.load_stimuli()
