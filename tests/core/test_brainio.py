"""BrainIO compatibility, tested on files written here in BrainIO's layout."""

import zipfile

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from PIL import Image

from brainscore_core import ChecksumMismatchError, DataError, StimulusError, neuroid_assembly, stimulus_set
from brainscore_core.brainio import load_assembly, load_stimulus_set, write_assembly, write_stimulus_set
from brainscore_core.stimuli import sha256_file


def brainio_style_neural_file(path):
    """What BrainIO writes: neuroid-major dims, MultiIndex levels flattened to coords, legacy `image_id`."""
    rng = np.random.default_rng(0)
    array = xr.DataArray(
        rng.normal(size=(3, 4, 1)),
        dims=("neuroid", "presentation", "time_bin"),
        coords={
            "neuroid_id": ("neuroid", ["n0", "n1", "n2"]),
            "region": ("neuroid", ["IT", "IT", "V4"]),
            "image_id": ("presentation", ["a", "b", "a", "b"]),
            "repetition": ("presentation", [0, 0, 1, 1]),
            "object_name": ("presentation", ["car", "dog", "car", "dog"]),
            "time_bin_start": ("time_bin", [70]),
            "time_bin_end": ("time_bin", [170]),
        },
    )
    # build the MultiIndex like BrainIO does in memory, then flatten it for netCDF like BrainIO's writer
    array = array.set_index(neuroid=["neuroid_id", "region"], presentation=["image_id", "repetition", "object_name"])
    array = array.reset_index(["neuroid", "presentation"])
    array.to_netcdf(path, engine="h5netcdf")
    return array


def test_load_neural_assembly_in_brainio_layout(tmp_path):
    path = tmp_path / "assy_dicarlo_Toy2020.nc"
    original = brainio_style_neural_file(path)
    assembly = load_assembly(path)
    assert assembly.dims == ("presentation", "neuroid", "time_bin")
    assert list(assembly["stimulus_id"].values) == ["a", "b", "a", "b"]
    assert list(assembly["region"].values) == ["IT", "IT", "V4"]
    np.testing.assert_allclose(assembly.values, original.transpose("presentation", "neuroid", "time_bin").values)


def test_assembly_round_trip(tmp_path):
    assembly = neuroid_assembly(
        np.arange(6.0).reshape(3, 2),
        stimulus_id=["a", "b", "c"],
        presentation_coords={"object_name": ["x", "y", "z"]},
        neuroid_coords={"region": ["V4", "IT"]},
    )
    sha = write_assembly(assembly, tmp_path / "assembly.nc")
    back = load_assembly(tmp_path / "assembly.nc", sha256=sha)
    xr.testing.assert_equal(back, assembly)
    assert list(back["object_name"].values) == ["x", "y", "z"]


def test_assembly_checksum_and_unreadable_file(tmp_path):
    path = tmp_path / "assembly.nc"
    write_assembly(neuroid_assembly([[1.0]], stimulus_id=["a"]), path)
    with pytest.raises(ChecksumMismatchError, match=r"assembly\.nc"):
        load_assembly(path, sha256="f" * 64)
    (tmp_path / "bad.nc").write_text("not netcdf")
    with pytest.raises(DataError, match=r"bad\.nc"):
        load_assembly(tmp_path / "bad.nc")


def _brainio_stimuli(tmp_path, wrap_folder=False):
    rows = []
    zip_path = tmp_path / "image_dicarlo_Toy2020.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        for i, stimulus_id in enumerate(["s1", "s2"]):
            image = tmp_path / f"{stimulus_id}.png"
            Image.fromarray(np.full((3, 3, 3), 50 * i, dtype=np.uint8)).save(image)
            archive.write(image, (f"images/{stimulus_id}.png" if wrap_folder else f"{stimulus_id}.png"))
            rows.append({"image_id": stimulus_id, "object_name": ["car", "dog"][i], "filename": f"{stimulus_id}.png"})
    csv_path = tmp_path / "image_dicarlo_Toy2020.csv"
    pd.DataFrame(rows).to_csv(csv_path, index=False)
    return csv_path, zip_path


@pytest.mark.parametrize("wrap_folder", [False, True])
def test_load_stimulus_set_from_csv_and_zip(tmp_path, monkeypatch, wrap_folder):
    monkeypatch.setenv("BRAINSCORE_HOME", str(tmp_path / "home"))
    csv_path, zip_path = _brainio_stimuli(tmp_path, wrap_folder)
    stimuli = load_stimulus_set(
        csv_path, zip_path, csv_sha256=sha256_file(csv_path), images_sha256=sha256_file(zip_path)
    )
    assert stimuli.identifier == "image_dicarlo_Toy2020"
    assert stimuli.stimulus_ids == ["s1", "s2"]
    assert stimuli.load_image("s2").getpixel((1, 1)) == (50, 50, 50)
    assert list(stimuli["object_name"]) == ["car", "dog"]


