"""Reading Brain-Score's public files in their real BrainIO layout: lazily, region and time bins selected before
values are read, stimulus-set columns joined by stimulus id, Brain-Score's averaging row order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from brainscore_core import DataError, average_repetitions, stimulus_set
from brainscore_core.brainio import (
    brainscore_average_order,
    join_stimulus_set,
    load_assembly,
    load_in_blocks,
    load_stimulus_set,
    open_assembly,
)
from brainscore_core.score import Score, ceil_squared


@pytest.fixture(scope="module")
def majajhong(synthetic_neural_files):
    return {name: file.path for name, file in synthetic_neural_files.items()}


@pytest.fixture
def hvm(majajhong, isolated_cache):
    return load_stimulus_set(majajhong["stimulus_hvm-public.csv"], majajhong["stimulus_hvm-public.zip"])


def test_the_file_is_opened_lazily_in_its_own_layout(majajhong, hvm):
    lazy = open_assembly(majajhong["assy_dicarlo_MajajHong2015_public.nc"], stimuli=hvm, identifier="x.public")
    assert lazy.dims == ("neuroid", "presentation", "time_bin")  # the file's order
    assert lazy.name == "dicarlo.MajajHong2015.public"
    assert not lazy.variable._in_memory  # no values read yet
    assert np.array_equal(lazy["stimulus_id"].values, lazy["image_id"].values)  # added as Brain-Score does
    assert lazy.attrs["identifier"] == "x.public" and lazy.attrs["stimulus_set_identifier"] == hvm.identifier
    table = hvm.table.set_index("stimulus_id")
    for column in ("object_name", "category_name", "variation", "filename"):  # CSV columns joined by stimulus id
        expected = table.loc[lazy["stimulus_id"].values, column].to_numpy()
        assert np.array_equal(lazy[column].values, expected), column


def test_a_region_is_read_in_blocks_without_the_other(majajhong):
    lazy = open_assembly(majajhong["assy_dicarlo_MajajHong2015_public.nc"])
    it = np.flatnonzero(lazy["region"].values == "IT")
    blocks = []

    def record(block: xr.DataArray) -> xr.DataArray:
        blocks.append(dict(block.sizes))
        return block

    loaded = load_in_blocks(lazy.isel(neuroid=it), max_block_bytes=100 * len(it) * 4, reduce=record)
    assert set(loaded["region"].values) == {"IT"} and loaded.sizes["neuroid"] == len(it)
    assert all(b["presentation"] <= 100 and b["neuroid"] == len(it) for b in blocks) and len(blocks) > 2
    whole = xr.open_dataarray(majajhong["assy_dicarlo_MajajHong2015_public.nc"], engine="h5netcdf").isel(neuroid=it)
    np.testing.assert_array_equal(loaded.values, whole.values)


def test_each_block_is_reduced_before_the_next_is_read(synthetic_neural_files):
    path = synthetic_neural_files["assy_movshon_FreemanZiemba2013_public.nc"].path
    lazy = open_assembly(path)
    selection = lazy.isel(time_bin=slice(50, 200))
    mean = load_in_blocks(selection, reduce=lambda block: block.mean("time_bin"), max_block_bytes=2**16)
    assert mean.dims == ("neuroid", "presentation")
    np.testing.assert_allclose(mean.values, selection.load().mean("time_bin").values, rtol=0, atol=1e-15)


def test_a_presentation_whose_stimulus_is_not_in_the_set_is_an_error(majajhong, hvm):
    fewer = hvm.subset(hvm.stimulus_ids[1:], identifier="hvm-public")
    with pytest.raises(DataError, match=r"1 stimulus ids are not in stimulus set 'hvm-public'"):
        open_assembly(majajhong["assy_dicarlo_MajajHong2015_public.nc"], stimuli=fewer)


def test_columns_the_assembly_has_keep_the_assemblys_values():
    array = xr.DataArray(
        np.zeros((2, 1)),
        dims=("presentation", "neuroid"),
        coords={"stimulus_id": ("presentation", ["a", "b"]), "object_name": ("presentation", ["x", "y"])},
    )
    stimuli = stimulus_set(
        "s", {"stimulus_id": ["b", "a"], "object_name": ["B", "A"], "size": [2, 1]}, images=[np.zeros((2, 2, 3))] * 2
    )
    joined = join_stimulus_set(array, stimuli)
    assert list(joined["object_name"].values) == ["x", "y"] and list(joined["size"].values) == [1, 2]


def test_legacy_levels_and_several_variables(tmp_path):
    path = tmp_path / "legacy.nc"
    xr.Dataset(
        {
            "__xarray_dataarray_variable__": (("presentation", "choice"), np.eye(2)),
            "stimulus_path": ("presentation", ["p1", "p2"]),
            "choice_": ("choice", ["dog", "cat"]),
            "image_id": ("presentation", ["i1", "i2"]),
        }
    ).to_netcdf(path, engine="h5netcdf")
    loaded = load_assembly(path)
    assert list(loaded["choice"].values) == ["dog", "cat"] and list(loaded["stimulus_id"].values) == ["i1", "i2"]
    assert list(loaded["stimulus_path"].values) == ["p1", "p2"]
    ambiguous = tmp_path / "ambiguous.nc"
    xr.Dataset({"a": ("presentation", [1.0]), "b": ("presentation", [2.0])}).to_netcdf(ambiguous, engine="h5netcdf")
    with pytest.raises(DataError, match=r"ambiguous\.nc holds 2 variables \['a', 'b'\]"):
        open_assembly(ambiguous)


def _repetitions(**extra):
    ids = ["c", "a", "b", "a", "c", "b"]
    coords = {"stimulus_id": ("presentation", ids), "repetition": ("presentation", [0, 0, 0, 1, 1, 1])}
    coords.update({name: ("presentation", values) for name, values in extra.items()})
    return xr.DataArray(np.arange(6.0)[:, None], dims=("presentation", "neuroid"), coords=coords)


def test_averaging_order_is_brainscores_sorted_groups():
    # Brain-Score groups by every presentation coord but repetition, in coord order, and sorts the groups
    assembly = _repetitions(group=["x", "y", "y", "y", "x", "y"])  # sorted by (stimulus_id, group): a, b, c
    averaged = average_repetitions(brainscore_average_order(assembly))
    assert list(averaged["stimulus_id"].values) == ["a", "b", "c"]
    np.testing.assert_array_equal(averaged.values[:, 0], [2.0, 3.5, 2.0])
    first = assembly.drop_vars("stimulus_id").assign_coords(  # a coord before stimulus_id decides first
        rank=("presentation", [0, 2, 1, 2, 0, 1]), stimulus_id=("presentation", assembly["stimulus_id"].values)
    )
    assert list(average_repetitions(brainscore_average_order(first))["stimulus_id"].values) == ["c", "b", "a"]


def test_a_coord_varying_within_a_stimulus_cannot_be_averaged_as_brainscore_does():
    with pytest.raises(DataError, match=r"coord 'session' varies within stimulus"):
        brainscore_average_order(_repetitions(session=[0, 0, 0, 0, 0, 1]))


def test_brainscores_ceiled_score_is_not_clipped():
    raw, ceiling = Score(value=0.9, error=0.01), Score(value=0.5, error=0.02)
    assert float(ceil_squared(raw, ceiling)) == 1.0
    unclipped = ceil_squared(raw, ceiling, clip=False)
    assert float(unclipped) == pytest.approx(1.62) and unclipped.attrs["clipping"].startswith("none")


def test_the_synthetic_files_have_the_real_layout(synthetic_neural_files):
    import h5py

    with h5py.File(synthetic_neural_files["assy_dicarlo_MajajHong2015_public.nc"].path) as handle:
        data = handle["dicarlo.MajajHong2015.public"]
        assert data.dtype == np.float32 and data.compression is None
        assert "presentation" in handle and "presentation" not in handle[data.name].attrs["coordinates"].split()
    table = pd.read_csv(synthetic_neural_files["stimulus_hvm-public.csv"].path)
    assert {"image_id", "filename", "object_name", "variation", "category_name"} <= set(table.columns)
    assert "stimulus_id" not in table.columns
