"""FreemanZiemba2013public V1 / V2: built without data, Brain-Score's definition, and pinned numbers on synthetic
data in the real layout (agreement with Brain-Score's own classes: benchmarks/crosscheck_benchmarks.py)."""

from __future__ import annotations

import pytest

from brainscore_core import load_benchmark
from brainscore_core.config import configure
from brainscore_core.synthetic_brainio import synthetic_catalog, write_freemanziemba2013_public
from brainscore_core.testing import ShrunkPixelsModel

#: (ceiling, raw, ceiled) of ShrunkPixelsModel(8) on write_freemanziemba2013_public()'s files
PINNED = {"V1": (0.919819, 0.612471, 0.407821), "V2": (0.898036, 0.657651, 0.481613)}


@pytest.mark.parametrize("region", ["V1", "V2"])
def test_definition(region):
    benchmark = load_benchmark(f"FreemanZiemba2013public.{region}-pls")  # no data needed to build it
    assert (benchmark.visual_degrees, benchmark.number_of_trials, benchmark.time_bins) == (4, 20, [(50, 200)])
    assert benchmark.version == 1 and "freeman2013functional" in benchmark.bibtex
    assert benchmark.metric.stratification_coord == "texture_type" and benchmark.metric.split_order == "given"


@pytest.mark.parametrize("region", ["V1", "V2"])
def test_pinned_on_synthetic_data(region, tmp_path, monkeypatch):
    files = write_freemanziemba2013_public(tmp_path / "mirror")
    monkeypatch.setenv("BRAINSCORE_DATA_MIRROR", str(tmp_path / "mirror"))
    monkeypatch.setenv("BRAINIO_HOME", str(tmp_path / "no-brainio"))
    with configure(cache_dir=tmp_path / "cache", progress=False), synthetic_catalog(files):
        score = load_benchmark(f"FreemanZiemba2013public.{region}-pls")(ShrunkPixelsModel(size=8, regions=(region,)))
    assert (score.ceiling, score.raw, float(score)) == pytest.approx(PINNED[region], abs=1e-6)
