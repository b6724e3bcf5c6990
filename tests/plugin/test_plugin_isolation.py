"""One misconfigured brainscore test fails alone, and pytest-benchmark's ``benchmark`` fixture keeps its users.

A wrong selection (bad marker arguments, an unknown identifier, a bad --brainscore-* selection) is an error at the
set-up of that test only: ``-k``, node ids, plain tests and other files still run.
"""

import pytest

MIXED = """
import pytest

@pytest.mark.brainscore(model="toy_good", benchmark="ToyLab2024.V4-mean")
def test_good():
    pass

@pytest.mark.brainscore({bad})
def test_bad(brain_model, brainscore_result):  # the selection error comes first, not a fixture's
    pass

def test_unrelated():
    pass
"""

BAD_SELECTIONS = [
    pytest.param(
        'model="toy_good", benchmark="ToyLab2024.V4-mean", min_score=2.0',
        "brainscore marker on test_mixed.py::test_bad: min_score=2.0 is outside the range of ceiled scores*",
        id="bad-kwarg-value",
    ),
    pytest.param(
        'model="toy_good", benchmark="ToyLab2024.V4-mean", min_scor=0.1',
        "brainscore marker on test_mixed.py::test_bad: unknown keyword argument(s) 'min_scor'*",
        id="unknown-kwarg",
    ),
    pytest.param(
        'model="toy_goood", benchmark="ToyLab2024.V4-mean"',
        "test_mixed.py::test_bad: no registered model matches the identifier 'toy_goood'. Close identifiers: toy_good*",
        id="unknown-model",
    ),
    pytest.param(
        'model="toy_good", benchmark="ToyLab2024.V9-mean"',
        "test_mixed.py::test_bad: no registered benchmark matches the identifier 'ToyLab2024.V9-mean'*",
        id="unknown-benchmark",
    ),
    pytest.param(
        'benchmark="ToyLab2024.V4-mean"',
        "brainscore marker on test_mixed.py::test_bad: no model selected*",
        id="missing-model",
    ),
]


@pytest.mark.parametrize(("bad", "message"), BAD_SELECTIONS)
def test_a_wrong_selection_fails_its_test_alone_at_setup(toy: pytest.Pytester, bad: str, message: str) -> None:
    toy.makepyfile(test_mixed=MIXED.format(bad=bad), test_other="def test_other_file():\n    pass\n")
    result = toy.runpytest("-rE")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at setup of test_bad*", message])
    assert "error during collection" not in result.stdout.str()


@pytest.mark.parametrize(
    "selection",
    [("-k", "good"), ("-k", "unrelated"), ("test_mixed.py::test_good",), ("test_mixed.py::test_unrelated",)],
    ids=["k-good", "k-unrelated", "nodeid-good", "nodeid-plain"],
)
def test_the_good_and_plain_tests_of_the_file_run_when_selected(toy: pytest.Pytester, selection: tuple) -> None:
    toy.makepyfile(test_mixed=MIXED.format(bad='model="toy_good", benchmark="ToyLab2024.V4-mean", min_score=2.0'))
    result = toy.runpytest(*selection)
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.OK


def test_a_bad_command_line_selection_fails_the_tests_that_use_it(toy: pytest.Pytester) -> None:
    toy.makepyfile(
        test_cli_selection="""
        import pytest

        @pytest.mark.brainscore(benchmark="ToyLab2024.V4-mean")
        def test_from_option():
            pass

        @pytest.mark.brainscore(model="toy_good", benchmark="ToyLab2024.V4-mean")
        def test_own_selection():
            pass

        def test_plain():
            pass
        """
    )
    result = toy.runpytest("--brainscore-model=toy_nope")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        ["test_cli_selection.py::test_from_option: no registered model matches the identifier 'toy_nope'.*"]
    )


