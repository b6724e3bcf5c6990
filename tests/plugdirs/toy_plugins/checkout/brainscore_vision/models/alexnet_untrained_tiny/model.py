import functools

import torch
import torchvision.models

from brainscore_vision.model_helpers.activations.pytorch import PytorchWrapper, load_preprocess_images
from brainscore_vision.model_helpers.check_submission import check_models

IMAGE_SIZE = 64  # small, for fast tests


def get_model_list():
    return ["alexnet_untrained_tiny"]


def get_model(name):
    assert name == "alexnet_untrained_tiny"
    torch.manual_seed(0)
    model = torchvision.models.alexnet(weights=None)
    preprocessing = functools.partial(load_preprocess_images, image_size=IMAGE_SIZE)
    wrapper = PytorchWrapper(identifier=name, model=model, preprocessing=preprocessing)
    wrapper.image_size = IMAGE_SIZE
    return wrapper


def get_layers(name):
    assert name == "alexnet_untrained_tiny"
    return ["features.2", "features.5", "features.12", "classifier.2"]


def get_bibtex(model_identifier):
    return """@article{krizhevsky2012,
  title={ImageNet classification with deep convolutional neural networks},
  author={Krizhevsky, Alex and Sutskever, Ilya and Hinton, Geoffrey E},
  year={2012}}"""


if __name__ == "__main__":
    check_models.check_base_models(__name__)
