from brainscore_vision import model_registry
from brainscore_vision.model_helpers.brain_transformation import ModelCommitment

from .model import get_layers, get_model

model_registry["alexnet_untrained_tiny"] = lambda: ModelCommitment(
    identifier="alexnet_untrained_tiny",
    activations_model=get_model("alexnet_untrained_tiny"),
    layers=get_layers("alexnet_untrained_tiny"),
)
