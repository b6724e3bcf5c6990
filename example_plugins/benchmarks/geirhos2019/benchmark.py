"""Geirhos et al. (2019) behavioural and engineering benchmarks on cue-conflict, edge and silhouette images.

The model names each image with one of 16 entry-level classes (``Task.label`` with the mapping
``{category: [ImageNet indices]}`` from the data plugin; a model without ImageNet labels raises
:class:`~brainscore_core.errors.IncompatibleModelError`, which propagates).

Visual degrees: 3. We could not find the displayed size in the parts of the ICLR 2019 paper we checked (it
gives 200 ms presentation followed by a 1/f noise mask); 3 degrees is the value Brain-Score's benchmarks on the
same stimuli from the same lab use (its Geirhos2021 cue-conflict, edge and silhouette error-consistency
benchmarks) and this project's default for these data (issue 6). Bump ``version`` if a source for a different
size turns up. The behavioural benchmarks (shape bias, error consistency) show the images at 3 degrees. The
engineering ``-top1`` benchmarks, like Brain-Score's ``Geirhos2021<experiment>-top1``, do not place the images
on a screen: each image fills the model's field of view (version 2; version 1 showed them at 3 degrees).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import xarray as xr

from brainscore_core.assemblies import behavioral_assembly, coord_values
from brainscore_core.benchmarks import Benchmark, attach_recording_details, shuffle_stimulus_ids, with_shuffled_null
from brainscore_core.brain_model import Task
from brainscore_core.cache import assembly_hash, callable_identity
from brainscore_core.loading import load_ceiling, load_dataset, load_metric, load_stimulus_set
from brainscore_core.score import Score, ceil_ratio

from .decisions import decisions_with_metadata

if TYPE_CHECKING:
    from brainscore_core.brain_model import BrainModel
    from brainscore_core.stimuli import StimulusSet

__all__ = [
    "BIBTEX",
    "CATEGORY_MAPPING",
    "VISUAL_DEGREES",
    "Geirhos2019Accuracy",
    "Geirhos2019Benchmark",
    "Geirhos2019ErrorConsistency",
    "Geirhos2019ShapeBias",
]

VISUAL_DEGREES = 3.0
CATEGORY_MAPPING = "Geirhos2019.imagenet_16class"
BIBTEX = """@inproceedings{geirhos2019imagenettrained,
  title={ImageNet-trained {CNNs} are biased towards texture; increasing shape bias improves accuracy and robustness},
  author={Geirhos, Robert and Rubisch, Patricia and Michaelis, Claudio and Bethge, Matthias and
          Wichmann, Felix A. and Brendel, Wieland},
  booktitle={International Conference on Learning Representations},
  year={2019},
  url={https://openreview.net/forum?id=Bygh9j09KX}
}"""


class Geirhos2019Benchmark(Benchmark):
    """Shared part: show one experiment's stimuli (at 3 degrees; top-1: filling the model's field) and collect
    the model's 16-way decisions."""

    version = 1
    bibtex = BIBTEX
    visual_degrees = VISUAL_DEGREES

    def __init__(self, experiment: str, measure: str) -> None:
        self.experiment = experiment
        self.identifier = f"Geirhos2019.{experiment}-{measure}"
        self._stimuli = lambda: load_stimulus_set(f"Geirhos2019.{experiment}")  # loaded on first use
        self._human_trials = lambda: load_dataset(f"Geirhos2019.{experiment}")  # loaded on first use

    @property
    def human_trials(self) -> xr.DataArray:
        """The 10 observers' trials (one row per trial)."""
        return self._loaded("_human_trials")

    def shown_stimuli(self, candidate: BrainModel) -> StimulusSet:
        """The stimuli as shown to ``candidate``: at the benchmark's :attr:`visual_degrees`."""
        return self.stimuli

    def model_decisions(self, candidate: BrainModel) -> xr.DataArray:
        """Ask ``candidate`` to label every stimulus; one decision per stimulus with truth and metadata coords."""
        candidate.start_task(Task.label, load_dataset(CATEGORY_MAPPING))
        stimuli = self.shown_stimuli(candidate)
        answers = candidate.look_at(stimuli, number_of_trials=1)
        return decisions_with_metadata(answers, stimuli, model=getattr(candidate, "identifier", "model"))

    def _finish_with_details(self, score: Score, candidate: BrainModel) -> Score:
        attach_recording_details(score, candidate)
        return self._finish(score, candidate)


