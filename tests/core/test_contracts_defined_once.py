"""The metric and ceiling contracts live in ``metrics/_base.py`` and the ceiling normalisations next to
``Benchmark`` (``benchmarks/_normalisation.py``); the old import paths keep working."""

import ast
import importlib
import typing
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import brainscore_core
from brainscore_core.benchmarks import _base as benchmark_base
from brainscore_core.benchmarks import _normalisation as normalisation
from brainscore_core.benchmarks import _rsa as rsa_benchmark
from brainscore_core.brain_model import BrainModel
from brainscore_core.metrics import _base as metric_base
from brainscore_core.metrics import behavior
from brainscore_core.metrics.rsa import RSACeiling
from brainscore_core.score import Score
from brainscore_core.stimuli import StimulusSet

PACKAGE = Path(brainscore_core.__file__).parent
score_module = importlib.import_module("brainscore_core.score")  # ``brainscore_core.score`` is also a function


def _hints(function, module):
    names = {**vars(module), "xr": xr, "BrainModel": BrainModel, "StimulusSet": StimulusSet}
    return typing.get_type_hints(function, globalns=names)


def test_score_re_exports_the_normalisations_unchanged():
    for name in normalisation.__all__:
        if name != "ceil_per_repetition":
            assert getattr(score_module, name) is getattr(normalisation, name)
            assert name in score_module.__all__
    assert behavior.ceil_per_repetition is normalisation.ceil_per_repetition


def test_benchmarks_take_the_callable_contracts_of_metrics_base():
    hints = _hints(benchmark_base.NeuralBenchmark.__init__, benchmark_base)
    assert hints["metric"] == metric_base.MetricFunction
    assert hints["ceiling_func"] == metric_base.CeilingFunction | None
    hints = _hints(rsa_benchmark.RSABenchmark.__init__, rsa_benchmark)
    assert hints["ceiling_func"] == metric_base.CeilingFunction | None


def test_ceiling_contract_allows_none():
    assert typing.get_type_hints(metric_base.Ceiling.__call__)["return"] == Score | None
    assert typing.get_args(metric_base.CeilingFunction)[1] == Score | None
    one_subject = xr.DataArray(
        np.zeros((1, 4, 4)),
        dims=("subject", "stimulus_a", "stimulus_b"),
        coords={"subject": ["p"], "stimulus_a": list("abcd"), "stimulus_b": list("abcd")},
    )
    assert isinstance(RSACeiling(), metric_base.Ceiling)
    assert RSACeiling()(one_subject) is None


def _callable_aliases(path: Path) -> list[str]:
    """Module-level ``Name = Callable[[...DataArray...], Score...]`` definitions in ``path``."""
    found = []
    for node in ast.parse(path.read_text()).body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        text = "" if value is None else ast.unparse(value)
        if (
            text.startswith("Callable[[")
            and "DataArray" in text
            and text.rstrip("]").endswith(("Score", "Score | None"))
        ):
            found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_no_other_module_of_brainscore_core_redefines_the_metric_or_ceiling_callable():
    found = [hit for path in sorted(PACKAGE.rglob("*.py")) for hit in _callable_aliases(path)]
    assert found == ["metrics/_base.py:21", "metrics/_base.py:23"], found


@pytest.mark.parametrize("name", ["ceil_ratio", "ceil_squared", "UnreliableCeilingWarning", "CEILING_FORMULAS"])
def test_normalisations_are_defined_in_benchmarks_normalisation(name):
    value = getattr(normalisation, name)
    assert isinstance(value, dict) or value.__module__ == "brainscore_core.benchmarks._normalisation"
    assert name not in {
        node.name for node in ast.parse(Path(score_module.__file__).read_text()).body if hasattr(node, "name")
    }
