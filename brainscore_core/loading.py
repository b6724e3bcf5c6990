"""``load_*``: build registered objects by identifier (plugins are discovered on first use)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .registry import (
    benchmark_registry,
    ceiling_registry,
    data_registry,
    metric_registry,
    model_registry,
    stimulus_set_registry,
)

if TYPE_CHECKING:
    from .benchmarks import Benchmark
    from .brain_model import BrainModel
    from .stimuli import StimulusSet

__all__ = ["load_benchmark", "load_ceiling", "load_dataset", "load_metric", "load_model", "load_stimulus_set"]


def load_model(identifier: str) -> BrainModel:
    """Build the BrainModel registered as ``identifier``."""
    return model_registry.load(identifier)


def load_benchmark(identifier: str) -> Benchmark:
    """Build the Benchmark registered as ``identifier``."""
    return benchmark_registry.load(identifier)


def load_metric(identifier: str) -> Any:
    """Build the metric registered as ``identifier``: a callable ``metric(source, target) -> Score``."""
    return metric_registry.load(identifier)


def load_ceiling(identifier: str) -> Any:
    """Build the ceiling registered as ``identifier``: a callable ``ceiling(assembly) -> Score``."""
    return ceiling_registry.load(identifier)


def load_dataset(identifier: str) -> Any:
    """Load the data assembly registered as ``identifier``."""
    return data_registry.load(identifier)


def load_stimulus_set(identifier: str) -> StimulusSet:
    """Load the StimulusSet registered as ``identifier``."""
    return stimulus_set_registry.load(identifier)
