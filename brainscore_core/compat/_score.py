"""``brainscore_vision.score``: our Score, with what Brain-Score's plugin tests read of theirs."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..score import Score
from ..scoring import score as core_score

__all__ = ["CompatScore", "compat_score"]


class CompatScore(Score):
    """A :class:`~brainscore_core.Score` that also behaves like Brain-Score's 0-d score array: it converts to a
    numpy array (so ``score == pytest.approx(x)`` and ``np.isclose(score, x)`` work), and has ``.values`` and
    ``.item()``."""

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        return np.asarray(self.value, dtype=dtype)

    @property
    def values(self) -> np.ndarray:
        """The ceiled value as a 0-d array (Brain-Score's ``score.values``)."""
        return np.asarray(self.value)

    def item(self) -> float:
        """The ceiled value (Brain-Score's ``score.item()``)."""
        return self.value


def compat_score(model_identifier: str, benchmark_identifier: str) -> CompatScore:
    """Score ``model_identifier`` on ``benchmark_identifier`` and return a :class:`CompatScore` whose ``attrs``
    hold Brain-Score's keys (``raw``, ``ceiling``, ``model_identifier``, ``benchmark_identifier``, ``comment``)."""
    from ..loading import load_model

    model = load_model(model_identifier)
    result = core_score(model, benchmark_identifier)
    attrs = dict(result.attrs)
    attrs.setdefault("raw", result.raw)
    attrs.setdefault("ceiling", result.ceiling)
    attrs["model_identifier"] = model_identifier
    attrs["benchmark_identifier"] = benchmark_identifier
    region_layer_map = getattr(model, "region_layer_map", None)
    if region_layer_map is not None:
        attrs.setdefault("comment", f"layers: {dict(region_layer_map)}")
    fields = {name: getattr(result, name) for name in result.__dataclass_fields__}
    fields["attrs"] = attrs
    return CompatScore(**fields)
