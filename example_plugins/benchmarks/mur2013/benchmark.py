"""Mur et al. 2013: human object-similarity judgements of the 92 images, compared with the model's readout.

The model gives the features of its behavioural readout layer (``Task.readout``); their RDM (1 - Pearson r) is
compared with each of the 16 subjects' judgement RDMs (Spearman). raw = mean over subjects; ceiling = the
``rsa_ceiling`` upper bound over the 16 subjects (~0.575; lower bound ~0.478 kept as ``ceiling_lower``);
ceiled = raw / ceiling, clipped to [0, 1].

Visual degrees: 8, Brain-Score's convention. The judgements were made by arranging the images on a screen
(multi-arrangement method), where image size varies with the arrangement; no single value applies.

Each image is shown once and no time bins are requested: the data are RDMs, without a time axis or per-trial
responses. Brain-Score has no benchmark on these data to compare with.
"""

from __future__ import annotations

from brainscore_core.benchmarks import RSABenchmark
from brainscore_core.brain_model import Task
from brainscore_core.loading import load_ceiling, load_dataset, load_stimulus_set
from brainscore_core.metrics import Metric

__all__ = ["BIBTEX", "VISUAL_DEGREES", "Mur2013SimilarityRSA"]

VISUAL_DEGREES = 8.0  # Brain-Score convention (drag-and-drop arrangement has no fixed image size)
BIBTEX = """@article{mur2013human,
  title={Human object-similarity judgments reflect and transcend the primate-IT object representation},
  author={Mur, Marieke and Meys, Mirjam and Bodurka, Jerzy and Goebel, Rainer and Bandettini, Peter A
          and Kriegeskorte, Nikolaus},
  journal={Frontiers in Psychology},
  volume={4},
  pages={128},
  year={2013},
  doi={10.3389/fpsyg.2013.00128}
}"""


class Mur2013SimilarityRSA(RSABenchmark):
    """``Mur2013.similarity-rsa``: the model's readout-layer RDM against 16 subjects' similarity judgements."""

    def __init__(self, metric: Metric | None = None) -> None:
        super().__init__(
            "Mur2013.similarity-rsa",
            rdms=lambda: load_dataset("Mur2013.similarity"),
            stimuli=lambda: load_stimulus_set("Kriegeskorte2008.92images"),
            visual_degrees=VISUAL_DEGREES,
            parent="behavioral.similarity_judgement",
            bibtex=BIBTEX,
            task=Task.readout,
            metric=metric,
            ceiling_func=load_ceiling("rsa_ceiling"),
            version=1,
            description="human similarity judgements (16 subjects) vs the readout layer, RSA, rsa_ceiling upper bound",
        )
