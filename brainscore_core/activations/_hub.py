"""Pretrained weights from the local torch hub cache: found there or reported, never downloaded at run time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import DataError

__all__ = ["hub_weights_path", "load_hub_state_dict"]


def hub_weights_path(url: str) -> Path:
    """Where torch keeps the file of ``url``: ``<torch.hub.get_dir()>/checkpoints/<file name>``."""
    import torch

    return Path(torch.hub.get_dir()) / "checkpoints" / url.rsplit("/", 1)[-1]


def load_hub_state_dict(model_identifier: str, url: str) -> dict[str, Any]:
    """The state dict cached for ``url`` (loaded with ``weights_only=True``).

    Raises :class:`DataError` saying where to put which file when it is absent; nothing is downloaded.
    """
    import torch

    path = hub_weights_path(url)
    if not path.is_file():
        raise DataError(
            f"Model {model_identifier!r} needs torchvision's ImageNet weights at {path}, which does not exist. "
            f"Download {url} and save it there (or set TORCH_HOME so that the torch hub directory holds "
            f"checkpoints/{path.name}). Nothing is downloaded automatically."
        )
    state_dict: dict[str, Any] = torch.load(path, map_location="cpu", weights_only=True)
    return state_dict
