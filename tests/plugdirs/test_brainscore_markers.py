"""Brain-Score's test markers: its plugin tests collect under --strict-markers; private_access is skipped with
the private data named; travis_slow, slow and memory_intense run (and can be deselected)."""

from __future__ import annotations

import pytest

BRAINSCORE_STYLE_TESTS = """
import pytest
from pytest import approx


def score(model_identifier, benchmark_identifier, conda_active=False):
    raise AssertionError("a private_access test must not run")


@pytest.mark.private_access
@pytest.mark.memory_intense
@pytest.mark.parametrize("model_identifier, expected_score", [("alexnet", approx(0.417, abs=0.001))])
def test_score(model_identifier, expected_score):
    actual_score = score(model_identifier=model_identifier, benchmark_identifier="MajajHong2015.IT-pls",
                         conda_active=True)
    assert actual_score == expected_score


@pytest.mark.parametrize(
    "benchmark",
    [pytest.param("MajajHong2015.IT-pls", marks=[pytest.mark.private_access]), "MajajHong2015public.IT-pls"],
)
def test_param_marked(benchmark):
    assert benchmark == "MajajHong2015public.IT-pls"


@pytest.mark.travis_slow
def test_has_identifier():
    assert True


@pytest.mark.slow
@pytest.mark.travis_slow
@pytest.mark.memory_intense
def test_slow_ones_run():
    assert True
"""


def test_brainscore_markers_collect_under_strict_markers_and_private_access_is_skipped_naming_the_data(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_plugin=BRAINSCORE_STYLE_TESTS)
    result = pytester.runpytest("--strict-markers", "-rs", "-p", "no:randomly")
    result.assert_outcomes(passed=3, skipped=2)
    result.stdout.fnmatch_lines(
        [
            (
                "SKIPPED [[]2[]] *private_access: needs Brain-Score's access-controlled data "
                "(benchmark MajajHong2015.IT-pls)*cannot fetch*"
            ),
        ]
    )
    assert "unknown marker" not in result.stdout.str().lower()


def test_travis_slow_can_be_deselected(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plugin=BRAINSCORE_STYLE_TESTS)
    result = pytester.runpytest("--strict-markers", "-m", "not travis_slow and not private_access", "-p", "no:randomly")
    result.assert_outcomes(passed=1)


def test_the_markers_are_listed(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    for marker in ("private_access", "travis_slow", "memory_intense", "slow", "requires_gpu"):
        result.stdout.fnmatch_lines([f"@pytest.mark.{marker}*"])


UNPROVIDED = """
import brainscore_vision
import brainscore_core


def test_brainscore_style():
    brainscore_vision.score(model_identifier="pixels", benchmark_identifier="NoSuch2015.IT-pls")
"""
NATIVE = """
import brainscore_core


def test_native():
    brainscore_core.load_benchmark("NoSuch2015.IT-pls")
"""


def test_an_unprovided_benchmark_skips_a_brainscore_style_test_and_fails_any_other(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_style=UNPROVIDED, test_native=NATIVE)
    result = pytester.runpytest("-rsf", "-p", "no:randomly")
    result.assert_outcomes(skipped=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "SKIPPED * needs the Brain-Score benchmark 'NoSuch2015.IT-pls', which pytest-brainscore does not provide*",
            "FAILED test_native.py::test_native - brainscore_core.errors.UnknownIdentifier*",
        ]
    )
