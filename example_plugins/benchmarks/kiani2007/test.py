"""Tests of Kiani2007.mIT-rsa: a raw RSA score against the single monkey IT RDM, without a ceiling."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import spearmanr

from brainscore_core import load_benchmark, load_dataset, load_metric, load_stimulus_set
from brainscore_core.commitment import selection_benchmark
from brainscore_core.errors import IncompatibleModelError
from brainscore_core.testing import ShrunkPixelsModel, shrunk_pixels

UPPER = np.triu_indices(92, k=1)


@pytest.fixture(scope="module")
def benchmark():
    return load_benchmark("Kiani2007.mIT-rsa")


def test_benchmark_declares_its_metadata(benchmark):
    assert benchmark.identifier == "Kiani2007.mIT-rsa"
    assert benchmark.version == 1
    assert benchmark.parent == "neural.IT"
    assert benchmark.region == "IT"
    assert "Kiani" in benchmark.bibtex
    assert benchmark.visual_degrees == 8.0
    assert len(benchmark.stimuli) == 92
    assert benchmark.ceiling is None


def test_raw_score_is_the_spearman_with_the_monkey_rdm_and_no_ceiling_is_applied(benchmark):
    score = benchmark(ShrunkPixelsModel(size=8))
    features = shrunk_pixels(load_stimulus_set("Kriegeskorte2008.92images"), 8)
    model_rdm = 1 - np.corrcoef(features)
    expected = spearmanr(model_rdm[UPPER], load_dataset("Kiani2007.mIT").values[0][UPPER])[0]
    assert score.raw == pytest.approx(expected, abs=1e-9)
    assert score.ceiling is None
    assert score.value == pytest.approx(min(max(expected, 0.0), 1.0))
    assert "no noise ceiling" in score.attrs["no_ceiling_reason"]
    assert score.benchmark_identifier == "Kiani2007.mIT-rsa" and score.benchmark_version == 1
    assert score.model_identifier == "shrunk-pixels-8"


def test_human_group_it_as_a_model_reproduces_the_published_match():
    """The human group IT RDM scored as if it were a model RDM gives the published monkey-human rho of ~0.439."""
    score = load_metric("rsa")(load_dataset("Kriegeskorte2008.hIT-group"), load_dataset("Kiani2007.mIT"))
    assert float(score) == pytest.approx(0.439, abs=1e-3)


def test_model_without_it_is_incompatible(benchmark):
    with pytest.raises(IncompatibleModelError):
        benchmark(ShrunkPixelsModel(regions=("V4",)))


def test_registered_as_the_it_selection_benchmark():
    assert selection_benchmark("IT") == "Kiani2007.mIT-rsa"
