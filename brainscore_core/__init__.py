"""brainscore_core: model-brain alignment scoring.

data (assemblies, stimuli) -> model (BrainModel, activations) -> metric -> Score -> benchmark -> score().
Importing this package is light: torch is imported only when a PyTorch model is built or run.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import typing

from . import plugins  # noqa: F401  (importing it installs the discovery hook on the registries)
from .assemblies import (
    align_by_stimulus,
    average_repetitions,
    behavioral_assembly,
    neuroid_assembly,
    rdm_assembly,
    sort_by_stimulus,
    validate_behavioral_assembly,
    validate_neuroid_assembly,
    validate_rdm_assembly,
)
from .benchmarks import Benchmark, NeuralBenchmark, RSABenchmark
from .brain_model import BrainModel, Task
from .compat import _finder as _compat_finder
from .errors import (
    AssemblyError,
    BrainScoreError,
    ChecksumMismatchError,
    DataError,
    DuplicateRegistrationError,
    IncompatibleModelError,
    MetricInputError,
    PluginError,
    StimulusError,
    UnknownIdentifierError,
    UnknownLayerError,
)
from .loading import load_benchmark, load_ceiling, load_dataset, load_metric, load_model, load_stimulus_set
from .registry import (
    benchmark_registry,
    ceiling_registry,
    data_registry,
    metric_registry,
    model_registry,
    stimulus_set_registry,
)
from .score import Score
from .scoring import score
from .stimuli import StimulusSet, stimulus_set, verify_sha256

try:
    __version__ = importlib.metadata.version("pytest-brainscore")  # the one version, in pyproject.toml
except importlib.metadata.PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"

_compat_finder.install()  # `import brainscore_vision` gives our compatibility layer unless Brain-Score is installed
_compat_finder.warn_if_foreign_core()  # Brain-Score's brainscore-core shares our import name: say so now

# Heavy or torch-backed names, imported on first attribute access (PEP 562); type checkers import them directly.
if typing.TYPE_CHECKING:
    from .activations import PytorchWrapper
    from .cache import ActivationsCache
    from .commitment import ModelCommitment

_LAZY = {
    "ModelCommitment": "brainscore_core.commitment",
    "PytorchWrapper": "brainscore_core.activations",
    "ActivationsCache": "brainscore_core.cache",
}

__all__ = [
    "ActivationsCache",  # lazy (_LAZY)
    "AssemblyError",
    "Benchmark",
    "BrainModel",
    "BrainScoreError",
    "ChecksumMismatchError",
    "DataError",
    "DuplicateRegistrationError",
    "IncompatibleModelError",
    "MetricInputError",
    "ModelCommitment",  # lazy (_LAZY)
    "NeuralBenchmark",
    "PluginError",
    "PytorchWrapper",  # lazy (_LAZY)
    "RSABenchmark",
    "Score",
    "StimulusError",
    "StimulusSet",
    "Task",
    "UnknownIdentifierError",
    "UnknownLayerError",
    "align_by_stimulus",
    "average_repetitions",
    "behavioral_assembly",
    "benchmark_registry",
    "ceiling_registry",
    "data_registry",
    "load_benchmark",
    "load_ceiling",
    "load_dataset",
    "load_metric",
    "load_model",
    "load_stimulus_set",
    "metric_registry",
    "model_registry",
    "neuroid_assembly",
    "rdm_assembly",
    "score",
    "sort_by_stimulus",
    "stimulus_set",
    "stimulus_set_registry",
    "validate_behavioral_assembly",
    "validate_neuroid_assembly",
    "validate_rdm_assembly",
    "verify_sha256",
]


def __getattr__(name: str) -> typing.Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'brainscore_core' has no attribute {name!r}")
