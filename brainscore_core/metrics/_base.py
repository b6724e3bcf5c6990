"""What every metric and ceiling declares: the ``Metric`` and ``Ceiling`` contracts, defined here once.

A benchmark takes any callable of the right shape (:data:`MetricFunction`, :data:`CeilingFunction`); the
project's own metrics and ceilings subclass :class:`Metric` and :class:`Ceiling`, which add what a registry and
a report need to know about them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import ClassVar, TypeAlias

import xarray as xr

from ..score import Score

__all__ = ["Ceiling", "CeilingFunction", "Metric", "MetricFunction"]

#: ``metric(source, target) -> Score``: the model side first, the data side second.
MetricFunction: TypeAlias = Callable[[xr.DataArray, xr.DataArray], Score]
#: ``ceiling(assembly) -> Score``, or None when no ceiling can be estimated from the data (e.g. a single subject).
CeilingFunction: TypeAlias = Callable[[xr.DataArray], Score | None]


class Metric(ABC):
    """``metric(source, target) -> Score``: ``source`` is the model side, ``target`` the data side.

    ``float(score)`` is the aggregate, ``score.error`` its error, ``score.details`` the per-split /
    per-neuroid / per-subject values. ``identifier`` and ``valid_range`` are class defaults that an instance
    may refine (e.g. ``rdm_kendall``, or the biased CKA estimator's ``(0, 1)``).
    """

    identifier: str = ""
    higher_is_better: ClassVar[bool] = True  #: larger values mean more similar
    valid_range: tuple[float, float] = (-1.0, 1.0)  #: the range the aggregate can take

    @abstractmethod
    def __call__(self, source: xr.DataArray, target: xr.DataArray) -> Score: ...


class Ceiling(ABC):
    """``ceiling(assembly) -> Score | None``: how well the data predict themselves.

    None means no ceiling can be estimated from these data (e.g. a single subject); benchmarks then report the
    raw score (:func:`brainscore_core.score.ceil_ratio`).
    """

    identifier: str = ""
    valid_range: tuple[float, float] = (-1.0, 1.0)

    @abstractmethod
    def __call__(self, assembly: xr.DataArray) -> Score | None: ...
