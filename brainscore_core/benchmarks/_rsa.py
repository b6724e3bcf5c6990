"""The generic RSA benchmark: the model's representational dissimilarity matrix against the data's RDMs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..brain_model import Task
from ..metrics._base import CeilingFunction as _CeilingFunction
from ..metrics._base import MetricFunction as _MetricFunction
from ..score import Score
from ._base import Benchmark, attach_recording_details
from ._normalisation import ceil_ratio

if TYPE_CHECKING:
    import numpy as np
    import xarray as xr

    from ..brain_model import BrainModel
    from ..stimuli import StimulusSet

__all__ = ["RSABenchmark"]

_DEFAULT_NO_CEILING_REASON = "no ceiling is defined for these data"


class RSABenchmark(Benchmark):
    """Representational similarity analysis: the model's responses to ``stimuli`` against the data RDMs.

    The model either records from ``region`` (a neural benchmark) or performs ``task`` (e.g.
    :attr:`Task.readout`, the behavioural readout layer's features, for similarity judgements); give exactly one.
    ``rdms`` are the data ``(subject, stimulus_a, stimulus_b)`` (see :func:`brainscore_core.rdm_assembly`);
    ``rdms`` and ``stimuli`` may be zero-argument callables, loaded on first use.

    ``metric`` (default: the registered ``rsa``, mean over subjects of Spearman r between the model's
    ``1 - Pearson r`` RDM and each subject's RDM) compares the two. ``ceiling_func`` (e.g. ``rsa_ceiling``;
    None for no ceiling) is applied to the RDMs. The ceiled score is ``raw / ceiling`` clipped to [0, 1]
    (:func:`brainscore_core.score.ceil_ratio`); without a ceiling, or when ``ceiling_func`` returns None (a single
    subject), the value is the raw score clipped to [0, 1] and ``score.attrs['no_ceiling_reason']`` holds
    ``no_ceiling_reason``.

    ``parent`` defaults to ``"neural.<region>"``; a benchmark on a task must name it (e.g.
    ``"behavioral.similarity_judgement"``). Each stimulus is shown once and no time bins are requested.

    Subclasses may override :meth:`model_responses` to change how the model's responses are obtained.
    """

    def __init__(
        self,
        identifier: str,
        *,
        rdms: xr.DataArray | Callable[[], xr.DataArray],
        stimuli: StimulusSet | Callable[[], StimulusSet],
        visual_degrees: float,
        region: str | None = None,
        task: Task | str | None = None,
        metric: _MetricFunction | None = None,
        ceiling_func: _CeilingFunction | None = None,
        no_ceiling_reason: str = "",
        parent: str | None = None,
        bibtex: str = "",
        version: int | str = 1,
        description: str = "",
    ) -> None:
        self.identifier = identifier
        self.region = region
        self.task = _checked_task(identifier, region, task)
        self.parent = _parent(identifier, region, parent)
        self._rdms = rdms
        self._stimuli = stimuli
        self.visual_degrees = visual_degrees
        self.metric = metric if metric is not None else _default_metric()
        self.ceiling_func = ceiling_func
        self.no_ceiling_reason = no_ceiling_reason or _DEFAULT_NO_CEILING_REASON
        self.bibtex = bibtex
        self.version = version
        self.description = description

    @property
    def assembly(self) -> xr.DataArray:
        """The data RDMs ``(subject, stimulus_a, stimulus_b)`` (loaded on first use)."""
        return self._loaded("_rdms")

    def _ceiling_data(self) -> xr.DataArray:
        """The ceiling is computed on the data RDMs."""
        return self.assembly

    def _shuffled_labels(self) -> str:
        return "each subject's stimuli permuted independently"

    def _shuffle_ceiling_data(self, data: xr.DataArray, rng: np.random.Generator) -> xr.DataArray | None:
        """Each subject's stimuli permuted independently: an upper bound that compares each subject with a mean
        that includes it is above zero even without any shared structure."""
        from ._ceiling_null import shuffle_rdms

        return shuffle_rdms(data, rng)

    def model_responses(self, candidate: BrainModel) -> xr.DataArray:
        """The responses of ``candidate`` to :attr:`stimuli`: recorded from :attr:`region`, or the output of
        :attr:`task`; a single time bin is dropped, so the metric sees ``(presentation, neuroid)``."""
        if self.region is not None:
            candidate.start_recording(self.region)
        else:
            assert self.task is not None  # the constructor requires a region or a task
            candidate.start_task(self.task)
        responses = candidate.look_at(self.stimuli)
        if "time_bin" in responses.dims and responses.sizes["time_bin"] == 1:
            responses = responses.isel(time_bin=0, drop=True)
        return responses

    def __call__(self, candidate: BrainModel) -> Score:
        raw = self.metric(self.model_responses(candidate), self.assembly)
        ceiling = self.ceiling
        score = ceil_ratio(raw, ceiling)
        if ceiling is None:
            score.attrs["no_ceiling_reason"] = self.no_ceiling_reason
        attach_recording_details(score, candidate)
        return self._finish(score, candidate)


def _checked_task(identifier: str, region: str | None, task: Task | str | None) -> Task | None:
    if (region is None) == (task is None):
        raise ValueError(
            f"RSABenchmark {identifier!r}: give exactly one of region (to record from, e.g. region='IT') or task "
            f"(e.g. task=Task.readout); got region={region!r}, task={task!r}."
        )
    return None if task is None else Task(task)


def _parent(identifier: str, region: str | None, parent: str | None) -> str:
    if parent:
        return parent
    if region is None:
        raise ValueError(
            f"RSABenchmark {identifier!r} scores a task, so name its parent, e.g. "
            "parent='behavioral.similarity_judgement' (only a region gives a default, 'neural.<region>')."
        )
    return f"neural.{region}"


def _default_metric() -> _MetricFunction:
    from ..loading import load_metric

    return load_metric("rsa")
