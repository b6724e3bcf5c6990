import brainscore_vision
import pytest

from .model import get_layers


@pytest.mark.travis_slow
@pytest.mark.parametrize("identifier", ["resnet18_loop_32", "resnet18_loop_48"])
def test_has_identifier(identifier):
    model = brainscore_vision.load_model(identifier)
    assert model.identifier == identifier


def test_has_layers():
    assert "layer4" in get_layers("resnet18_loop_32")


def test_imported_under_its_brainscore_name():
    # not a Brain-Score test: it shows that pytest-brainscore imports this file inside the plugin's package
    assert __name__ == "brainscore_vision.models.resnet18_loop.test"
