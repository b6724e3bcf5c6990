"""Tests of Kriegeskorte2008.hIT-rsa with a tiny pixel model."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import spearmanr

from brainscore_core import load_benchmark, load_dataset, load_stimulus_set
from brainscore_core.errors import IncompatibleModelError
from brainscore_core.testing import ShrunkPixelsModel, shrunk_pixels

UPPER = np.triu_indices(92, k=1)


def expected_rsa(features: np.ndarray, subject_rdms: np.ndarray) -> np.ndarray:
    """Spearman between the model's 1 - Pearson RDM and each subject's RDM, straight from numpy/scipy."""
    model_rdm = 1 - np.corrcoef(features)
    return np.array([spearmanr(model_rdm[UPPER], rdm[UPPER])[0] for rdm in subject_rdms])


@pytest.fixture(scope="module")
def benchmark():
    return load_benchmark("Kriegeskorte2008.hIT-rsa")


@pytest.fixture(scope="module")
def score(benchmark):
    return benchmark(ShrunkPixelsModel(size=8))


def test_benchmark_declares_its_metadata(benchmark):
    assert benchmark.identifier == "Kriegeskorte2008.hIT-rsa"
    assert benchmark.version == 1
    assert benchmark.parent == "neural.IT"
    assert benchmark.region == "IT"
    assert "Kriegeskorte" in benchmark.bibtex and "Neuron" in benchmark.bibtex
    assert benchmark.visual_degrees == 8.0
    stimuli = benchmark.stimuli
    assert len(stimuli) == 92 and stimuli.visual_degrees == 8.0


def test_ceiling_is_the_upper_bound_with_the_lower_bound_kept(benchmark):
    ceiling = benchmark.ceiling
    assert float(ceiling) == pytest.approx(0.661, abs=1e-3)
    assert ceiling.attrs["lower"] == pytest.approx(0.379, abs=1e-3)


def test_score_matches_an_independent_computation(score):
    features = shrunk_pixels(load_stimulus_set("Kriegeskorte2008.92images"), 8)
    per_subject = expected_rsa(features, load_dataset("Kriegeskorte2008.hIT").values)
    assert score.raw == pytest.approx(per_subject.mean(), abs=1e-9)
    assert score.raw_error == pytest.approx(per_subject.std() / np.sqrt(4), abs=1e-9)
    assert score.error == pytest.approx(score.raw_error / score.ceiling, abs=1e-12)  # on the ceiled scale
    assert score.ceiling == pytest.approx(0.661, abs=1e-3)
    assert score.unclipped == pytest.approx(score.raw / score.ceiling, abs=1e-12)
    assert score.value == pytest.approx(min(max(score.raw / score.ceiling, 0.0), 1.0))
    assert score.attrs["ceiling_lower"] == pytest.approx(0.379, abs=1e-3)


def test_score_carries_identifiers_and_recording_details(score):
    assert score.benchmark_identifier == "Kriegeskorte2008.hIT-rsa"
    assert score.benchmark_version == 1
    assert score.model_identifier == "shrunk-pixels-8"
    assert score.attrs["layer"] == "pixels8"
    assert list(score.details["subject"]["subject"].values) == ["BE", "KO", "SN", "TI"]


def test_model_without_it_is_incompatible(benchmark):
    with pytest.raises(IncompatibleModelError, match="IT"):
        benchmark(ShrunkPixelsModel(regions=("V4",)))
