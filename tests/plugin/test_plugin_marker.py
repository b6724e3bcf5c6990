"""The brainscore marker: parametrization and ids, thresholds and their message, usage errors failing their test."""

import pytest
from toy_expectations import TOY_CEILING, TOY_LEVELS


def test_marker_parametrizes_over_pairs_with_readable_ids(toy: pytest.Pytester) -> None:
    toy.makepyfile(
        test_pairs="""
        import pytest

        @pytest.mark.brainscore(model=["toy_good", "toy_poor"], benchmark="ToyLab2024.*")
        def test_pairs(brainscore_result):
            assert brainscore_result.raw > 0
        """
    )
    result = toy.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(
        [
            "test_pairs.py::test_pairs[toy_good-ToyLab2024.IT-mean]",
            "test_pairs.py::test_pairs[toy_good-ToyLab2024.V4-mean]",
            "test_pairs.py::test_pairs[toy_poor-ToyLab2024.IT-mean]",
            "test_pairs.py::test_pairs[toy_poor-ToyLab2024.V4-mean]",
            "4 tests collected*",
        ]
    )


def test_thresholds_pass_and_fail_with_one_line_that_says_everything(toy: pytest.Pytester) -> None:
    toy.makepyfile(
        """
        import pytest

        @pytest.mark.brainscore(model=["toy_good", "toy_poor"], benchmark="ToyLab2024.V4-mean", min_score=0.5)
        def test_v4(brainscore_result):
            assert brainscore_result.raw > 0
        """
    )
    result = toy.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    poor = TOY_LEVELS["toy_poor"] / TOY_CEILING
    # the error is on the ceiled scale: 0.002 / 0.8
    expected = (
        f"brainscore: toy_poor on ToyLab2024.V4-mean v1: score {poor:.4f} is below min_score=0.5 by {0.5 - poor:.4f} "
        f"[score {poor:.4f}, raw {TOY_LEVELS['toy_poor']:.4f}, ceiling {TOY_CEILING:.4f}, error 0.0025]"
    )
    assert expected in result.stdout.lines  # one line, on its own, with no traceback around it
    assert "assert" not in "\n".join(result.stdout.lines[result.stdout.lines.index(expected) - 2 :][:3])


def test_max_score_and_min_raw_are_checked(toy: pytest.Pytester) -> None:
    toy.makepyfile(
        """
        import pytest

        @pytest.mark.brainscore(model="toy_good", benchmark="ToyLab2024.V4-mean", max_score=0.7)
        def test_too_good():
            pass

        @pytest.mark.brainscore(model="toy_good", benchmark="ToyLab2024.V4-mean", min_raw=0.61)
        def test_raw_too_low():
            pass

        @pytest.mark.brainscore(model="toy_good", benchmark="ToyLab2024.V4-mean", min_raw=0.59, max_score=0.76)
        def test_within():
            pass
        """
    )
    result = toy.runpytest()
    result.assert_outcomes(passed=1, failed=2)
    good = TOY_LEVELS["toy_good"] / TOY_CEILING
    result.stdout.fnmatch_lines(
        [
            (
                f"brainscore: toy_good on ToyLab2024.V4-mean v1: score {good:.4f} is above max_score=0.7 by "
                f"{good - 0.7:.4f} [[]*]"
            ),
            (
                f"brainscore: toy_good on ToyLab2024.V4-mean v1: raw {TOY_LEVELS['toy_good']:.4f} is below "
                f"min_raw=0.61 by {0.61 - TOY_LEVELS['toy_good']:.4f} [[]*]"
            ),
        ]
    )


def test_thresholds_are_checked_only_after_the_body_passes(toy: pytest.Pytester) -> None:
    toy.makepyfile(
        """
        import pytest

        @pytest.mark.brainscore(model="toy_poor", benchmark="ToyLab2024.V4-mean", min_score=0.9)
        def test_body_fails():
            assert False, "the body's own failure"
        """
    )
    result = toy.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the body's own failure*"])
    result.stdout.no_fnmatch_line("brainscore: toy_poor*")


