"""A ceiling of exactly zero: the ceiled score is undefined (NaN, which fails a gated test), with the warning."""

from __future__ import annotations

import math

import pytest

from brainscore_core import Score
from brainscore_core.score import UnreliableCeilingWarning, ceil_ratio, ceil_squared, ceiled_error


@pytest.mark.parametrize("ceil", [ceil_ratio, ceil_squared])
def test_a_zero_ceiling_gives_a_nan_score_and_a_warning_not_a_zero_division(ceil):
    with pytest.warns(UnreliableCeilingWarning, match=r"it is 0\.0000 <= 0"):
        score = ceil(Score(0.1, error=0.01), Score(0.0, error=0.0))
    assert math.isnan(score.value) and math.isnan(score.unclipped) and math.isnan(score.error)
    assert score.raw == 0.1 and score.ceiling == 0.0 and score.raw_error == 0.01


def test_the_error_of_a_zero_ceiling_is_undefined_too():
    assert math.isnan(ceiled_error(0.1, 0.01, 0.0, "raw / ceiling"))
    assert ceiled_error(0.1, 0.01, 0.5, "raw / ceiling") == pytest.approx(0.02)
