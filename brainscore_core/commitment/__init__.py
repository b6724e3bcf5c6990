"""ModelCommitment (a network as a BrainModel), layer selection and behavioural readouts.

Importing this package does not import torch, so benchmark plugins can call
:func:`register_selection_benchmark` at import time.
"""

from ._layer_selection import (
    SELECTION_BENCHMARKS,
    LayerSelectionResult,
    read_region_layer_map,
    register_selection_benchmark,
    select_layer,
    selection_benchmark,
)
from ._model_commitment import ActivationsModel, ModelCommitment
from ._readouts import PROBABILITIES_C, ProbabilitiesReadout, imagenet_choices, label_choices, match_labels

__all__ = [
    "PROBABILITIES_C",
    "SELECTION_BENCHMARKS",
    "ActivationsModel",
    "LayerSelectionResult",
    "ModelCommitment",
    "ProbabilitiesReadout",
    "imagenet_choices",
    "label_choices",
    "match_labels",
    "read_region_layer_map",
    "register_selection_benchmark",
    "select_layer",
    "selection_benchmark",
]
