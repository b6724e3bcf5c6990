"""Kriegeskorte et al. 2008: human IT fMRI RDMs of 92 object images, compared with the model's IT by RSA.

raw = mean over the 4 subjects of Spearman(model RDM, subject RDM), each subject's RDM the mean of its two
sessions; ceiling = the ``rsa_ceiling`` upper bound (mean Spearman of each subject with the 4-subject mean RDM,
~0.661; the leave-one-out lower bound ~0.379 is kept on the Score as ``ceiling_lower``); ceiled = raw / ceiling,
clipped to [0, 1].

Visual degrees: 8, Brain-Score's convention. The image size in degrees in the fMRI experiment could not be
verified from the paper with the tools available here; check the paper's methods and bump ``version`` when
changing it.

Each image is shown once and no time bins are requested: the data are RDMs, without a time axis or per-trial
responses. Brain-Score has no benchmark on these data to compare with.
"""

from __future__ import annotations

from brainscore_core.benchmarks import RSABenchmark
from brainscore_core.loading import load_ceiling, load_dataset, load_stimulus_set
from brainscore_core.metrics import Metric

__all__ = ["BIBTEX", "STIMULUS_SET", "VISUAL_DEGREES", "Kriegeskorte2008HumanITRSA"]

STIMULUS_SET = "Kriegeskorte2008.92images"
VISUAL_DEGREES = 8.0  # Brain-Score convention; the paper's value was not verified here (see the module docstring)
BIBTEX = """@article{kriegeskorte2008matching,
  title={Matching categorical object representations in inferior temporal cortex of man and monkey},
  author={Kriegeskorte, Nikolaus and Mur, Marieke and Ruff, Douglas A and Kiani, Roozbeh and Bodurka, Jerzy
          and Esteky, Hossein and Tanaka, Keiji and Bandettini, Peter A},
  journal={Neuron},
  volume={60},
  number={6},
  pages={1126--1141},
  year={2008},
  doi={10.1016/j.neuron.2008.10.043}
}"""


class Kriegeskorte2008HumanITRSA(RSABenchmark):
    """``Kriegeskorte2008.hIT-rsa``: the model's IT RDM against the 4 human subjects' IT fMRI RDMs."""

    def __init__(self, metric: Metric | None = None) -> None:
        super().__init__(
            "Kriegeskorte2008.hIT-rsa",
            rdms=lambda: load_dataset("Kriegeskorte2008.hIT"),
            stimuli=lambda: load_stimulus_set(STIMULUS_SET),
            visual_degrees=VISUAL_DEGREES,
            parent="neural.IT",
            bibtex=BIBTEX,
            region="IT",
            metric=metric,
            ceiling_func=load_ceiling("rsa_ceiling"),
            version=1,
            description="human IT fMRI (4 subjects, sessions averaged), RSA with Spearman, rsa_ceiling upper bound",
        )
