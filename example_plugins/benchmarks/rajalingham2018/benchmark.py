"""``Rajalingham2018public-i2n``: image-level behavioural consistency with humans, as Brain-Score 2.4.2 defines it.

- Data ``Rajalingham2018.public`` (human match-to-sample trials) on ``objectome.public`` (2160 images of 24
  objects); the fitting stimuli are the same 2160 images with their ``image_label`` (Brain-Score's public
  benchmark fits the readout on the images it scores).
- The model is shown the fitting stimuli at 8 degrees on ``Task.probabilities``, then the scored images at 8
  degrees with 2 trials, and returns choice probabilities ``(presentation, choice)``.
- Raw score: ``i2n`` (normalised image-by-distractor d' patterns, Pearson r against one random half of the
  human trials, 2 repetitions with ``RandomState(0)``). Ceiling: ``i2n_ceiling`` (r between the two halves, no
  Spearman-Brown), entries undefined in either half left out (Brain-Score's ``skipna=True``).
- Ceiled score: per repetition ``raw / sqrt(ceiling)``, averaged; error = std over repetitions. **Not clipped**
  to [0, 1], as in Brain-Score (``attrs['clipped']`` holds the clipped value).
- Version 2, parent ``behavior``, bibtex ``Rajalingham240614``. Brain-Score's object calls itself
  ``Rajalingham2018-i2n`` (the private benchmark's name); here the identifier is the registry key.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from brainscore_core.benchmarks import Benchmark, attach_recording_details
from brainscore_core.brain_model import Task
from brainscore_core.loading import load_ceiling, load_dataset, load_metric, load_stimulus_set
from brainscore_core.metrics.behavior import ceil_per_repetition

if TYPE_CHECKING:
    import xarray as xr

    from brainscore_core.brain_model import BrainModel
    from brainscore_core.score import Score
    from brainscore_core.stimuli import StimulusSet

__all__ = ["BIBTEX", "IDENTIFIER", "NUMBER_OF_TRIALS", "VISUAL_DEGREES", "Rajalingham2018PublicI2n"]

IDENTIFIER = "Rajalingham2018public-i2n"
VISUAL_DEGREES = 8.0
NUMBER_OF_TRIALS = 2
BIBTEX = """@article{Rajalingham240614,
  author = {Rajalingham, Rishi and Issa, Elias B. and Bashivan, Pouya and Kar, Kohitij and Schmidt, Kailyn and
            DiCarlo, James J.},
  title = {Large-scale, high-resolution comparison of the core visual object recognition behavior of humans,
           monkeys, and state-of-the-art deep artificial neural networks},
  elocation-id = {240614},
  year = {2018},
  doi = {10.1101/240614},
  publisher = {Cold Spring Harbor Laboratory},
  URL = {https://www.biorxiv.org/content/early/2018/02/12/240614},
  journal = {bioRxiv}
}"""


class Rajalingham2018PublicI2n(Benchmark):
    """``Rajalingham2018public-i2n``: see the module docstring."""

    identifier = IDENTIFIER
    version = 2
    parent = "behavior"
    bibtex = BIBTEX
    visual_degrees = VISUAL_DEGREES
    number_of_trials = NUMBER_OF_TRIALS

    def __init__(self) -> None:
        self._assembly: xr.DataArray | None = None
        self._stimuli = lambda: load_stimulus_set("objectome.public")

    @property
    def assembly(self) -> xr.DataArray:
        """The human trials (loaded, and fetched if needed, on first use)."""
        if self._assembly is None:
            self._assembly = load_dataset("Rajalingham2018.public")
        return self._assembly

    @property
    def fitting_stimuli(self) -> StimulusSet:
        """The images the model's readout is fitted on: the scored images, with ``image_label``."""
        return self.stimuli

    def _compute_ceiling(self) -> Score:
        return load_ceiling("i2n_ceiling")(self.assembly)

    def _ceiling_cache_key(self) -> dict[str, Any]:
        from brainscore_core.cache import assembly_hash, callable_identity

        return {"data": assembly_hash(self.assembly), "ceiling": callable_identity(load_ceiling("i2n_ceiling"))}

    def __call__(self, candidate: BrainModel) -> Score:
        candidate.start_task(Task.probabilities, self.fitting_stimuli)
        probabilities = candidate.look_at(self.stimuli, number_of_trials=self.number_of_trials)
        raw = load_metric("i2n")(probabilities, self.assembly)
        ceiling = self.ceiling
        assert ceiling is not None
        clipped = ceil_per_repetition(raw, ceiling)
        assert clipped.unclipped is not None
        score = dataclasses.replace(
            clipped,
            value=clipped.unclipped,
            attrs={
                **clipped.attrs,
                "clipped": float(clipped),
                "ceiling_formula": "mean over repetitions of raw / "
                "sqrt(ceiling), not clipped (Brain-Score's Rajalingham2018)",
            },
        )
        attach_recording_details(score, candidate)
        return self._finish(score, candidate)
