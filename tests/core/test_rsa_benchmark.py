"""brainscore_core.benchmarks.RSABenchmark: the generic RSA benchmark, on ten synthetic images."""

import numpy as np
import pytest
from scipy.stats import spearmanr

import brainscore_core
from brainscore_core import RSABenchmark, Score, Task, load_ceiling, rdm_assembly, stimulus_set
from brainscore_core.errors import IncompatibleModelError
from brainscore_core.testing import ShrunkPixelsModel, shrunk_pixels

N_IMAGES = 10
UPPER = np.triu_indices(N_IMAGES, k=1)
SUBJECTS = ["ann", "bob", "cat"]


@pytest.fixture(scope="module")
def stimuli():
    rng = np.random.default_rng(0)
    images = [rng.integers(0, 256, size=(8, 8, 3), dtype=np.uint8) for _ in range(N_IMAGES)]
    return stimulus_set("rsa-test", {"stimulus_id": [f"s{i}" for i in range(N_IMAGES)]}, images=images)


def noisy_rdms(stimuli, subjects=SUBJECTS):
    """The 2x2 shrunk-pixels model's own RDM plus symmetric noise, one per subject."""
    rng = np.random.default_rng(1)
    model_rdm = 1 - np.corrcoef(shrunk_pixels(stimuli, 2))
    rdms = []
    for _ in subjects:
        noise = rng.uniform(0, 0.6, size=(N_IMAGES, N_IMAGES))
        rdm = model_rdm + (noise + noise.T) / 2
        np.fill_diagonal(rdm, 0.0)
        rdms.append(rdm)
    return rdm_assembly(np.stack(rdms), stimulus_id=stimuli.stimulus_ids, subject=subjects)


def expected_per_subject(features, rdms):
    model_rdm = 1 - np.corrcoef(features)
    return np.array([spearmanr(model_rdm[UPPER], rdm[UPPER])[0] for rdm in rdms.values])


def make(shown, **kwargs):
    arguments = {"rdms": lambda: noisy_rdms(shown), "stimuli": shown, "visual_degrees": 8, "region": "IT"}
    return RSABenchmark("Test.IT-rsa", **{**arguments, **kwargs})


def test_is_exported_from_the_package_and_from_benchmarks():
    assert brainscore_core.RSABenchmark is brainscore_core.benchmarks.RSABenchmark
    assert "RSABenchmark" in brainscore_core.__all__ and "RSABenchmark" in brainscore_core.benchmarks.__all__
    assert issubclass(RSABenchmark, brainscore_core.Benchmark)


def test_score_is_the_mean_spearman_over_subjects_ceiled_by_ratio(stimuli):
    benchmark = make(stimuli, ceiling_func=load_ceiling("rsa_ceiling"), bibtex="@misc{x}", version=3)
    score = benchmark(ShrunkPixelsModel(size=2))
    per_subject = expected_per_subject(shrunk_pixels(stimuli, 2), noisy_rdms(stimuli))
    ceiling = load_ceiling("rsa_ceiling")(noisy_rdms(stimuli))
    assert score.raw == pytest.approx(per_subject.mean(), abs=1e-12)
    assert score.raw_error == pytest.approx(per_subject.std() / np.sqrt(len(SUBJECTS)), abs=1e-12)
    assert score.ceiling == pytest.approx(float(ceiling), abs=1e-12)
    assert score.error == pytest.approx(score.raw_error / score.ceiling, abs=1e-12)  # ceiled like the score
    assert score.unclipped == pytest.approx(score.raw / score.ceiling, abs=1e-12)
    assert float(score) == pytest.approx(min(max(score.raw / score.ceiling, 0.0), 1.0), abs=1e-12)
    assert score.attrs["ceiling_formula"] == "raw / ceiling"
    assert list(score.details["subject"]["subject"].values) == SUBJECTS
    assert score.benchmark_identifier == "Test.IT-rsa" and score.benchmark_version == 3
    assert score.model_identifier == "shrunk-pixels-2" and score.attrs["layer"] == "pixels2"


@pytest.mark.parametrize(("raw", "ceiling", "value"), [(0.8, 0.5, 1.0), (-0.3, 0.5, 0.0), (0.2, 0.5, 0.4)])
def test_ceiled_score_is_raw_over_ceiling_clipped_to_0_1(stimuli, raw, ceiling, value):
    benchmark = make(
        stimuli,
        metric=lambda source, target: Score(raw, error=0.01),
        ceiling_func=lambda rdms: Score(ceiling, error=0.0),
    )
    score = benchmark(ShrunkPixelsModel(size=2))
    assert float(score) == pytest.approx(value)
    assert score.unclipped == pytest.approx(raw / ceiling)
    assert score.raw == raw and score.ceiling == ceiling


