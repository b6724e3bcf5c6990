"""Kiani et al. 2007: the monkey IT RDM (674 neurons) of the 92 object images, compared with the model's IT by RSA.

raw = Spearman(model RDM, monkey RDM) over the upper triangle. The data are a single RDM (one pooled population),
so no noise ceiling can be estimated: the Score's value is the raw score clipped to [0, 1], ``ceiling`` is None
and ``attrs['no_ceiling_reason']`` says why. This is the IT **layer-selection** benchmark: IT layers are chosen on
monkey data and tested on human data (``Kriegeskorte2008.hIT-rsa``).

Visual degrees: 8, Brain-Score's convention; the paper's stimulus size could not be verified here.

Each image is shown once and no time bins are requested: the data are RDMs, without a time axis or per-trial
responses. Brain-Score has no benchmark on these data to compare with.
"""

from __future__ import annotations

from brainscore_core.benchmarks import RSABenchmark
from brainscore_core.loading import load_dataset, load_stimulus_set
from brainscore_core.metrics import Metric

__all__ = ["BIBTEX", "NO_CEILING_REASON", "VISUAL_DEGREES", "Kiani2007MonkeyITRSA"]

VISUAL_DEGREES = 8.0  # Brain-Score convention; the paper's value was not verified here
NO_CEILING_REASON = (
    "the monkey IT data are a single RDM pooled over 674 neurons (no subjects or repeats to split), so no noise "
    "ceiling can be estimated; the value is the raw Spearman r, clipped to [0, 1]"
)
BIBTEX = """@article{kiani2007object,
  title={Object category structure in response patterns of neuronal population in monkey inferior temporal cortex},
  author={Kiani, Roozbeh and Esteky, Hossein and Mirpour, Koorosh and Tanaka, Keiji},
  journal={Journal of Neurophysiology},
  volume={97},
  number={6},
  pages={4296--4309},
  year={2007}
}"""


class Kiani2007MonkeyITRSA(RSABenchmark):
    """``Kiani2007.mIT-rsa``: the model's IT RDM against the monkey IT RDM; raw score, no ceiling."""

    def __init__(self, metric: Metric | None = None) -> None:
        super().__init__(
            "Kiani2007.mIT-rsa",
            rdms=lambda: load_dataset("Kiani2007.mIT"),
            stimuli=lambda: load_stimulus_set("Kriegeskorte2008.92images"),
            visual_degrees=VISUAL_DEGREES,
            parent="neural.IT",
            bibtex=BIBTEX,
            region="IT",
            metric=metric,
            ceiling_func=None,
            no_ceiling_reason=NO_CEILING_REASON,
            version=1,
            description="monkey IT RDM (674 neurons), RSA with Spearman, no ceiling; IT layer-selection benchmark",
        )
