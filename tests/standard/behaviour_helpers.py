"""Small deterministic models for the behavioural standard-benchmark tests (no torch, no weights)."""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from brainscore_core import BrainModel, Task, behavioral_assembly
from brainscore_core.commitment import ProbabilitiesReadout, label_choices
from brainscore_core.stimuli import StimulusSet
from brainscore_core.testing import shrunk_pixels

IMAGENET_CLASSES = 1000


class ShrunkLabelModel(BrainModel):
    """Each image shrunk to ``size x size`` RGB pixels, minus 0.5, then a fixed seeded linear map to 1000 "ImageNet"
    logits.

    ``label`` task: the 16-class mapping's label with the highest mean softmax probability (the project's
    readout); ``probabilities`` task: a logistic regression on the shrunk pixels, fitted on the fitting stimuli's
    ``image_label``. Records what it was shown: :attr:`shown` (identifier, visual degrees, trials).
    """

    def __init__(self, size: int = 4, seed: int = 0, degrees: float = 8.0) -> None:
        self.identifier = f"shrunk-label-{size}"
        self.size, self.degrees = size, degrees
        self.weights = np.random.default_rng(seed).normal(size=(size * size * 3, IMAGENET_CLASSES))
        self.task: Task | None = None
        self.mapping: dict[str, list[int]] | None = None
        self.readout: ProbabilitiesReadout | None = None
        self.shown: list[tuple[str, float | None, int]] = []

    def visual_degrees(self) -> float:
        return self.degrees

    def start_task(self, task: Task | str, fitting_stimuli: Any = None) -> None:
        self.task = Task(task)
        if self.task is Task.label:
            self.mapping = fitting_stimuli
        elif self.task is Task.probabilities:
            features = shrunk_pixels(fitting_stimuli, self.size)
            self.readout = ProbabilitiesReadout().fit(features, fitting_stimuli["image_label"].to_numpy())

    def look_at(self, stimuli: StimulusSet, number_of_trials: int = 1) -> xr.DataArray:
        self.shown.append((stimuli.identifier, stimuli.visual_degrees, number_of_trials))
        features = shrunk_pixels(stimuli, self.size)
        if self.task is Task.label:
            assert self.mapping is not None
            labels = label_choices((features - 0.5) @ self.weights, self.mapping)
            return behavioral_assembly(labels, stimulus_id=stimuli.stimulus_ids)
        assert self.task is Task.probabilities and self.readout is not None
        return behavioral_assembly(
            self.readout.predict_proba(features), stimulus_id=stimuli.stimulus_ids, choices=self.readout.classes
        )


class ReplayLabelModel(BrainModel):
    """Answers from a fixed ``{stimulus_id: label}`` table (e.g. one observer's or a CNN's decisions)."""

    def __init__(self, identifier: str, answers: dict[str, str]) -> None:
        self.identifier, self.answers = identifier, answers

    def start_task(self, task: Task | str, fitting_stimuli: Any = None) -> None:
        assert Task(task) is Task.label

    def look_at(self, stimuli: StimulusSet, number_of_trials: int = 1) -> xr.DataArray:
        ids = stimuli.stimulus_ids[::-1]  # reversed: the benchmark must reorder
        return behavioral_assembly([self.answers[s] for s in ids], stimulus_id=ids)