class Geirhos2019ShapeBias(Geirhos2019Benchmark):
    """``Geirhos2019.cue_conflict-shape_bias``: how close the model's shape bias is to the humans'.

    Shape bias = shape decisions / (shape + texture decisions) over the 1200 conflict images (the ``shape_bias``
    metric). Score = 1 - |model - human| with human = the mean of the 10 observers' shape biases; no ceiling,
    so the score is the raw value. Both biases are on the Score (``attrs['model_shape_bias']``,
    ``attrs['human_shape_bias']``; per observer in ``details['subject_shape_bias']``); the error is the
    standard error of the observers' mean.
    """

    parent = "behavioral.shape_bias"

    def __init__(self) -> None:
        super().__init__("cue_conflict", "shape_bias")

    def __call__(self, candidate: BrainModel) -> Score:
        decisions = self.model_decisions(candidate)
        raw = load_metric("shape_bias")(decisions, self.human_trials)
        return self._finish_with_details(ceil_ratio(raw, None), candidate)


class Geirhos2019ErrorConsistency(Geirhos2019Benchmark):
    """``Geirhos2019.<experiment>-error_consistency``: trial-by-trial error consistency (Geirhos et al. 2020).

    Raw: ``error_consistency`` between the model's correctness and each observer's (for cue-conflict, correct
    means the shape class). Ceiling: the same between all observer pairs. Score: raw / ceiling, clipped to
    [0, 1].
    """

    parent = "behavioral.error_consistency"

    def __init__(self, experiment: str) -> None:
        super().__init__(experiment, "error_consistency")

    def _ceiling_cache_key(self) -> dict[str, Any]:
        """The human trials' content and the ceiling's code: the ceiling and its null are computed once."""
        ceiling = load_ceiling("error_consistency_ceiling")
        return {"data": assembly_hash(self.human_trials), "ceiling": callable_identity(ceiling)}

    def _compute_ceiling(self) -> Score | None:
        """The observers' error consistency, with its null: the same with each observer's stimulus ids permuted
        within each condition (see :func:`brainscore_core.benchmarks.with_shuffled_null`)."""
        ceiling, trials = load_ceiling("error_consistency_ceiling"), self.human_trials
        return with_shuffled_null(
            ceiling(trials),
            lambda rng: ceiling(shuffle_stimulus_ids(trials, rng, within=("subject", "condition"))),
            "stimulus_id permuted within each subject and condition",
        )

    def __call__(self, candidate: BrainModel) -> Score:
        decisions = self.model_decisions(candidate)
        raw = load_metric("error_consistency")(decisions, self.human_trials)
        return self._finish_with_details(ceil_ratio(raw, self.ceiling), candidate)


class Geirhos2019Accuracy(Geirhos2019Benchmark):
    """``Geirhos2019.<experiment>-top1``: 16-way accuracy against the true class (engineering); ceiling 1.

    As in Brain-Score's engineering ``Geirhos2021<experiment>-top1`` benchmarks, the images are not placed on a
    screen of the humans' geometry: each fills the model's field of view (the stimuli are declared at the
    model's own ``visual_degrees()``). :attr:`visual_degrees` (3) stays the data's viewing geometry.
    """

    parent = "engineering.object_recognition"
    version = 2  # 2: images fill the model's field of view; 1: shown at 3 degrees

    def __init__(self, experiment: str) -> None:
        super().__init__(experiment, "top1")

    def shown_stimuli(self, candidate: BrainModel) -> StimulusSet:
        """The stimuli declared at the model's own visual degrees, so no placement (shrinking, padding) happens."""
        return self.stimuli.with_visual_degrees(candidate.visual_degrees())

    def _compute_ceiling(self) -> Score:
        return Score(1.0, error=0.0, attrs={"note": "perfect accuracy"})

    def __call__(self, candidate: BrainModel) -> Score:
        decisions = self.model_decisions(candidate)
        truth = behavioral_assembly(
            coord_values(decisions, "truth"), stimulus_id=coord_values(decisions, "stimulus_id")
        )
        raw = load_metric("accuracy")(decisions, truth)
        return self._finish_with_details(ceil_ratio(raw, self.ceiling), candidate)
