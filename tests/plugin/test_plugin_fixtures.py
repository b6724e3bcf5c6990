"""Fixtures: brain_model, benchmark, brainscore_result (once per session), the brainscore_score factory."""

import pytest
from toy_expectations import toy_score


def test_fixtures_give_the_pairs_objects_and_one_score_per_session(toy: pytest.Pytester) -> None:
    toy.makepyfile(
        """
        import pytest
        from brainscore_core import Benchmark, BrainModel, Score

        seen = []

        @pytest.mark.brainscore(model="toy_good", benchmark="ToyLab2024.V4-mean")
        def test_objects(brain_model, benchmark):
            assert isinstance(brain_model, BrainModel) and brain_model.identifier == "toy_good"
            assert isinstance(benchmark, Benchmark) and benchmark.identifier == "ToyLab2024.V4-mean"
            assert benchmark(brain_model).ceiling is not None

        @pytest.mark.brainscore(model="toy_good", benchmark="ToyLab2024.V4-mean")
        def test_first(brainscore_result, brain_model):
            assert isinstance(brainscore_result, Score)
            seen.append((brainscore_result, brain_model))

        @pytest.mark.brainscore(model="toy_good", benchmark="ToyLab2024.V4-mean")
        def test_second(brainscore_result, brain_model):
            assert (brainscore_result, brain_model) == seen[0]
            assert brainscore_result is seen[0][0] and brain_model is seen[0][1]
        """
    )
    result = toy.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=3)


def test_brainscore_result_carries_the_benchmarks_numbers(toy: pytest.Pytester) -> None:
    toy.makepyfile(
        f"""
        import math
        import pytest

        @pytest.mark.brainscore(model="toy_poor", benchmark="ToyLab2024.IT-mean")
        def test_numbers(brainscore_result):
            assert math.isclose(brainscore_result.value, {toy_score("toy_poor")!r})
            assert brainscore_result.benchmark_version == 1
            assert brainscore_result.attrs["seconds"] >= 0
        """
    )
    toy.runpytest().assert_outcomes(passed=1)


def test_fixtures_without_marker_use_the_command_line_selection(toy: pytest.Pytester) -> None:
    toy.makepyfile(
        test_free="""
        def test_models_only(brain_model):
            assert brain_model.identifier.startswith("toy_")

        def test_result(brainscore_result):
            assert brainscore_result.value > 0
        """
    )
    result = toy.runpytest("-v", "--brainscore-model=toy_good,toy_poor", "--brainscore-benchmark=ToyLab2024.V4-mean")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(
        [
            "test_free.py::test_models_only[[]toy_good[]] PASSED*",
            "test_free.py::test_models_only[[]toy_poor[]] PASSED*",
            "test_free.py::test_result[[]toy_good-ToyLab2024.V4-mean[]] PASSED*",
            "test_free.py::test_result[[]toy_poor-ToyLab2024.V4-mean[]] PASSED*",
        ]
    )


def test_score_factory_scores_reports_and_skips_incompatible_pairs(toy: pytest.Pytester) -> None:
    toy.makepyfile(
        f"""
        import math

        def test_factory(brainscore_score):
            good = brainscore_score("toy_good", "ToyLab2024.IT-mean")
            poor = brainscore_score("toy_poor", "ToyLab2024.IT-mean")
            assert math.isclose(good.value, {toy_score("toy_good")!r})
            assert good.value > poor.value

        def test_incompatible(brainscore_score):
            brainscore_score("toy_v4only", "ToyLab2024.IT-mean")
            raise AssertionError("not reached")

        def test_unknown_identifier(brainscore_score):
            brainscore_score("toy_goood", "ToyLab2024.IT-mean")
        """
    )
    result = toy.runpytest("-rs")
    result.assert_outcomes(passed=1, skipped=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*UnknownIdentifierError: Unknown model identifier 'toy_goood'. Did you mean: 'toy_good'*",
            f"toy_good *ToyLab2024.IT-mean *{toy_score('toy_good'):.4f} *",
            f"toy_poor *ToyLab2024.IT-mean *{toy_score('toy_poor'):.4f} *",
            "toy_v4only on ToyLab2024.IT-mean: skipped, Model 'toy_v4only' cannot record from region 'IT'*",
        ]
    )


def test_a_projects_own_fixtures_and_parameters_with_the_same_names_are_left_alone(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture
        def benchmark():
            return "the project's own"
        """
    )
    pytester.makepyfile(
        """
        import pytest

        def test_own(benchmark):
            assert benchmark == "the project's own"

        @pytest.mark.parametrize("brainscore_result", [1, 2])
        def test_parameter(brainscore_result):
            assert brainscore_result in (1, 2)

        @pytest.fixture(params=["a", "b"])
        def brain_model(request):
            return request.param

        def test_module_fixture(brain_model):
            assert brain_model in ("a", "b")
        """
    )
    pytester.runpytest().assert_outcomes(passed=5)


def test_pair_fixture_without_any_selection_fails_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_needs_model(brain_model):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*test_needs_model: no model selected: *--brainscore-model=ID (ini key brainscore_model)."]
    )


def test_requires_gpu_skips_cleanly(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.requires_gpu
        def test_gpu():
            pass

        @pytest.mark.slow
        @pytest.mark.memory_intense
        def test_heavy():
            pass
        """
    )
    result = pytester.runpytest("-rs", "--strict-markers", "--brainscore-device=cpu")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["SKIPPED*requires a GPU, but --brainscore-device=cpu"])


def test_requires_gpu_asks_torch_only_when_such_a_test_runs(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import sys
        import pytest

        def test_before():
            assert "torch" not in sys.modules

        @pytest.mark.requires_gpu
        def test_gpu():
            import torch
            assert torch.cuda.is_available()

        def test_after():
            assert "torch" in sys.modules
        """
    )
    # a process of its own: the run checks that torch is not imported yet, which this process may have done
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-rs")
    if result.parseoutcomes().get("skipped"):  # the usual case: this machine has no GPU
        result.assert_outcomes(passed=2, skipped=1)
        result.stdout.fnmatch_lines(["SKIPPED*requires a GPU, and none is available (torch.cuda.is_available()*"])
    else:
        result.assert_outcomes(passed=3)
