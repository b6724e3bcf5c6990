"""Under pytest, a benchmark whose data cannot be had fails each of its tests with the DataUnavailableError message
(one line, no traceback, never a skip), and the download is not tried again for every model."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

TOY_PLUGINS = Path(__file__).parents[1] / "plugin" / "toy_plugins"

FETCHING_PLUGIN = '''
"""Benchmarks whose data are on a server that is gone: one fetches when built, one when it scores."""

import os

from brainscore_core import benchmark_registry
from brainscore_core.fetching import RemoteFile, data_for_benchmark, fetch, register_remote_data

BASE = os.environ["FETCH_TOY_URL"]
register_remote_data(
    "FetchToy.public", [RemoteFile("assy_fetch_toy.nc", "a" * 40, size=2_500_000, bucket=BASE)]
)
data_for_benchmark("FetchToy.IT-built", ["FetchToy.public"])
data_for_benchmark("FetchToy.IT-scored", ["FetchToy.public"])
BUILDS = os.environ["FETCH_TOY_BUILDS"]


def _built():
    with open(BUILDS, "a") as log:
        log.write("built\\n")
    fetch("FetchToy.public")
    raise AssertionError("unreachable: the data cannot be had")


class _FetchesWhenScoring:
    identifier = "FetchToy.IT-scored"
    version = 1
    parent = "IT"

    def __call__(self, candidate):
        with open(BUILDS, "a") as log:
            log.write("scored\\n")
        fetch("FetchToy.public")
        raise AssertionError("unreachable: the data cannot be had")


benchmark_registry["FetchToy.IT-built"] = _built
benchmark_registry["FetchToy.IT-scored"] = _FetchesWhenScoring
'''


@pytest.fixture
def fetch_toy(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, gone_url: str) -> pytest.Pytester:
    plugins = pytester.path / "plugins" / "benchmarks" / "fetch_toy"
    plugins.mkdir(parents=True)
    (plugins / "__init__.py").write_text(textwrap.dedent(FETCHING_PLUGIN))
    monkeypatch.setenv("BRAINSCORE_PLUGINS_PATH", f"{TOY_PLUGINS}:{pytester.path / 'plugins'}")
    monkeypatch.setenv("BRAINSCORE_HOME", str(pytester.path / ".brainscore_cache"))
    monkeypatch.setenv("FETCH_TOY_URL", gone_url)
    monkeypatch.setenv("FETCH_TOY_BUILDS", str(pytester.path / "builds.log"))
    return pytester


@pytest.mark.parametrize("benchmark", ["FetchToy.IT-built", "FetchToy.IT-scored"])
def test_unavailable_data_fail_each_test_with_the_message_once_fetched(fetch_toy: pytest.Pytester, benchmark: str):
    result = fetch_toy.runpytest_subprocess(
        "-rA", "--brainscore-model=toy_good,toy_poor", f"--brainscore-benchmark={benchmark}"
    )
    result.assert_outcomes(failed=2)
    message = (
        "DataUnavailableError: Data set 'FetchToy.public' is not available: "
        "1 file(s) missing: assy_fetch_toy.nc (2.5 MB). "
        "assy_fetch_toy.nc: http://127.0.0.1:*/assy_fetch_toy.nc: connection refused (server down or gone), 3 time(s)*"
        "Three ways out: (1) where there is network, run `brainscore fetch FetchToy.public`*"
    )
    first = "toy_good on FetchToy.IT-scored" if benchmark.endswith("scored") else f"benchmark '{benchmark}'"
    result.stdout.fnmatch_lines(
        [
            f"*_ brainscore: toy_good on {benchmark} _*",
            f"{first}: {message}",
            f"*_ brainscore: toy_poor on {benchmark} _*",
            f"benchmark '{benchmark}': {message}",  # the second model: the first attempt's error, not a new one
            f"FAILED brainscore[[]toy_good-{benchmark}[]] - Failed: *",
            f"FAILED brainscore[[]toy_poor-{benchmark}[]] - Failed: *",
        ]
    )
    result.stdout.no_fnmatch_line("*Traceback*")
    result.stdout.no_fnmatch_line("*SKIPPED*")
    assert len((fetch_toy.path / "builds.log").read_text().split()) == 1  # the second model did not try again


def test_marked_tests_whose_fixtures_need_the_data_error_at_setup_with_the_message(fetch_toy: pytest.Pytester):
    fetch_toy.makepyfile(
        """
        import pytest

        @pytest.mark.brainscore(model="toy_good", benchmark="FetchToy.IT-built")
        def test_uses_the_benchmark(benchmark):
            pass

        @pytest.mark.brainscore(model="toy_good", benchmark="FetchToy.IT-scored")
        def test_scores(brainscore_result):
            pass
        """
    )
    result = fetch_toy.runpytest_subprocess("-rA")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at setup of test_uses_the_benchmark*",
            "benchmark 'FetchToy.IT-built': DataUnavailableError: Data set 'FetchToy.public' is not available: *",
            "*_ ERROR at setup of test_scores*",
            "toy_good on FetchToy.IT-scored: DataUnavailableError: Data set 'FetchToy.public' is not available: *",
        ]
    )
    result.stdout.no_fnmatch_line("*Traceback*")
