from brainscore_vision import model_registry
from brainscore_vision.model_helpers.brain_transformation import ModelCommitment
from brainscore_vision.models.alexnet_untrained_tiny.model import get_layers, get_model

model_registry["alexnet_sibling_7deg"] = lambda: ModelCommitment(
    identifier="alexnet_sibling_7deg",
    activations_model=get_model("alexnet_untrained_tiny"),
    layers=get_layers("alexnet_untrained_tiny"),
    region_layer_map={"V1": "features.2", "V2": "features.5", "V4": "features.5", "IT": "classifier.2"},
    visual_degrees=7,
)
