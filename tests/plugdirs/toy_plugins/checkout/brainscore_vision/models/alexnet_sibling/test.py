import pytest

import brainscore_vision


@pytest.mark.travis_slow
def test_has_identifier():
    model = brainscore_vision.load_model("alexnet_sibling_7deg")
    assert model.identifier == "alexnet_sibling_7deg"
    assert model.visual_degrees() == 7