def test_every_parameter_of_a_misconfigured_test_fails_and_the_others_pass(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        class TestGroup:
            @pytest.mark.parametrize("x", [1, 2])
            @pytest.mark.brainscore(model="m", benchmark="b", max_score=-1)
            def test_bad(self, x):
                pass

            @pytest.mark.parametrize("x", [1, 2])
            def test_fine(self, x):
                pass
        """
    )
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=2, errors=2)
    result.stdout.fnmatch_lines(["*TestGroup::test_bad[[]1[]] ERROR*", "*TestGroup::test_bad[[]2[]] ERROR*"])


# --- pytest-benchmark's `benchmark` fixture and ours -------------------------------------------------------------
BOTH_KINDS = """
import pytest
from pytest_benchmark.fixture import BenchmarkFixture

def test_timing(benchmark):
    assert isinstance(benchmark, BenchmarkFixture)
    assert benchmark(sum, [1, 2, 3]) == 6

@pytest.mark.benchmark(group="g")
def test_timing_marked(benchmark):
    assert isinstance(benchmark, BenchmarkFixture)

@pytest.mark.brainscore(model="toy_good", benchmark="ToyLab2024.V4-mean")
def test_brainscore(benchmark, brainscore_benchmark):
    assert benchmark is brainscore_benchmark
    assert benchmark.identifier == "ToyLab2024.V4-mean"

def test_brainscore_by_alias(brainscore_benchmark):
    assert brainscore_benchmark.identifier == "ToyLab2024.IT-mean"

def test_brainscore_unmarked(benchmark, brain_model):
    assert benchmark.identifier == "ToyLab2024.IT-mean"
"""


def test_pytest_benchmark_users_keep_their_fixture_and_brainscore_tests_get_ours(toy: pytest.Pytester) -> None:
    import pytest_benchmark  # noqa: F401 - part of the `test` extra: this test needs it installed

    toy.makepyfile(test_both=BOTH_KINDS)
    result = toy.runpytest(
        "-p",
        "benchmark",
        "--benchmark-disable",
        "--brainscore-benchmark=ToyLab2024.IT-mean",
        "--brainscore-model=toy_good",
    )
    result.assert_outcomes(passed=5)
    assert "INTERNALERROR" not in result.stdout.str()


def test_pytest_benchmark_timings_are_still_recorded(toy: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)  # else pytest-benchmark disables timing in the run
    toy.makepyfile(test_timed=BOTH_KINDS.split("@pytest.mark.benchmark")[0])
    # -p no:xdist: under `pytest -n`, pytest-benchmark would disable timing in the inner run too
    result = toy.runpytest("-p", "benchmark", "-p", "no:xdist", "--benchmark-columns=min,rounds")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*benchmark: 1 tests*", "*test_timing *"])


def test_without_pytest_benchmark_the_benchmark_fixture_is_ours(toy: pytest.Pytester) -> None:
    toy.makepyfile(
        test_plain_benchmark="""
        import pytest

        @pytest.mark.brainscore(model="toy_good", benchmark="ToyLab2024.V4-mean")
        def test_marked(benchmark, brainscore_benchmark):
            assert benchmark is brainscore_benchmark
            assert benchmark.identifier == "ToyLab2024.V4-mean"

        def test_unmarked(benchmark):
            assert benchmark.identifier == "ToyLab2024.IT-mean"
        """
    )
    result = toy.runpytest("-p", "no:benchmark", "--brainscore-benchmark=ToyLab2024.IT-mean")
    result.assert_outcomes(passed=2)


# --- broken plugins and plugin paths under pytest -----------------------------------------------------------------
PLAIN_AND_MARKED = """
import pytest

def test_plain():
    pass

@pytest.mark.brainscore(model="toy_good", benchmark="ToyLab2024.V4-mean")
def test_marked():
    pass
"""


def test_a_plugin_calling_sys_exit_is_a_failed_plugin_not_an_internal_error(toy: pytest.Pytester) -> None:
    quitter = toy.path / "exits" / "models" / "quitter"
    quitter.mkdir(parents=True)
    (quitter / "__init__.py").write_text("import sys\nsys.exit(3)\n")
    toy.makepyfile(test_exits=PLAIN_AND_MARKED)
    result = toy.runpytest(f"--brainscore-plugins={toy.path / 'exits'}", "-W", "always")
    result.assert_outcomes(passed=2, warnings=1)
    assert "INTERNALERROR" not in result.stdout.str()
    result.stdout.fnmatch_lines([f"*RuntimeWarning: Plugin {quitter} failed to load: SystemExit: 3"])


def test_a_bad_plugins_path_variable_fails_the_brainscore_tests_in_one_line(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = pytester.path / "nowhere"
    monkeypatch.setenv("BRAINSCORE_PLUGINS_PATH", str(missing))
    pytester.makepyfile(test_env=PLAIN_AND_MARKED)
    message = (
        f"BRAINSCORE_PLUGINS_PATH: plugin directory {missing} does not exist or is not a directory; "
        "fix the variable or unset it."
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines([f"test_env.py::test_marked: {message}"])
    assert "Traceback" not in result.stdout.str()
    listing = pytester.runpytest("--brainscore-list")
    assert listing.ret == pytest.ExitCode.USAGE_ERROR
    listing.stderr.fnmatch_lines([f"ERROR: {message}"])


def test_generated_items_with_a_bad_plugins_path_variable_are_a_one_line_usage_error(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = pytester.path / "nowhere"
    monkeypatch.setenv("BRAINSCORE_PLUGINS_PATH", str(missing))
    pytester.makepyfile(test_unrelated="def test_unrelated():\n    pass\n")
    result = pytester.runpytest("--brainscore-model=m", "--brainscore-benchmark=b")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: BRAINSCORE_PLUGINS_PATH: plugin directory {missing} does not exist*"])
    assert len(result.stderr.lines) <= 3


def test_a_bad_plugins_ini_key_is_named(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nbrainscore_plugins = nowhere\n")
    pytester.makepyfile(test_ini="def test_plain():\n    pass\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: ini key brainscore_plugins: plugin directory * does not exist or is not a*"])


def test_an_unknown_identifier_without_plugin_directory_says_so(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BRAINSCORE_PLUGINS_PATH", raising=False)
    pytester.makepyfile(
        test_mine="""
        import pytest

        @pytest.mark.brainscore(model="my_lab_model", benchmark="Kriegeskorte2008.hIT-rsa")
        def test_mine():
            pass

        @pytest.mark.brainscore(model="pixelz", benchmark="Kriegeskorte2008.hIT-rsa")
        def test_typo():
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            (
                "test_mine.py::test_mine: no registered model matches the identifier 'my_lab_model'. No plugin "
                "directory was given; pass --brainscore-plugins=DIR or set BRAINSCORE_PLUGINS_PATH (the directory "
                "holding its plugin folder) if it comes from a plugin. Run `pytest --brainscore-list` to see them all."
            ),
        ]
    )
    result.stdout.fnmatch_lines(
        ["test_mine.py::test_typo: no registered model matches the identifier 'pixelz'. Close identifiers: pixels.*"]
    )


