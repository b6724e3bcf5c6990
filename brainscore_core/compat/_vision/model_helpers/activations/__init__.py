"""``brainscore_vision.model_helpers.activations``: ``PytorchWrapper`` and ``preprocess_pytorch``."""

from brainscore_core.compat._support import unsupported_getattr

from .pytorch import PytorchWrapper
from .pytorch import preprocess_images as preprocess_pytorch

__all__ = ["PytorchWrapper", "preprocess_pytorch"]

__getattr__ = unsupported_getattr(
    "brainscore_vision.model_helpers.activations",
    {
        "TensorflowWrapper": "TensorFlow models are not supported (Brain-Score 2.1 dropped them too)",
        "TensorflowSlimWrapper": "TensorFlow models are not supported (Brain-Score 2.1 dropped them too)",
        "KerasWrapper": "Keras models are not supported (Brain-Score 2.1 dropped them too)",
    },
)
