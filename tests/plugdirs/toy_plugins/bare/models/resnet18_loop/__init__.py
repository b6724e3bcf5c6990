from brainscore_vision import model_registry
from brainscore_vision.model_helpers.brain_transformation import ModelCommitment

from .model import MODELS, get_layers, get_model

for identifier in MODELS:
    model_registry[identifier] = lambda identifier=identifier: ModelCommitment(
        identifier=identifier, activations_model=get_model(identifier), layers=get_layers(identifier)
    )
