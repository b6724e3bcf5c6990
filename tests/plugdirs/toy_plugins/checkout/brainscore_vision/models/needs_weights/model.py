import functools
import os
from urllib.request import urlretrieve

import torch
import torchvision.models

from brainscore_core.supported_data_standards.brainio.s3 import load_weight_file
from brainscore_vision.model_helpers.activations.pytorch import PytorchWrapper, load_preprocess_images
from brainscore_vision.model_helpers.check_submission import check_models

URL = "https://weights.example.org/toy/resnet18_toy_url.pth"
RETRIEVED = os.path.join(os.path.dirname(__file__), "resnet18_toy_retrieved.pth")


def get_model_list():
    return ["needs_torchvision_weights", "needs_s3_weights", "needs_url_weights", "needs_urlretrieve_weights"]


def get_model(name):
    if name == "needs_torchvision_weights":
        model = torchvision.models.resnet18(weights=torchvision.models.ResNet18_Weights.IMAGENET1K_V1)
    elif name == "needs_s3_weights":
        model = torchvision.models.resnet18(weights=None)
        weights_path = load_weight_file(
            bucket="brainscore-storage",
            folder_name="brainscore-vision/models",
            relative_path="user_0/resnet18_toy_s3.pth",
            version_id="null",
            sha1=None,
        )
        model.load_state_dict(torch.load(weights_path, map_location="cpu"))
    elif name == "needs_url_weights":
        model = torchvision.models.resnet18(weights=None)
        model.load_state_dict(torch.hub.load_state_dict_from_url(URL, map_location="cpu"))
    else:
        model = torchvision.models.resnet18(weights=None)
        if not os.path.exists(RETRIEVED):
            urlretrieve(URL.replace("_url", "_retrieved"), RETRIEVED)
        model.load_state_dict(torch.load(RETRIEVED, map_location="cpu"))
    preprocessing = functools.partial(load_preprocess_images, image_size=32)
    wrapper = PytorchWrapper(identifier=name, model=model, preprocessing=preprocessing)
    wrapper.image_size = 32
    return wrapper


def get_layers(name):
    return ["layer1", "layer4"]


def get_bibtex(model_identifier):
    return ""


if __name__ == "__main__":
    check_models.check_base_models(__name__)
