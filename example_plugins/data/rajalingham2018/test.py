"""The Rajalingham2018 public data plugin: registrations and Brain-Score's file catalog (the data are fetched;
tests/standard/test_behaviour_fetched.py loads synthetic files in the real layout through a mirror)."""

from brainscore_core.fetching import remote_data
from brainscore_core.registry import data_registry, stimulus_set_registry


def test_registered_with_brainscores_files():
    assert "Rajalingham2018.public" in data_registry and "objectome.public" in stimulus_set_registry
    files = {f.name: f for f in remote_data("Rajalingham2018.public").files + remote_data("objectome.public").files}
    assert {name: f.sha1 for name, f in files.items()} == {
        "assy_dicarlo_Rajalingham2018_public.nc": "34c6a8b6f7c523589c1861e4123232e5f7c7df4c",
        "stimulus_objectome_public.csv": "47884e17106a3be471d6481279cab33889b80850",
        "stimulus_objectome_public.zip": "064f2955f98e63867755fee2e3ead8cddf6bfab8",
    }
    url = files["assy_dicarlo_Rajalingham2018_public.nc"].url
    assert url == (
        "https://brainscore-storage.s3.amazonaws.com/brainio-brainscore/assy_dicarlo_Rajalingham2018_public.nc"
        "?versionId=null"
    )
