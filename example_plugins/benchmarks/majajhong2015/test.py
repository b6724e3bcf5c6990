"""MajajHong2015public V4 / IT: built without data, Brain-Score's definition, and pinned numbers on synthetic data
in the real layout (agreement with Brain-Score's own classes: benchmarks/crosscheck_benchmarks.py)."""

from __future__ import annotations

import pytest

from brainscore_core import load_benchmark
from brainscore_core.config import configure
from brainscore_core.synthetic_brainio import synthetic_catalog, write_majajhong2015_public
from brainscore_core.testing import ShrunkPixelsModel

#: (ceiling, raw, ceiled) of ShrunkPixelsModel(8) on write_majajhong2015_public()'s files
PINNED = {"V4": (0.764656, 0.749091, 0.733843), "IT": (0.744041, 0.689380, 0.638734)}


@pytest.mark.parametrize("region", ["V4", "IT"])
def test_definition(region):
    benchmark = load_benchmark(f"MajajHong2015public.{region}-pls")  # no data needed to build it
    assert (benchmark.visual_degrees, benchmark.number_of_trials, benchmark.time_bins) == (8, 50, [(70, 170)])
    assert benchmark.version == 4 and "Majaj13402" in benchmark.bibtex
    assert benchmark.metric.stratification_coord == "object_name" and benchmark.metric.split_order == "given"


@pytest.mark.parametrize("region", ["V4", "IT"])
def test_pinned_on_synthetic_data(region, tmp_path, monkeypatch):
    files = write_majajhong2015_public(tmp_path / "mirror")
    monkeypatch.setenv("BRAINSCORE_DATA_MIRROR", str(tmp_path / "mirror"))
    monkeypatch.setenv("BRAINIO_HOME", str(tmp_path / "no-brainio"))
    with configure(cache_dir=tmp_path / "cache", progress=False), synthetic_catalog(files):
        score = load_benchmark(f"MajajHong2015public.{region}-pls")(ShrunkPixelsModel(size=8))
    assert (score.ceiling, score.raw, float(score)) == pytest.approx(PINNED[region], abs=1e-6)
