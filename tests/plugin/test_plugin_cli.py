"""Command line: generated items, --brainscore-list, option precedence, the header line, option usage errors."""

import pytest
from toy_expectations import TOY_LEVELS, TOY_PLUGINS, toy_score


def test_model_and_benchmark_alone_generate_one_gated_item_per_pair(toy: pytest.Pytester) -> None:
    toy.makepyfile(test_unrelated="def test_unrelated():\n    pass\n")
    result = toy.runpytest(
        "-v",
        "-rs",
        "--brainscore-model=toy_*",
        "--brainscore-benchmark=ToyLab2024.IT-mean",
        "--brainscore-min-score=0.5",
    )
    result.assert_outcomes(passed=2, failed=1, skipped=1)
    poor = toy_score("toy_poor")
    result.stdout.fnmatch_lines(
        [
            "test_unrelated.py::test_unrelated PASSED*",
            "brainscore[[]toy_good-ToyLab2024.IT-mean[]] PASSED*",
            "brainscore[[]toy_poor-ToyLab2024.IT-mean[]] FAILED*",
            "brainscore[[]toy_v4only-ToyLab2024.IT-mean[]] SKIPPED*",
            (
                f"brainscore: toy_poor on ToyLab2024.IT-mean v1: score {poor:.4f} is below min_score=0.5 by "
                f"{0.5 - poor:.4f} [[]*"
            ),
            "SKIPPED [[]1[]] *toy_v4only cannot run ToyLab2024.IT-mean: Model 'toy_v4only' cannot record from*",
        ]
    )


def test_generated_items_are_selected_by_k_and_absent_when_tests_use_the_plugin(toy: pytest.Pytester) -> None:
    toy.makepyfile(
        test_uses="""
        def test_result(brainscore_result):
            assert brainscore_result.value > 0
        """
    )
    args = ("-v", "--brainscore-model=toy_good,toy_poor", "--brainscore-benchmark=ToyLab2024.V4-mean")
    result = toy.runpytest(*args)  # a test uses the plugin: the options steer it, nothing is generated
    result.assert_outcomes(passed=2)
    result.stdout.no_fnmatch_line("brainscore[[]*")
    toy.path.joinpath("test_uses.py").unlink()
    result = toy.runpytest(*args, "-k", "poor")
    result.assert_outcomes(passed=1, deselected=1)
    result.stdout.fnmatch_lines(["brainscore[[]toy_poor-ToyLab2024.V4-mean[]] PASSED*"])


def test_model_alone_without_plugin_tests_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_unrelated="def test_unrelated():\n    pass\n")
    result = pytester.runpytest("--brainscore-model=toy_good")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: --brainscore-model was given but no test uses the brainscore plugin, and there is no benchmark*"]
    )


def test_list_prints_models_and_benchmarks_then_exits(toy: pytest.Pytester) -> None:
    toy.makepyfile(test_never_run="def test_never_run():\n    raise AssertionError\n")
    result = toy.runpytest("--brainscore-list", "--brainscore-model=toy_*", "--brainscore-benchmark=ToyLab*")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        [
            "Models (3):",
            "  toy_good    Tiny torch-free models for the pytest plugin's tests*",
            "  toy_poor    *",
            "  toy_v4only  *",
            "Benchmarks (2):",
            "  ToyLab2024.IT-mean  Toy neural benchmarks for the pytest plugin's tests*",
            "  ToyLab2024.V4-mean  *",
        ]
    )
    result.stdout.no_fnmatch_line("*test session starts*")


