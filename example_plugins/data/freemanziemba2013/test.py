"""FreemanZiemba2013 public data: Brain-Score's catalog entries, and the loaders on synthetic files in the real
layout."""

from __future__ import annotations

import numpy as np
import pytest

from brainscore_core import load_dataset, load_stimulus_set
from brainscore_core.config import configure
from brainscore_core.fetching import remote_data
from brainscore_core.synthetic_brainio import synthetic_catalog, write_freemanziemba2013_public

BUCKET = "https://brainscore-storage.s3.amazonaws.com/brainio-brainscore"


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    files = write_freemanziemba2013_public(tmp_path / "mirror", repetitions=2)
    monkeypatch.setenv("BRAINSCORE_DATA_MIRROR", str(tmp_path / "mirror"))
    monkeypatch.setenv("BRAINIO_HOME", str(tmp_path / "no-brainio"))
    with configure(cache_dir=tmp_path / "cache", progress=False), synthetic_catalog(files):
        yield files


@pytest.mark.parametrize(
    "identifier, name, sha1, version",
    [
        (
            "FreemanZiemba2013.public",
            "assy_movshon_FreemanZiemba2013_public.nc",
            "761c08f796db4e342555cdb60eef23a4f19ead43",
            "W2vx7jdh9utZdVumHHarXa4L1zOrA8Fd",
        ),
        (
            "FreemanZiemba2013.aperture-public",
            "stimulus_FreemanZiemba2013_aperture-public.csv",
            "194c9b301a4e3e9cff02481d4c19b39331d52660",
            "null",
        ),
        (
            "FreemanZiemba2013.aperture-public",
            "stimulus_FreemanZiemba2013_aperture-public.zip",
            "3a6fec1fc28c212882d6833e267ea8654d289611",
            "null",
        ),
    ],
)
def test_catalog_is_brainscores(identifier, name, sha1, version):
    (file,) = [f for f in remote_data(identifier).files if f.name == name]
    assert (file.sha1, file.url) == (sha1, f"{BUCKET}/{name}?versionId={version}")


def test_the_assembly_opens_lazily_with_the_stimulus_columns(mirror):
    stimuli = load_stimulus_set("FreemanZiemba2013.aperture-public")
    assembly = load_dataset("FreemanZiemba2013.public")
    assert len(stimuli) == 40 and stimuli.load_image(stimuli.stimulus_ids[0]).size == (320, 320)
    assert assembly.dims == ("neuroid", "time_bin", "presentation") and not assembly.variable._in_memory
    assert assembly.sizes["time_bin"] == 300 and set(assembly["region"].values) == {"V1", "V2"}
    assert set(np.unique(assembly["texture_type"].values)) == {"noise", "texture"}
