"""Sources shared by the compatibility-layer tests."""

__all__ = ["NETWORK"]

#: A tiny deterministic network (seeded), as a Brain-Score plugin's model.py would build one.
NETWORK = """
import torch


def build_network():
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3, stride=2),
        torch.nn.ReLU(),
        torch.nn.Conv2d(4, 6, 3, stride=2),
        torch.nn.ReLU(),
        torch.nn.AdaptiveAvgPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(24, 10),
    )
"""