def test_without_a_ceiling_the_value_is_the_raw_score_and_the_reason_is_kept(stimuli):
    benchmark = make(stimuli, metric=lambda s, t: Score(1.4, error=0.0), no_ceiling_reason="one pooled RDM")
    assert benchmark.ceiling is None
    score = benchmark(ShrunkPixelsModel(size=2))
    assert score.ceiling is None and float(score) == 1.0 and score.unclipped == 1.4
    assert score.attrs["no_ceiling_reason"] == "one pooled RDM"


def test_a_ceiling_that_cannot_be_estimated_gives_the_raw_score_with_the_default_reason(stimuli):
    single = noisy_rdms(stimuli, subjects=["only"])
    benchmark = make(stimuli, rdms=single, ceiling_func=load_ceiling("rsa_ceiling"))
    score = benchmark(ShrunkPixelsModel(size=2))
    assert score.ceiling is None
    assert float(score) == pytest.approx(expected_per_subject(shrunk_pixels(stimuli, 2), single)[0], abs=1e-12)
    assert score.attrs["no_ceiling_reason"] == "no ceiling is defined for these data"


def test_the_default_metric_is_rsa_and_parent_defaults_to_the_region(stimuli):
    benchmark = make(stimuli)
    assert benchmark.metric.identifier == "rsa"
    assert benchmark.parent == "neural.IT" and benchmark.region == "IT" and benchmark.task is None


def test_data_and_stimuli_are_loaded_once_on_first_use(stimuli):
    calls = []

    def load_rdms():
        calls.append("rdms")
        return noisy_rdms(stimuli)

    def load_stimuli():
        calls.append("stimuli")
        return stimuli

    benchmark = make(stimuli, rdms=load_rdms, stimuli=load_stimuli)
    assert calls == []
    benchmark(ShrunkPixelsModel(size=2))
    benchmark(ShrunkPixelsModel(size=2))
    assert sorted(calls) == ["rdms", "stimuli"]
    assert benchmark.assembly.dims == ("subject", "stimulus_a", "stimulus_b")


def test_a_task_benchmark_asks_for_the_task_and_names_its_parent(stimuli):
    benchmark = make(stimuli, region=None, task="readout", parent="behavioral.similarity_judgement")
    assert benchmark.task is Task.readout and benchmark.region is None
    model = ShrunkPixelsModel(size=2, regions=())
    score = benchmark(model)
    per_subject = expected_per_subject(shrunk_pixels(stimuli, 2), noisy_rdms(stimuli))
    assert score.raw == pytest.approx(per_subject.mean(), abs=1e-12)
    with pytest.raises(IncompatibleModelError, match="readout"):
        benchmark(ShrunkPixelsModel(size=2, readout=False))


def test_a_model_without_the_region_is_incompatible(stimuli):
    with pytest.raises(IncompatibleModelError, match="IT"):
        make(stimuli)(ShrunkPixelsModel(size=2, regions=("V4",)))


def test_needs_exactly_one_of_region_and_task(stimuli):
    with pytest.raises(ValueError, match=r"exactly one of region .* or task"):
        make(stimuli, region=None)
    with pytest.raises(ValueError, match="exactly one"):
        make(stimuli, task=Task.readout)


def test_a_task_benchmark_without_parent_says_how_to_name_it(stimuli):
    with pytest.raises(ValueError, match=r"'Test.IT-rsa' scores a task, so name its parent, e\.g\. parent="):
        make(stimuli, region=None, task=Task.readout)


def test_a_single_time_bin_is_dropped_before_the_metric(stimuli):
    class OneTimeBin(ShrunkPixelsModel):
        def look_at(self, stimuli, number_of_trials=1):
            return super().look_at(stimuli, number_of_trials).expand_dims(time_bin=1, axis=-1)

    score = make(stimuli)(OneTimeBin(size=2))
    assert score.raw == pytest.approx(make(stimuli)(ShrunkPixelsModel(size=2)).raw, abs=1e-12)


def test_subclasses_override_the_public_model_responses_hook(stimuli):
    class FirstThreePixels(RSABenchmark):
        def model_responses(self, candidate):
            return super().model_responses(candidate).isel(neuroid=slice(0, 3))

    benchmark = FirstThreePixels(
        "Test.IT-rsa", rdms=noisy_rdms(stimuli), stimuli=stimuli, visual_degrees=8, region="IT"
    )
    score = benchmark(ShrunkPixelsModel(size=2))
    per_subject = expected_per_subject(shrunk_pixels(stimuli, 2)[:, :3], noisy_rdms(stimuli))
    assert score.raw == pytest.approx(per_subject.mean(), abs=1e-12)
