"""MajajHong2015public and FreemanZiemba2013public: registered offline, Brain-Score 2.4.2's definitions, and scores on
synthetic data in the real layout served through a mirror folder (pinned here; agreement with Brain-Score's own
classes on the same files: benchmarks/crosscheck_benchmarks.py)."""

from __future__ import annotations

import numpy as np
import pytest

from brainscore_core import load_benchmark
from brainscore_core.registry import benchmark_registry
from brainscore_core.testing import ShrunkPixelsModel

NEURAL = {
    # identifier: (region, degrees, trials, time bin, version, stratification, ceiling, raw, ceiled)
    "MajajHong2015public.V4-pls": ("V4", 8, 50, (70, 170), 4, "object_name", 0.764656, 0.749091, 0.733843),
    "MajajHong2015public.IT-pls": ("IT", 8, 50, (70, 170), 4, "object_name", 0.744041, 0.689380, 0.638734),
    "FreemanZiemba2013public.V1-pls": ("V1", 4, 20, (50, 200), 1, "texture_type", 0.919819, 0.612471, 0.407821),
    "FreemanZiemba2013public.V2-pls": ("V2", 4, 20, (50, 200), 1, "texture_type", 0.898036, 0.657651, 0.481613),
}


def test_the_four_benchmarks_are_registered_without_their_data():
    assert set(NEURAL) <= set(benchmark_registry)


@pytest.mark.parametrize("identifier", sorted(NEURAL))
def test_definition_is_brainscores(identifier):
    region, degrees, trials, time_bin, version, stratification, *_ = NEURAL[identifier]
    benchmark = load_benchmark(identifier)  # builds without data: nothing is read until it is used
    assert benchmark.identifier == identifier
    assert (benchmark.region, benchmark.visual_degrees, benchmark.number_of_trials) == (region, degrees, trials)
    assert benchmark.time_bins == [time_bin] and benchmark.version == version
    assert benchmark.parent == f"neural.{region}" and benchmark.bibtex.startswith("@article")
    metric = benchmark.metric
    assert (metric.stratification_coord, metric.split_order) == (stratification, "given")
    spec = metric.split_spec
    assert (spec.n_splits, spec.train_size, spec.random_state) == (10, 0.9, 1)
    assert metric.regression.n_components == 25


@pytest.mark.parametrize("identifier", sorted(NEURAL))
def test_scores_synthetic_data_from_a_mirror(identifier, neural_mirror):
    region, *_, ceiling, raw, ceiled = NEURAL[identifier]
    benchmark = load_benchmark(identifier)
    score = benchmark(ShrunkPixelsModel(size=8, regions=("V1", "V2", "V4", "IT")))
    assert set(np.unique(benchmark.assembly["region"].values)) == {region}
    assert (score.ceiling, score.raw, float(score)) == pytest.approx((ceiling, raw, ceiled), abs=1e-6)
    assert float(score) == pytest.approx(score.raw**2 / score.ceiling, abs=1e-12)


def test_data_not_laid_out_as_expected_is_an_error_naming_the_file(neural_mirror, monkeypatch):
    import xarray as xr

    from brainscore_core import load_dataset
    from brainscore_core.errors import DataError
    from example_plugins.benchmarks.freemanziemba2013 import benchmark as freemanziemba
    from example_plugins.benchmarks.majajhong2015 import benchmark as majajhong

    lazy = load_dataset("MajajHong2015.public")
    shifted = lazy.assign_coords(time_bin_start=("time_bin", [50]))
    monkeypatch.setattr(majajhong, "load_dataset", lambda identifier: shifted)
    with pytest.raises(
        DataError, match=r"assy_dicarlo_MajajHong2015_public\.nc: expected the one time bin \(70, 170\)"
    ):
        majajhong.load_region("IT")
    monkeypatch.setattr(majajhong, "load_dataset", lambda identifier: lazy)
    with pytest.raises(DataError, match=r"has no sites of region 'V1' \(regions: \['IT', 'V4'\]\)"):
        majajhong.load_region("V1")
    fz = load_dataset("FreemanZiemba2013.public")
    short: xr.DataArray = fz.isel(time_bin=slice(0, 150))
    monkeypatch.setattr(freemanziemba, "load_dataset", lambda identifier: short)
    with pytest.raises(DataError, match=r"the one-ms time bins \[\(150, 151\).* are missing"):
        freemanziemba.load_region("V1")
