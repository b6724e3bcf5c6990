"""Benchmarks: data + metric + ceiling, applied to a BrainModel.

:class:`NeuralBenchmark` (neural predictivity, ceiled = raw**2 / ceiling) and :class:`RSABenchmark`
(representational similarity, ceiled = raw / ceiling) are built by passing data, metric and ceiling; subclass
:class:`Benchmark` for anything else.
"""

from ._base import Benchmark, NeuralBenchmark, attach_recording_details
from ._rsa import RSABenchmark

__all__ = ["Benchmark", "NeuralBenchmark", "RSABenchmark", "attach_recording_details"]
