"""``brainscore_vision.model_helpers``: ``download_weights`` (Brain-Score's ``load_folder_from_s3``)."""

from brainscore_core.compat._support import unsupported_getattr
from brainscore_core.supported_data_standards.brainio.s3 import load_folder_from_s3 as download_weights

__all__ = ["download_weights"]

__getattr__ = unsupported_getattr("brainscore_vision.model_helpers", {})