def test_precedence_marker_over_command_line_over_ini(toy: pytest.Pytester) -> None:
    toy.makeini(
        """
        [pytest]
        brainscore_model = toy_poor
        brainscore_benchmark = ToyLab2024.V4-mean
        """
    )
    toy.makepyfile(
        test_precedence="""
        import pytest

        def test_from_options(brainscore_result):
            pass

        @pytest.mark.brainscore(model="toy_v4only")
        def test_marker_wins(brainscore_result):
            pass
        """
    )
    result = toy.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(
        [
            "test_precedence.py::test_from_options[[]toy_poor-ToyLab2024.V4-mean[]]",
            "test_precedence.py::test_marker_wins[[]toy_v4only-ToyLab2024.V4-mean[]]",
        ]
    )
    result = toy.runpytest("--collect-only", "-q", "--brainscore-model=toy_good")
    result.stdout.fnmatch_lines(
        [
            "test_precedence.py::test_from_options[[]toy_good-ToyLab2024.V4-mean[]]",
            "test_precedence.py::test_marker_wins[[]toy_v4only-ToyLab2024.V4-mean[]]",
        ]
    )


def test_min_score_option_fills_in_for_markers_without_one(toy: pytest.Pytester) -> None:
    toy.makeini("[pytest]\nbrainscore_min_score = 0.9\n")
    toy.makepyfile(
        test_min="""
        import pytest

        @pytest.mark.brainscore(model="toy_good", benchmark="ToyLab2024.V4-mean")
        def test_inherits():
            pass

        @pytest.mark.brainscore(model="toy_good", benchmark="ToyLab2024.V4-mean", min_score=0.7)
        def test_own_threshold():
            pass
        """
    )
    result = toy.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [f"brainscore: toy_good on ToyLab2024.V4-mean v1: score {toy_score('toy_good'):.4f} is below min_score=0.9 by*"]
    )
    result = toy.runpytest("--brainscore-min-score=0.1")  # the command line beats the ini key
    result.assert_outcomes(passed=2)


def test_plugins_cache_and_device_options_configure_brainscore_core(pytester: pytest.Pytester) -> None:
    pytester.makeini(f"[pytest]\nbrainscore_plugins = {TOY_PLUGINS}\nbrainscore_cache_dir = my_cache\n")
    pytester.makepyfile(
        test_settings=f"""
        import math
        import pytest
        from pathlib import Path
        from brainscore_core.config import settings

        @pytest.mark.brainscore(model="toy_v4only", benchmark="ToyLab2024.V4-mean")
        def test_settings(brainscore_result):
            current = settings()
            assert current.cache_dir == Path(__file__).parent / "my_cache"
            assert current.cache_enabled is False
            assert current.device == "cpu"
            assert math.isclose(brainscore_result.value, {TOY_LEVELS["toy_v4only"] / 0.8!r})
        """
    )
    result = pytester.runpytest("--brainscore-no-cache", "--brainscore-device=cpu")
    result.assert_outcomes(passed=1)


def test_header_line_shows_the_configuration(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_x="def test_x():\n    pass\n")
    result = pytester.runpytest("--brainscore-tolerance=0.05", "--brainscore-device=cpu", "--brainscore-no-cache")
    result.stdout.fnmatch_lines(["brainscore: cache=off, device=cpu"])
    baseline = pytester.path / "baseline.json"
    result = pytester.runpytest(f"--brainscore-baseline={baseline}", "--brainscore-update-baseline")
    result.stdout.fnmatch_lines(
        [f"brainscore: cache=default, device=auto, baseline={baseline} (tolerance 0.01, update)"]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--brainscore-tolerance=-0.1"], "--brainscore-tolerance=-0.1 must be zero or positive."),
        (["--brainscore-min-score=2"], "--brainscore-min-score=2 is outside the range of ceiled scores [[]0, 1[]]."),
        (["--brainscore-update-baseline"], "--brainscore-update-baseline needs a file to write*"),
        (["--brainscore-baseline=missing.json"], "Baseline file */missing.json does not exist. Create it with*"),
        (["--brainscore-plugins=nowhere"], "--brainscore-plugins: plugin directory */nowhere does not exist*"),
        (["-o", "brainscore_tolerance=lots"], "ini key brainscore_tolerance must be a number, got 'lots'."),
    ],
)
def test_inconsistent_options_are_usage_errors(pytester: pytest.Pytester, args: list[str], message: str) -> None:
    result = pytester.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: {message}"])