def test_incompatible_pair_is_skipped_with_the_reason(toy: pytest.Pytester) -> None:
    toy.makepyfile(
        """
        import pytest

        @pytest.mark.brainscore(model="toy_v4only", benchmark="ToyLab2024.*")
        def test_marker_only():
            pass

        @pytest.mark.brainscore(model="toy_v4only", benchmark="ToyLab2024.IT-mean")
        def test_body_runs_the_benchmark(brain_model, benchmark):
            benchmark(brain_model)
        """
    )
    result = toy.runpytest("-rs")
    result.assert_outcomes(passed=1, skipped=2)
    result.stdout.fnmatch_lines(
        ["SKIPPED [[]1[]] *.py:*: toy_v4only cannot run ToyLab2024.IT-mean: Model 'toy_v4only' cannot record*"] * 2
    )


def test_class_level_marker_applies_to_its_methods(toy: pytest.Pytester) -> None:
    toy.makepyfile(
        """
        import pytest

        @pytest.mark.brainscore(model="toy_good", benchmark="ToyLab2024.IT-mean", min_score=0.7)
        class TestAlignment:
            def test_score(self, brainscore_result):
                assert brainscore_result.model_identifier == "toy_good"
        """
    )
    result = toy.runpytest("-v")
    result.stdout.fnmatch_lines(["*TestAlignment::test_score[[]toy_good-ToyLab2024.IT-mean[]] PASSED*"])


# --- usage errors: the marked test fails alone, at set-up (validation runs before any registry lookup, so
# in-process is fine) -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("marker", "message"),
    [
        (
            'model="m", benchmark="b", min_scor=0.1',
            "unknown keyword argument(s) 'min_scor' (did you mean 'min_score'?)*",
        ),
        ('"m", "b"', "takes keyword arguments only*"),
        ('model="m", benchmark="b", min_score=0.8, max_score=0.2', "min_score=0.8 is greater than max_score=0.2."),
        ('model="m", benchmark="b", min_score=1.5', "min_score=1.5 is outside the range of ceiled scores [[]0, 1[]]."),
        ('model="m", benchmark="b", max_score=-0.1', "max_score=-0.1 is outside the range of ceiled scores*"),
        ('model="m", benchmark="b", min_score="high"', "min_score= must be a number, got 'high'."),
        ('model=3, benchmark="b"', "model= must be an identifier, a glob or a non-empty list of them, got 3."),
        ('model=[], benchmark="b"', "model= must be an identifier*got []."),
    ],
)
def test_marker_misuse_is_a_setup_error(pytester: pytest.Pytester, marker: str, message: str) -> None:
    pytester.makepyfile(
        f"""
        import pytest

        @pytest.mark.brainscore({marker})
        def test_x():
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ERROR at setup of test_x*", f"brainscore marker on test_*.py::test_x: {message}"])


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        (
            'model="toy_goood", benchmark="ToyLab2024.*"',
            (
                "no registered model matches the identifier 'toy_goood'. Close identifiers: toy_good*. "
                "Run `pytest --brainscore-list` to see them all."
            ),
        ),
        (
            'model="toy_good", benchmark="ToyLab2025.*"',
            "no registered benchmark matches the pattern 'ToyLab2025.*'. Close identifiers: ToyLab2024.*",
        ),
    ],
)
def test_pattern_matching_nothing_lists_close_identifiers(toy: pytest.Pytester, marker: str, message: str) -> None:
    toy.makepyfile(
        test_marker_selection=f"""
        import pytest

        @pytest.mark.brainscore({marker})
        def test_x():
            pass
        """
    )
    result = toy.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"test_marker_selection.py::test_x: {message}"])


def test_min_raw_outside_the_benchmarks_raw_range_fails_the_test(toy: pytest.Pytester) -> None:
    toy.makepyfile(
        test_raw="""
        import pytest

        @pytest.mark.brainscore(model="toy_good", benchmark="ToyLab2024.V4-mean", min_raw=-0.5)
        def test_x():
            pass
        """
    )
    result = toy.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            (
                "brainscore marker on test_raw.py::test_x: min_raw=-0.5 is outside the range of "
                "ToyLab2024.V4-mean's raw scores [[]0, 1[]]."
            )
        ]
    )


def test_marker_without_model_and_no_option_fails_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.brainscore(benchmark="b")
        def test_x():
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*test_x: no model selected: pass model=... to @pytest.mark.brainscore, or --brainscore-model=ID*"]
    )


def test_markers_are_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(
        [
            "@pytest.mark.brainscore(model=None, benchmark=None, min_score=None, max_score=None, min_raw=None):*",
            "@pytest.mark.slow:*",
            "@pytest.mark.memory_intense:*",
            "@pytest.mark.requires_gpu:*",
        ],
        consecutive=False,
    )
