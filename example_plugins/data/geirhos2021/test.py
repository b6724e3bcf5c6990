"""The Geirhos2021 data plugin: its catalog, registrations and the offline data's Brain-Score layout."""

import numpy as np
import pytest

from brainscore_core import load_dataset, load_stimulus_set
from brainscore_core.fetching import remote_data, remote_data_registry
from brainscore_core.registry import data_registry, stimulus_set_registry

from .catalog import DATASETS, OFFLINE_EXPERIMENTS, dataset


def test_catalog_lists_brainscores_17_data_sets_with_sha1s():
    assert len(DATASETS) == 17 and list(DATASETS)[:4] == ["colour", "contrast", "cue-conflict", "edge"]
    for entry in DATASETS.values():
        for sha1 in (entry.assembly_sha1, entry.csv_sha1, entry.zip_sha1):
            assert len(sha1) == 40 and int(sha1, 16) >= 0
    # edge and silhouette share one CSV (Brain-Score's catalog says so)
    assert dataset("edge").csv_sha1 == dataset("silhouette").csv_sha1
    with pytest.raises(KeyError, match=r"known: .*uniform-noise"):
        dataset("uniformnoise")


def test_every_data_set_is_registered_and_only_the_14_fetched_ones_are_remote():
    for name, entry in DATASETS.items():
        assert entry.identifier in data_registry and entry.identifier in stimulus_set_registry
        if name in OFFLINE_EXPERIMENTS:
            assert entry.identifier not in remote_data_registry
        else:
            files = {f.name: f.sha1 for f in remote_data(entry.identifier).files}
            assert files == {
                f"assy_brendel_Geirhos2021_{name}.nc": entry.assembly_sha1,
                f"stimulus_Geirhos2021_{name}.csv": entry.csv_sha1,
                f"stimulus_Geirhos2021_{name}.zip": entry.zip_sha1,
            }
            assert all(f.url.endswith("?versionId=null") for f in remote_data(entry.identifier).files)


def test_offline_edge_data_in_brainscores_layout():
    trials = load_dataset("Geirhos2021_edge")
    stimuli = load_stimulus_set("Geirhos2021_edge")
    assert trials.dims == ("presentation",) and trials.sizes["presentation"] == 1600 and len(stimuli) == 160
    np.testing.assert_array_equal(trials["category"].values, trials["truth"].values)
    assert trials.attrs["stimulus_set_identifier"] == "Geirhos2021_edge"
    assert set(stimuli["condition"]) == {0} and list(stimuli["image_id"]) == stimuli.stimulus_ids
