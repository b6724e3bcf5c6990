"""The network's input batch: channels-last on CPU, where torch's convolutions run faster on it.

Measured with one thread (``benchmarks/bench_extraction.py`` and issue 15): a channels-last input cut the CPU time
of a forward pass by about 1.6x for EfficientNet-Lite0 (depthwise convolutions) and 1.5x for ResNet-18, 1.1x for
AlexNet; outputs differ by float rounding only (~1e-6). Layer outputs keep their logical ``(C, H, W)`` order
whatever their memory layout. A network that cannot take it (e.g. ``.view`` on a convolution's output raises on a
channels-last tensor) is run on a contiguous batch instead, from its first batch on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import torch

__all__ = ["InputLayout"]


class InputLayout:
    """Runs a network on a preprocessed batch, channels-last on CPU unless the network refused it once."""

    def __init__(self) -> None:
        #: None until the first CPU batch; then whether the network accepted channels-last input
        self.channels_last: bool | None = None

    def forward(self, model: Callable[[torch.Tensor], Any], pixels: np.ndarray, device: str) -> Any:
        """``model`` (the network, or a function running it on a batch) on ``pixels`` (``float32``
        ``(n, 3, h, w)``) moved to ``device``."""
        import torch

        batch = torch.from_numpy(pixels).to(device)
        if batch.ndim != 4 or torch.device(device).type != "cpu" or self.channels_last is False:
            return model(batch)
        try:
            output = model(batch.contiguous(memory_format=torch.channels_last))
        except RuntimeError:
            if self.channels_last:  # it worked before: a real error of this batch, not of the layout
                raise
            self.channels_last = False
            return model(batch)
        self.channels_last = True
        return output