def test_a_benchmark_that_cannot_be_built_at_collection_fails_only_its_test(toy: pytest.Pytester) -> None:
    broken = toy.path / "extra" / "benchmarks" / "broken_lab"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text(
        "from brainscore_core import benchmark_registry\n\n"
        "def build():\n    raise ValueError('the data file is missing')\n\n"
        "benchmark_registry['Broken2024.IT-mean'] = build\n"
    )
    toy.makepyfile(
        test_raw="""
        import pytest

        @pytest.mark.brainscore(model="toy_good", benchmark="Broken2024.IT-mean", min_raw=0.1)
        def test_broken():
            pass

        def test_plain():
            pass
        """
    )
    result = toy.runpytest(f"--brainscore-plugins={toy.path / 'extra'}")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at setup of test_broken*", "*raise ValueError('the data file is missing')"])


def test_a_test_modules_own_benchmark_fixture_works_with_pytest_benchmark_active(pytester: pytest.Pytester) -> None:
    """The pattern of plugin test.py files: a module-level `benchmark` fixture, next to pytest-benchmark users."""
    pytester.makepyfile(
        test_own="""
        import pytest

        @pytest.fixture(scope="module")
        def benchmark():
            return "my benchmark"

        def test_own(benchmark):
            assert benchmark == "my benchmark"
        """,
        test_timing="""
        from pytest_benchmark.fixture import BenchmarkFixture

        def test_timing(benchmark):
            assert isinstance(benchmark, BenchmarkFixture)
        """,
    )
    result = pytester.runpytest("-p", "benchmark", "--benchmark-disable")
    result.assert_outcomes(passed=2)
    assert "INTERNALERROR" not in result.stdout.str()
