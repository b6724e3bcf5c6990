"""Status strings are typed: the wrapper's cache status is a Literal whose values are the ones it reports."""

from __future__ import annotations

from typing import get_args

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from brainscore_core import stimulus_set  # noqa: E402
from brainscore_core.activations import Preprocessing  # noqa: E402
from brainscore_core.activations.pytorch import CacheStatus, PytorchWrapper  # noqa: E402
from brainscore_core.config import configure  # noqa: E402


def test_the_cache_status_values_are_unchanged() -> None:
    assert get_args(CacheStatus) == ("hit", "miss", "partial", "off")


def test_every_status_the_wrapper_reports_is_a_cache_status(tmp_path) -> None:
    torch.manual_seed(0)
    network = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 8 * 8, 2)).eval()
    images = [np.full((8, 8, 3), 40 * i, dtype=np.uint8) for i in range(3)]
    stimuli = stimulus_set("status-toy", {"stimulus_id": ["a", "b", "c"]}, images=images)
    seen = []
    with configure(cache_dir=tmp_path):
        wrapper = PytorchWrapper("status_net", network, preprocessing=Preprocessing(image_size=8))
        for layers in (["1"], ["1"], ["1", "logits"]):
            wrapper(stimuli, layers)
            seen.append(wrapper.last_cache_status)
    with configure(cache_enabled=False):
        wrapper(stimuli, ["1"])
        seen.append(wrapper.last_cache_status)
    assert seen == ["miss", "hit", "partial", "off"]
    assert set(seen) <= set(get_args(CacheStatus))
