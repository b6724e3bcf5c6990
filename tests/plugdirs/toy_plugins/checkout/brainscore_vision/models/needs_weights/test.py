import pytest

import brainscore_vision


@pytest.mark.travis_slow
@pytest.mark.parametrize("identifier", ["needs_torchvision_weights", "needs_s3_weights", "needs_url_weights"])
def test_has_identifier(identifier):
    model = brainscore_vision.load_model(identifier)
    assert model.identifier == identifier
