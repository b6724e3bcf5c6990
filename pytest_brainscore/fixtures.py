"""The plugin's fixtures: the pair's model, benchmark and Score, and a factory for free-form scoring.

Models, benchmarks and scores are built once per session (per xdist worker) and shared by every test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from .gate import score_for_item
from .marker import BrainscoreCase
from .session import session_key

if TYPE_CHECKING:
    from brainscore_core import Score

__all__ = [
    "benchmark",
    "brain_model",
    "brainscore_benchmark",
    "brainscore_case",
    "brainscore_result",
    "brainscore_score",
]


@pytest.fixture(autouse=True)
def brainscore_case(request: pytest.FixtureRequest) -> BrainscoreCase | None:
    """This test's (model, benchmark) case; None for tests that do not use the plugin.

    Brainscore tests are parametrized over it, which is why it is requested by every test (it costs nothing).
    """
    return getattr(request, "param", None)


def _identifier(request: pytest.FixtureRequest, fixture: str, kind: str) -> str:
    """The ``kind`` ("model" or "benchmark") of this test's case; a usage error naming the fixture without one."""
    case = request.getfixturevalue("brainscore_case")
    identifier = None if case is None else getattr(case, kind)
    if identifier is None:
        raise pytest.UsageError(
            f"{request.node.nodeid}: the {fixture} fixture needs a {kind}: mark the test "
            f"@pytest.mark.brainscore({kind}=...) or pass --brainscore-{kind}=ID."
        )
    return str(identifier)


@pytest.fixture
def brain_model(request: pytest.FixtureRequest) -> Any:
    """The BrainModel of this test's pair (built once per session)."""
    return request.config.stash[session_key].model(_identifier(request, "brain_model", "model"))


def _benchmark(request: pytest.FixtureRequest, fixture: str) -> Any:
    return request.config.stash[session_key].benchmark(_identifier(request, fixture, "benchmark"))


@pytest.fixture
def benchmark(request: pytest.FixtureRequest) -> Any:
    """The Benchmark of this test's pair (built once per session).

    With pytest-benchmark installed, only brainscore tests get this one (marked, or requesting another of this
    plugin's fixtures); every other test keeps pytest-benchmark's ``benchmark``. :func:`brainscore_benchmark`
    is the same fixture under a name no other plugin uses.
    """
    return _benchmark(request, "benchmark")


@pytest.fixture
def brainscore_benchmark(request: pytest.FixtureRequest) -> Any:
    """The Benchmark of this test's pair (built once per session); ``benchmark`` without any ambiguity."""
    return _benchmark(request, "brainscore_benchmark")


@pytest.fixture
def brainscore_result(request: pytest.FixtureRequest) -> Score:
    """The Score of this test's pair, computed once per session; an incompatible pair skips the test."""
    model = _identifier(request, "brainscore_result", "model")
    benchmark = _identifier(request, "brainscore_result", "benchmark")
    return score_for_item(request.node, model, benchmark)


@pytest.fixture
def brainscore_score(request: pytest.FixtureRequest) -> Callable[[str, str], Score]:
    """A factory ``brainscore_score(model_id, benchmark_id) -> Score`` for free-form tests.

    Each pair is scored once per session, reported in the summary and compared with the baseline.
    """

    def score(model_id: str, benchmark_id: str) -> Score:
        return score_for_item(request.node, model_id, benchmark_id)

    return score