def test_stimulus_set_round_trip(tmp_path, monkeypatch):
    monkeypatch.setenv("BRAINSCORE_HOME", str(tmp_path / "home"))
    images = [np.full((3, 3, 3), v, dtype=np.uint8) for v in (10, 200)]
    original = stimulus_set("toy", {"stimulus_id": ["a", "b"], "object_name": ["x", "y"]}, images=images)
    csv_sha, zip_sha = write_stimulus_set(original, tmp_path / "toy.csv", tmp_path / "toy.zip")
    back = load_stimulus_set(tmp_path / "toy.csv", tmp_path / "toy.zip", csv_sha256=csv_sha, images_sha256=zip_sha)
    assert back.stimulus_ids == ["a", "b"] and list(back["object_name"]) == ["x", "y"]
    for stimulus_id in ("a", "b"):
        np.testing.assert_array_equal(
            np.asarray(back.load_image(stimulus_id)), np.asarray(original.load_image(stimulus_id))
        )


def test_stimulus_set_errors_name_the_problem(tmp_path, monkeypatch):
    monkeypatch.setenv("BRAINSCORE_HOME", str(tmp_path / "home"))
    csv_path, zip_path = _brainio_stimuli(tmp_path)
    with pytest.raises(ChecksumMismatchError, match=r"image_dicarlo_Toy2020\.zip"):
        load_stimulus_set(csv_path, zip_path, images_sha256="0" * 64)
    pd.DataFrame({"stimulus_id": ["s1"]}).to_csv(tmp_path / "nofiles.csv", index=False)
    with pytest.raises(StimulusError, match="names no image files"):
        load_stimulus_set(tmp_path / "nofiles.csv", zip_path)
    pd.DataFrame({"stimulus_id": ["s9"], "filename": ["s9.png"]}).to_csv(tmp_path / "missing.csv", index=False)
    with pytest.raises(StimulusError, match=r"s9\.png"):
        load_stimulus_set(tmp_path / "missing.csv", zip_path)


# --- file names stay inside the store; no same-name substitution (issue 10 §6, probes 7.1, 7.2) ---------------
def _store(tmp_path, layout):
    """An image folder holding ``layout`` (relative paths), plus a file outside it."""
    images = tmp_path / "store" / "images"
    for relative in layout:
        (images / relative).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.zeros((2, 2, 3), dtype=np.uint8)).save(images / relative)
    (tmp_path / "outside").mkdir()
    Image.fromarray(np.zeros((2, 2, 3), dtype=np.uint8)).save(tmp_path / "outside" / "secret.png")
    return images


def _csv(tmp_path, names):
    path = tmp_path / "store" / "set.csv"
    pd.DataFrame({"stimulus_id": [f"s{i}" for i in range(len(names))], "filename": names}).to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    "name",
    ["../../outside/secret.png", "OUTSIDE_ABSOLUTE", "/etc/passwd", "a/../../x.png", "C:\\Windows\\x.png"],
)
def test_csv_file_names_outside_the_store_are_refused(tmp_path, name):
    images = _store(tmp_path, ["a.png", "b.png"])
    if name == "OUTSIDE_ABSOLUTE":
        name = str(tmp_path / "outside" / "secret.png")
    csv_path = _csv(tmp_path, ["a.png", "b.png", name])
    with pytest.raises(DataError, match=r"set\.csv line 4 \(stimulus 's2'\) names the image file") as error:
        load_stimulus_set(csv_path, images)
    assert repr(name) in str(error.value) and "not inside the image store" in str(error.value)


def test_a_missing_file_is_never_replaced_by_a_same_named_file_in_another_folder(tmp_path):
    images = _store(tmp_path, ["setA/img1.png", "setB/img9.png"])
    csv_path = _csv(tmp_path, ["setA/img1.png", "setA/img9.png"])
    with pytest.raises(
        StimulusError, match=r"line 3 \(stimulus 's1'\) names the image file 'setA/img9.png', which does "
    ):
        load_stimulus_set(csv_path, images)
    with pytest.raises(StimulusError, match=r"same name elsewhere in the store \(not used\): \['setB/img9.png'\]"):
        load_stimulus_set(csv_path, images)


def test_a_flat_store_whose_csv_names_sub_folders_is_read_by_file_name(tmp_path):
    images = _store(tmp_path, ["img1.png", "img2.png"])
    stimuli = load_stimulus_set(_csv(tmp_path, ["setA/img1.png", "setB/img2.png"]), images)
    assert [stimuli.image_path(s) for s in stimuli.stimulus_ids] == [images / "img1.png", images / "img2.png"]


def test_a_zip_wrapping_its_files_in_one_folder_is_read_inside_it(tmp_path, monkeypatch):
    monkeypatch.setenv("BRAINSCORE_HOME", str(tmp_path / "home"))
    csv_path, zip_path = _brainio_stimuli(tmp_path, wrap_folder=True)
    with zipfile.ZipFile(zip_path, "a") as archive:  # what macOS's Finder adds
        archive.writestr("__MACOSX/images/._s1.png", b"resource fork")
    stimuli = load_stimulus_set(csv_path, zip_path)
    assert stimuli.image_path("s1").parent.name == "images"
    assert stimuli.image_path("s1").name == "s1.png"
    assert stimuli.load_image("s2").getpixel((1, 1)) == (50, 50, 50)


def test_verified_file_refuses_paths_outside_the_data_folder(tmp_path):
    from brainscore_core.checksums import contained_path, verified_file

    assert contained_path(tmp_path, "a/./b/../c.png") == tmp_path / "a" / "." / "b" / ".." / "c.png"
    for name in ("../x", "/etc/passwd", "a/../../x", ""):
        assert contained_path(tmp_path, name) is None
        with pytest.raises(DataError, match="not a relative path inside the data folder"):
            verified_file(tmp_path, name, {name: "0" * 64})
