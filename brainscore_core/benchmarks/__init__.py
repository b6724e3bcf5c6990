"""Benchmarks: data + metric + ceiling, applied to a BrainModel.

:class:`NeuralBenchmark` (neural predictivity, ceiled = raw**2 / ceiling) and :class:`RSABenchmark`
(representational similarity, ceiled = raw / ceiling) are built by passing data, metric and ceiling; subclass
:class:`Benchmark` for anything else. Their ceilings carry a shuffled-label null (:func:`with_shuffled_null`); a
subclass that computes its own ceiling records one the same way, e.g. with :func:`shuffle_stimulus_ids`.
"""

from ._base import Benchmark, NeuralBenchmark, attach_recording_details
from ._ceiling_null import shuffle_rdms, shuffle_stimulus_ids, with_shuffled_null
from ._rsa import RSABenchmark

__all__ = [
    "Benchmark",
    "NeuralBenchmark",
    "RSABenchmark",
    "attach_recording_details",
    "shuffle_rdms",
    "shuffle_stimulus_ids",
    "with_shuffled_null",
]
