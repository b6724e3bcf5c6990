"""Geirhos2021 benchmarks: pinned ceilings and the scores of ResNet-50's published decisions (offline sets)."""

import functools

import pytest

from brainscore_core import BrainModel, Task, behavioral_assembly, load_benchmark, load_dataset

from .benchmark import DATASETS, EXCLUDE_CONDITIONS, benchmark_prefix


@functools.cache
def benchmark(identifier):
    return load_benchmark(identifier)


class Replay(BrainModel):
    identifier = "resnet50_reference"

    def __init__(self, answers):
        self.answers = answers

    def start_task(self, task, fitting_stimuli=None):
        assert Task(task) is Task.label and len(fitting_stimuli) == 16

    def look_at(self, stimuli, number_of_trials=1):
        return behavioral_assembly([self.answers[s] for s in stimuli.stimulus_ids], stimulus_id=stimuli.stimulus_ids)


def resnet50(experiment):
    decisions = load_dataset(f"Geirhos2019.{experiment}.resnet50_reference")
    return Replay(dict(zip(decisions["stimulus_id"].values, decisions.values, strict=True)))


def test_17_data_sets_and_brainscores_exclusions():
    assert len(DATASETS) == 17 and set(EXCLUDE_CONDITIONS) < set(DATASETS)
    assert benchmark_prefix("phase-scrambling") == "Geirhos2021phasescrambling"
    assert {"cue-conflict", "edge", "silhouette", "sketch", "stylized"}.isdisjoint(EXCLUDE_CONDITIONS)


# ceilings equal Brain-Score's pinned 0.33105 / 0.31844 / 0.47571; scores of the authors' ResNet-50 decisions
@pytest.mark.parametrize(
    "dataset, experiment, ceiling, raw, top1",
    [
        ("cue-conflict", "cue_conflict", 0.3310516766, 0.0674328466, 0.175),
        ("edge", "edges", 0.3184364338, 0.0452568246, 0.18125),
        ("silhouette", "silhouettes", 0.4757093215, 0.4462229352, 0.54375),
    ],
)
def test_offline_benchmarks_pinned(dataset, experiment, ceiling, raw, top1):
    consistency = benchmark(f"{benchmark_prefix(dataset)}-error_consistency")
    result = consistency(resnet50(experiment))
    assert result.ceiling == pytest.approx(ceiling, abs=1e-9) and result.raw == pytest.approx(raw, abs=1e-9)
    assert float(result) == pytest.approx(min(raw / ceiling, 1.0), abs=1e-9)
    accuracy = benchmark(f"{benchmark_prefix(dataset)}-top1")(resnet50(experiment))
    assert float(accuracy) == pytest.approx(top1, abs=1e-12)
