"""Tests of Mur2013.similarity-rsa: the model's readout-layer RDM against 16 subjects' similarity judgements."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import spearmanr

from brainscore_core import load_benchmark, load_dataset, load_stimulus_set
from brainscore_core.brain_model import Task
from brainscore_core.errors import IncompatibleModelError
from brainscore_core.testing import ShrunkPixelsModel, shrunk_pixels

UPPER = np.triu_indices(92, k=1)


@pytest.fixture(scope="module")
def benchmark():
    return load_benchmark("Mur2013.similarity-rsa")


def test_benchmark_declares_its_metadata(benchmark):
    assert benchmark.identifier == "Mur2013.similarity-rsa"
    assert benchmark.version == 1
    assert benchmark.parent.startswith("behavioral.")
    assert benchmark.task is Task.readout and benchmark.region is None
    assert "Mur" in benchmark.bibtex
    assert benchmark.visual_degrees == 8.0
    assert len(benchmark.stimuli) == 92


def test_ceiling_from_the_16_subjects(benchmark):
    assert float(benchmark.ceiling) == pytest.approx(0.575, abs=1e-3)
    assert benchmark.ceiling.attrs["lower"] == pytest.approx(0.478, abs=1e-3)


def test_score_uses_the_readout_features(benchmark):
    score = benchmark(ShrunkPixelsModel(size=8))
    features = shrunk_pixels(load_stimulus_set("Kriegeskorte2008.92images"), 8)
    model_rdm = 1 - np.corrcoef(features)
    judgements = load_dataset("Mur2013.similarity").values
    per_subject = [spearmanr(model_rdm[UPPER], rdm[UPPER])[0] for rdm in judgements]
    assert score.raw == pytest.approx(np.mean(per_subject), abs=1e-9)
    assert score.ceiling == pytest.approx(0.575, abs=1e-3)
    assert score.value == pytest.approx(min(max(score.raw / score.ceiling, 0.0), 1.0))
    assert score.details["subject"].sizes["subject"] == 16
    assert score.benchmark_identifier == "Mur2013.similarity-rsa" and score.benchmark_version == 1


def test_model_without_a_readout_is_incompatible(benchmark):
    with pytest.raises(IncompatibleModelError, match="readout"):
        benchmark(ShrunkPixelsModel(readout=False))
