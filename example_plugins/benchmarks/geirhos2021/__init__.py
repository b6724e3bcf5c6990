"""Brain-Score's Geirhos2021 benchmarks: ``Geirhos2021<dataset>-error_consistency`` and ``-top1`` for 17 data sets.

Registered whether or not their data are at hand (listing reads nothing). The cue-conflict, edge and silhouette
benchmarks run offline on the shipped Geirhos 2019 trials; the other 14 need their data set fetched
(``brainscore fetch Geirhos2021colour-error_consistency`` or ``brainscore fetch Geirhos2021_colour``).
"""

from brainscore_core.fetching import data_for_benchmark
from brainscore_core.registry import benchmark_registry

from .benchmark import DATASETS, Geirhos2021Accuracy, Geirhos2021ErrorConsistency, benchmark_prefix

__all__ = ["Geirhos2021Accuracy", "Geirhos2021ErrorConsistency"]

#: served from the shipped Geirhos 2019 trials: nothing to fetch
_OFFLINE = ("cue-conflict", "edge", "silhouette")

for _dataset in DATASETS:
    _prefix = benchmark_prefix(_dataset)
    benchmark_registry[f"{_prefix}-error_consistency"] = lambda dataset=_dataset: Geirhos2021ErrorConsistency(dataset)
    benchmark_registry[f"{_prefix}-top1"] = lambda dataset=_dataset: Geirhos2021Accuracy(dataset)
    if _dataset not in _OFFLINE:
        for _measure in ("error_consistency", "top1"):
            data_for_benchmark(f"{_prefix}-{_measure}", [f"Geirhos2021_{_dataset}"])
