import math
import re
import warnings

import numpy as np
import pytest
import xarray as xr

from brainscore_core import Score
from brainscore_core.score import (
    UnreliableCeilingWarning,
    ceil_ratio,
    ceil_squared,
    ceiled_error,
    ceiling_unreliability,
    warn_if_ceiling_unreliable,
)


def test_float_and_fields():
    score = Score(0.5, error=0.1, raw=0.7, ceiling=0.9)
    assert float(score) == 0.5 and score.raw == 0.7 and score.ceiling == 0.9


def test_json_round_trip_keeps_details_and_nan():
    details = xr.DataArray(
        np.array([[0.1, np.nan], [0.3, 0.4]]),
        dims=("split", "neuroid"),
        coords={"split": [0, 1], "neuroid_id": ("neuroid", ["n1", "n2"])},
    )
    score = Score(
        0.25,
        0.01,
        raw=0.5,
        ceiling=0.8,
        unclipped=0.3125,
        model_identifier="m",
        benchmark_identifier="b",
        benchmark_version=2,
        details={"split_neuroid": details},
        attrs={"n_components": np.int64(25), "lower": 0.1},
    )
    back = Score.from_json(score.to_json())
    assert (back.value, back.raw, back.ceiling, back.benchmark_version) == (0.25, 0.5, 0.8, 2)
    xr.testing.assert_identical(back.details["split_neuroid"], details)
    assert back.attrs == {"n_components": 25, "lower": 0.1}
    assert math.isnan(Score.from_json(Score(1.0).to_json()).error)


def test_ceil_squared_clips_and_keeps_unclipped():
    raw, ceiling = Score(0.9, error=0.02), Score(0.5)
    ceiled = ceil_squared(raw, ceiling)
    assert ceiled.value == 1.0 and math.isclose(ceiled.unclipped, 1.62)
    # the error is carried to the ceiled scale (d/draw raw**2/c = 2 raw / c), the raw error is kept
    assert math.isclose(ceiled.error, 2 * 0.9 * 0.02 / 0.5) and ceiled.raw_error == 0.02
    assert ceiled.raw == 0.9 and ceiled.ceiling == 0.5
    assert ceil_squared(Score(0.3), Score(0.9)).value == 0.09 / 0.9


def test_ceil_ratio_without_ceiling_is_raw_clipped():
    assert ceil_ratio(Score(-0.2), None).value == 0.0
    assert ceil_ratio(Score(0.4), Score(0.8)).value == 0.5
    assert ceil_ratio(Score(0.4), None).ceiling is None


def test_ceil_ratio_carries_the_error_to_the_ceiled_scale():
    ceiled = ceil_ratio(Score(0.12, error=0.03), Score(0.25, error=0.01))
    assert math.isclose(ceiled.value, 0.48)  # the value is unchanged by the error propagation
    assert math.isclose(ceiled.error, 0.03 / 0.25) and ceiled.raw_error == 0.03
    assert ceiled.attrs["ceiling_formula"] == "raw / ceiling" and ceiled.attrs["ceiling_error"] == 0.01


def test_error_propagation_matches_a_finite_difference():
    raw, error, ceiling = 0.37, 1e-6, 0.61
    for ceil in (ceil_ratio, ceil_squared):
        low, high = ceil(Score(raw - error), Score(ceiling)), ceil(Score(raw + error), Score(ceiling))
        ceiled = ceil(Score(raw, error=error), Score(ceiling))
        assert math.isclose(ceiled.error, (high.unclipped - low.unclipped) / 2, rel_tol=1e-6)
        assert math.isclose(ceiled_error(raw, error, ceiling, ceiled.attrs["ceiling_formula"]), ceiled.error)


def test_without_a_ceiling_the_error_stays_on_the_raw_scale():
    ceiled = ceil_ratio(Score(0.4, error=0.05), None)
    assert ceiled.error == 0.05 and ceiled.raw_error == 0.05
    assert ceiled_error(0.4, 0.05, None, "raw / ceiling") == 0.05


def test_raw_error_round_trips_through_json():
    ceiled = ceil_squared(Score(0.5, error=0.02), Score(0.8))
    back = Score.from_json(ceiled.to_json())
    assert back.raw_error == 0.02 and math.isclose(back.error, ceiled.error)
    assert Score.from_json(Score(1.0).to_json()).raw_error is None


@pytest.mark.parametrize(
    ("ceiling", "reason"),
    [
        (Score(0.3, error=0.01, attrs={"lower": -0.02}), "its lower bound is -0.0200 <= 0"),
        (Score(0.3, error=0.01, attrs={"lower": 0.0}), "its lower bound is 0.0000 <= 0"),
        (Score(0.05, error=0.03), "it is 0.0500 +- 0.0300, within two errors of 0"),
        (Score(-0.1), "it is -0.1000 <= 0"),
        (Score(0.2, error=0.01, attrs={"shuffled": 0.25}), "it is 0.2000, not above 0.2500 with the stimulus labels"),
    ],
)
def test_a_ceiling_not_reliably_above_zero_warns_when_a_score_is_ceiled(ceiling: Score, reason: str) -> None:
    expected = re.escape(f"The ceiling is not reliably above zero: {reason}")
    for ceil in (ceil_ratio, ceil_squared):
        with pytest.warns(UnreliableCeilingWarning, match=expected):
            ceiled = ceil(Score(0.1, error=0.01), ceiling)
        assert ceiled.raw == 0.1  # still scored


@pytest.mark.parametrize(
    "ceiling",
    [Score(0.661, error=0.02, attrs={"lower": 0.379}), Score(0.8, error=0.0), Score(0.5, attrs={"shuffled": 0.01})],
)
def test_a_reliable_ceiling_does_not_warn(ceiling: Score) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnreliableCeilingWarning)
        ceil_ratio(Score(0.1), ceiling)
        ceil_squared(Score(0.1), ceiling)
    assert ceiling_unreliability(ceiling) is None


def test_the_warning_names_the_benchmark_when_the_ceiling_carries_it() -> None:
    ceiling = Score(0.3, attrs={"lower": -0.1}, benchmark_identifier="Lab2024.IT-rsa")
    with pytest.warns(UnreliableCeilingWarning, match="The ceiling of Lab2024.IT-rsa is not reliably above zero"):
        warn_if_ceiling_unreliable(ceiling)
