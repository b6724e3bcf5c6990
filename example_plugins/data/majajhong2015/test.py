"""MajajHong2015 public data: Brain-Score's catalog entries, and the loaders on synthetic files in the real layout."""

from __future__ import annotations

import numpy as np
import pytest

from brainscore_core import load_dataset, load_stimulus_set
from brainscore_core.config import configure
from brainscore_core.fetching import remote_data
from brainscore_core.synthetic_brainio import synthetic_catalog, write_majajhong2015_public

BUCKET = "https://brainscore-storage.s3.amazonaws.com/brainio-brainscore"


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    files = write_majajhong2015_public(tmp_path / "mirror")
    monkeypatch.setenv("BRAINSCORE_DATA_MIRROR", str(tmp_path / "mirror"))
    monkeypatch.setenv("BRAINIO_HOME", str(tmp_path / "no-brainio"))
    with configure(cache_dir=tmp_path / "cache", progress=False), synthetic_catalog(files):
        yield files


@pytest.mark.parametrize(
    "identifier, name, sha1",
    [
        ("MajajHong2015.public", "assy_dicarlo_MajajHong2015_public.nc", "13d28ca0ce88ee550b54db3004374ae19096e9b9"),
        ("hvm-public", "stimulus_hvm-public.csv", "5ca7a3da00d8e9c694a9cd725df5ba0ad6d735af"),
        ("hvm-public", "stimulus_hvm-public.zip", "8aa44e038d7b551efa8077467622f9d48d72e473"),
    ],
)
def test_catalog_is_brainscores(identifier, name, sha1):
    (file,) = [f for f in remote_data(identifier).files if f.name == name]
    assert (file.sha1, file.url) == (sha1, f"{BUCKET}/{name}?versionId=null")


def test_the_assembly_opens_lazily_with_the_stimulus_columns(mirror):
    stimuli = load_stimulus_set("hvm-public")
    assembly = load_dataset("MajajHong2015.public")
    assert stimuli.identifier == "hvm-public" and len(stimuli) == 80
    assert assembly.dims == ("neuroid", "presentation", "time_bin") and not assembly.variable._in_memory
    assert set(assembly["region"].values) == {"V4", "IT"}
    assert set(np.unique(assembly["object_name"].values)) == set(stimuli["object_name"])
