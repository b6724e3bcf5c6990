"""Brain-Score's Geirhos2021 benchmarks on 17 data sets: error consistency (behaviour) and top-1 (engineering).

As Brain-Score 2.4.2 defines them (``benchmarks/geirhos2021/benchmark.py``):

- Human data ``Geirhos2021_<dataset>`` with the conditions in :data:`EXCLUDE_CONDITIONS` dropped (Brain-Score
  follows model-vs-human: no out-of-distribution manipulation, or human accuracy below 0.2); the stimulus set
  keeps the stimuli of the remaining trials; ``condition`` is then cast to ``str`` (``0.55`` -> ``'0.55'``). An
  excluded condition missing from the data is an error (Brain-Score asserts it), not a silent no-op.
- The model names each image with one of the 16 entry-level classes (``Task.label`` with the mapping
  ``{class: [ImageNet indices]}`` of data ``Geirhos2019.imagenet_16class``: Brain-Score's model-vs-human indices).
- ``Geirhos2021<dataset>-error_consistency``: images shown at 3 degrees, 1 trial; raw = ``error_consistency``
  (per subject and condition Cohen's kappa of correctness, |mean over conditions then subjects|); ceiling = the
  same over all subject pairs; score = raw / ceiling clipped to [0, 1] (Brain-Score's ``bound_score``).
  Version 1, parent ``Geirhos2021``.
- ``Geirhos2021<dataset>-top1``: no placement on a screen (each image fills the model's field), 10 trials;
  score = 16-way accuracy against ``truth`` (ceiling 1). Version 1, parent ``Geirhos2021-top1``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from brainscore_core.assemblies import behavioral_assembly, coord_values, validate_behavioral_assembly
from brainscore_core.benchmarks import Benchmark, attach_recording_details
from brainscore_core.brain_model import Task
from brainscore_core.errors import AssemblyError, DataError
from brainscore_core.loading import load_ceiling, load_dataset, load_metric, load_stimulus_set
from brainscore_core.score import Score, ceil_ratio

if TYPE_CHECKING:
    import xarray as xr

    from brainscore_core.brain_model import BrainModel
    from brainscore_core.stimuli import StimulusSet

__all__ = [
    "BIBTEX",
    "CATEGORY_MAPPING",
    "DATASETS",
    "EXCLUDE_CONDITIONS",
    "VISUAL_DEGREES",
    "Geirhos2021Accuracy",
    "Geirhos2021ErrorConsistency",
    "benchmark_prefix",
    "human_data",
    "model_decisions",
]

#: Brain-Score's 17 data sets, in its order (data identifiers ``Geirhos2021_<dataset>``).
DATASETS = (
    "colour", "contrast", "cue-conflict", "edge", "eidolonI", "eidolonII", "eidolonIII", "false-colour",
    "high-pass", "low-pass", "phase-scrambling", "power-equalisation", "rotation", "silhouette", "sketch",
    "stylized", "uniform-noise",
)  # fmt: skip
#: Conditions Brain-Score 2.4.2 drops, per data set (values as stored in the data: strings, ints or floats).
EXCLUDE_CONDITIONS: dict[str, list[Any]] = {
    "colour": ["cr"],
    "contrast": ["c100", "c03", "c01"],
    "high-pass": [np.inf, 0.55, 0.45, 0.4],
    "low-pass": [0, 15, 40],
    "phase-scrambling": [0, 150, 180],
    "power-equalisation": ["0"],
    "false-colour": ["False-Colour"],
    "rotation": [0],
    "eidolonI": ["1-10-10", "64-10-10", "128-10-10"],
    "eidolonII": ["1-3-10", "32-3-10", "64-3-10", "128-3-10"],
    "eidolonIII": ["1-0-10", "16-0-10", "32-0-10", "64-0-10", "128-0-10"],
    "uniform-noise": [0.0, 0.6, 0.9],
}
VISUAL_DEGREES = 3.0
CATEGORY_MAPPING = "Geirhos2019.imagenet_16class"
BIBTEX = """@article{geirhos2021partial,
  title={Partial success in closing the gap between human and machine vision},
  author={Geirhos, Robert and Narayanappa, Kantharaju and Mitzkus, Benjamin and Thieringer, Tizian and
          Bethge, Matthias and Wichmann, Felix A and Brendel, Wieland},
  journal={Advances in Neural Information Processing Systems},
  volume={34},
  year={2021},
  url={https://openreview.net/forum?id=QkljT4mrfs}
}"""


def benchmark_prefix(dataset: str) -> str:
    """``Geirhos2021<dataset without hyphens>``, e.g. ``Geirhos2021cueconflict``."""
    return f"Geirhos2021{dataset.replace('-', '')}"


def human_data(dataset: str) -> tuple[xr.DataArray, StimulusSet]:
    """The trials and stimuli of ``Geirhos2021_<dataset>`` as Brain-Score's benchmarks use them: excluded
    conditions dropped, stimuli of the remaining trials kept (in stimulus-set order), ``condition`` as ``str``."""
    identifier = f"Geirhos2021_{dataset}"
    trials = validate_behavioral_assembly(load_dataset(identifier))
    stimuli = load_stimulus_set(identifier)
    excluded = EXCLUDE_CONDITIONS.get(dataset, [])
    conditions = coord_values(trials, "condition")
    absent = [c for c in excluded if not np.isin(conditions, [c]).any()]
    if absent:
        raise DataError(
            f"Data {identifier!r} has no trials in the conditions {absent} that Brain-Score's Geirhos2021 benchmark "
            f"excludes (its conditions: {sorted({str(c) for c in conditions})}); the file is not the one this "
            "benchmark was defined on. Re-fetch it (brainscore fetch) or check the data plugin."
        )
    trials = trials.isel(presentation=~np.isin(conditions, excluded))
    kept = set(coord_values(trials, "stimulus_id").astype(str))
    stimuli = stimuli.subset([s for s in stimuli.stimulus_ids if s in kept], identifier=stimuli.identifier)
    trials = trials.assign_coords(condition=("presentation", coord_values(trials, "condition").astype(str)))
    if "condition" in stimuli.columns:
        stimuli.table["condition"] = stimuli.table["condition"].astype(str)
    return trials, stimuli


def model_decisions(answers: xr.DataArray, stimuli: StimulusSet, *, model: str = "model") -> xr.DataArray:
    """One decision per stimulus in ``stimuli``' order, with the stimulus set's ``truth`` and ``condition``.

    ``answers`` is what ``look_at`` returned on the label task (values = labels, with ``stimulus_id``); each
    stimulus must be answered exactly once (else :class:`AssemblyError` naming missing, repeated, unknown ids).
    """
    answers = validate_behavioral_assembly(answers)
    if answers.dims != ("presentation",):
        raise AssemblyError(
            f"Model {model!r} returned dims {answers.dims} on the label task; expected ('presentation',)."
        )
    answered = coord_values(answers, "stimulus_id").astype(str)
    wanted = np.asarray(stimuli.stimulus_ids, dtype=str)
    unique, counts = np.unique(answered, return_counts=True)
    repeated, missing, extra = unique[counts > 1], np.setdiff1d(wanted, answered), np.setdiff1d(answered, wanted)
    if len(repeated) or len(missing) or len(extra):
        raise AssemblyError(
            f"Model {model!r} must answer each of the {len(wanted)} stimuli of {stimuli.identifier!r} exactly once; "
            f"missing {missing[:3].tolist()} ({len(missing)}), repeated {repeated[:3].tolist()} ({len(repeated)}), "
            f"unknown {extra[:3].tolist()} ({len(extra)})."
        )
    position = {stimulus_id: i for i, stimulus_id in enumerate(answered)}
    labels = np.asarray(answers.values)[[position[s] for s in wanted]].astype(str)
    coords = {"truth": stimuli["truth"].to_numpy().astype(str), "choice": labels}
    if "condition" in stimuli.columns:
        coords["condition"] = stimuli["condition"].to_numpy().astype(str)
    return behavioral_assembly(labels, stimulus_id=wanted, presentation_coords=coords, attrs={"model": model})


class _Geirhos2021(Benchmark):
    """Shared part: lazily loaded human data, the 16-class label task."""

    version = 1
    bibtex = BIBTEX
    visual_degrees = VISUAL_DEGREES
    number_of_trials = 1

    def __init__(self, dataset: str, measure: str) -> None:
        if dataset not in DATASETS:
            raise ValueError(f"Unknown Geirhos2021 data set {dataset!r}; known: {list(DATASETS)}.")
        self.dataset = dataset
        self.identifier = f"{benchmark_prefix(dataset)}-{measure}"
        self._human: tuple[xr.DataArray, StimulusSet] | None = None
        self._stimuli = lambda: self._human_data()[1]

    def _human_data(self) -> tuple[xr.DataArray, StimulusSet]:
        if self._human is None:
            self._human = human_data(self.dataset)
        return self._human

    @property
    def human_trials(self) -> xr.DataArray:
        """The human trials after condition exclusion (``condition`` as ``str``)."""
        return self._human_data()[0]

    def _label(self, candidate: BrainModel, stimuli: StimulusSet) -> xr.DataArray:
        mapping = load_dataset(CATEGORY_MAPPING)
        labels = sorted({str(t) for t in self.stimuli["truth"]})
        if sorted(mapping) != labels:
            raise DataError(
                f"{self.identifier}: the true classes {labels} differ from the 16 classes of {CATEGORY_MAPPING} "
                f"{sorted(mapping)}; the data are not Brain-Score's Geirhos2021 files."
            )
        candidate.start_task(Task.label, mapping)
        answers = candidate.look_at(stimuli, number_of_trials=self.number_of_trials)
        return model_decisions(answers, stimuli, model=getattr(candidate, "identifier", "model"))


class Geirhos2021ErrorConsistency(_Geirhos2021):
    """``Geirhos2021<dataset>-error_consistency``: see the module docstring."""

    parent = "Geirhos2021"

    def __init__(self, dataset: str) -> None:
        super().__init__(dataset, "error_consistency")

    def _compute_ceiling(self) -> Score:
        return load_ceiling("error_consistency_ceiling")(self.human_trials)

    def _ceiling_cache_key(self) -> dict[str, Any]:
        from brainscore_core.cache import assembly_hash, callable_identity

        ceiling = load_ceiling("error_consistency_ceiling")
        return {"data": assembly_hash(self.human_trials), "ceiling": callable_identity(ceiling)}

    def __call__(self, candidate: BrainModel) -> Score:
        decisions = self._label(candidate, self.stimuli)
        raw = load_metric("error_consistency")(decisions, self.human_trials)
        score = ceil_ratio(raw, self.ceiling)
        attach_recording_details(score, candidate)
        return self._finish(score, candidate)


class Geirhos2021Accuracy(_Geirhos2021):
    """``Geirhos2021<dataset>-top1``: see the module docstring. :attr:`visual_degrees` (3) stays the humans'
    geometry; the model sees each image at its own ``visual_degrees()``, as in Brain-Score (no placement)."""

    parent = "Geirhos2021-top1"
    number_of_trials = 10

    def __init__(self, dataset: str) -> None:
        super().__init__(dataset, "top1")

    def _compute_ceiling(self) -> Score:
        return Score(1.0, error=0.0, attrs={"note": "perfect accuracy"})

    def __call__(self, candidate: BrainModel) -> Score:
        decisions = self._label(candidate, self.stimuli.with_visual_degrees(candidate.visual_degrees()))
        truth = behavioral_assembly(
            coord_values(decisions, "truth"), stimulus_id=coord_values(decisions, "stimulus_id")
        )
        raw = load_metric("accuracy")(decisions, truth)
        score = ceil_ratio(raw, self.ceiling)
        attach_recording_details(score, candidate)
        return self._finish(score, candidate)
