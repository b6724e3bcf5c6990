from brainscore_vision import model_registry
from brainscore_vision.model_helpers.brain_transformation import ModelCommitment

from .model import get_layers, get_model

model_registry["needs_torchvision_weights"] = lambda: ModelCommitment(
    identifier="needs_torchvision_weights",
    activations_model=get_model("needs_torchvision_weights"),
    layers=get_layers("needs_torchvision_weights"),
)
model_registry["needs_s3_weights"] = lambda: ModelCommitment(
    identifier="needs_s3_weights",
    activations_model=get_model("needs_s3_weights"),
    layers=get_layers("needs_s3_weights"),
)
model_registry["needs_url_weights"] = lambda: ModelCommitment(
    identifier="needs_url_weights",
    activations_model=get_model("needs_url_weights"),
    layers=get_layers("needs_url_weights"),
)
model_registry["needs_urlretrieve_weights"] = lambda: ModelCommitment(
    identifier="needs_urlretrieve_weights",
    activations_model=get_model("needs_urlretrieve_weights"),
    layers=get_layers("needs_urlretrieve_weights"),
)
