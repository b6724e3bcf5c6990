import numpy as np
import torch
import torchvision.models
from brainscore_vision.model_helpers.activations.pytorch import PytorchWrapper
from brainscore_vision.model_helpers.check_submission import check_models
from PIL import Image

MODELS = {"resnet18_loop_32": 32, "resnet18_loop_48": 48}


def preprocess(paths, image_size):
    """The plugin's own preprocessing: grey-world centred pixels, no ImageNet statistics."""
    images = []
    for path in paths:
        image = Image.open(path).convert("RGB").resize((image_size, image_size))
        array = np.asarray(image, dtype=np.float32) / 255.0
        images.append((array - array.mean()).transpose(2, 0, 1))
    return np.stack(images).astype(np.float32)


def get_model_list():
    return list(MODELS)


def get_model(name):
    torch.manual_seed(1)
    model = torchvision.models.resnet18(weights=None)
    size = MODELS[name]
    wrapper = PytorchWrapper(identifier=name, model=model, preprocessing=lambda paths: preprocess(paths, size))
    wrapper.image_size = size
    return wrapper


def get_layers(name):
    return ["layer1", "layer2", "layer3", "layer4"]


def get_bibtex(model_identifier):
    return ""


if __name__ == "__main__":
    check_models.check_base_models(__name__)
