"""Model activations: preprocessing (placement for visual degrees, resizing, normalisation) and PyTorch extraction.

Importing this package does not import torch; torch is imported when a network is run or fingerprinted.
"""

from ._hub import hub_weights_path, load_hub_state_dict
from ._neuroids import NOT_SPATIAL, LayerLayout, layer_coords
from ._preprocessing import (
    GREY,
    IMAGENET_MEAN,
    IMAGENET_STD,
    FilePreprocessing,
    Preprocessing,
    as_batch,
    place_on_screen,
)
from .fingerprint import NondeterministicModelWarning, structure_fingerprint, weights_fingerprint
from .pytorch import LOGITS, PytorchWrapper, list_layers

__all__ = [
    "GREY",
    "IMAGENET_MEAN",
    "IMAGENET_STD",
    "LOGITS",
    "NOT_SPATIAL",
    "FilePreprocessing",
    "LayerLayout",
    "NondeterministicModelWarning",
    "Preprocessing",
    "PytorchWrapper",
    "as_batch",
    "hub_weights_path",
    "layer_coords",
    "list_layers",
    "load_hub_state_dict",
    "place_on_screen",
    "structure_fingerprint",
    "weights_fingerprint",
]
