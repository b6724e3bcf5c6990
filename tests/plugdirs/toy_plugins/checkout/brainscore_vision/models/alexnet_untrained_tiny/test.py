import pytest
from pytest import approx  # noqa: PT013 - the form Brain-Score plugin tests use

import brainscore_vision

from .model import get_layers


@pytest.mark.travis_slow
def test_has_identifier():
    model = brainscore_vision.load_model("alexnet_untrained_tiny")
    assert model.identifier == "alexnet_untrained_tiny"


def test_layers():
    assert "features.12" in get_layers("alexnet_untrained_tiny")


@pytest.mark.private_access
@pytest.mark.memory_intense
@pytest.mark.parametrize(
    "model_identifier, expected_score",
    [
        ("alexnet_untrained_tiny", approx(0.417, abs=0.001)),
    ],
)
def test_score(model_identifier, expected_score):
    actual_score = brainscore_vision.score(
        model_identifier=model_identifier, benchmark_identifier="MajajHong2015.IT-pls", conda_active=True
    )
    assert actual_score == expected_score


@pytest.mark.memory_intense
def test_public_score():
    actual_score = brainscore_vision.score(
        model_identifier="alexnet_untrained_tiny",
        benchmark_identifier="Marques2020_Ringach2002-or_bandwidth",
        conda_active=True,
    )
    assert actual_score == approx(0.5, abs=0.0005)


@pytest.mark.memory_intense
def test_kriegeskorte_score():
    actual_score = brainscore_vision.score(
        model_identifier="alexnet_untrained_tiny", benchmark_identifier="Kriegeskorte2008.hIT-rsa"
    )
    assert actual_score == approx(0.1429, abs=0.0005)
