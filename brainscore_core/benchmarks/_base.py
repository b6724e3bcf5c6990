"""The Benchmark contract and the generic neural-predictivity benchmark (ceiling normalisations: ``_normalisation``)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..assemblies import average_repetitions
from ..metrics._base import CeilingFunction, MetricFunction
from ..score import Score
from ._normalisation import ceil_ratio, ceil_squared

if TYPE_CHECKING:
    import numpy as np
    import xarray as xr

    from ..brain_model import BrainModel
    from ..stimuli import StimulusSet

__all__ = ["Benchmark", "NeuralBenchmark", "attach_recording_details"]


class Benchmark(ABC):
    """A benchmark: ``benchmark(model) -> Score``.

    Attributes every benchmark declares: ``identifier``, ``version`` (bump it whenever the numbers can change),
    ``parent`` (``neural``/``behavioral``/``engineering`` plus a region or task, e.g. ``"neural.V4"``),
    ``bibtex``, ``visual_degrees`` (how large the stimuli were shown). ``ceiling`` is computed on first use and
    remembered (None when the benchmark has no ceiling).
    """

    identifier: str
    version: int | str = 1
    parent: str = ""
    bibtex: str = ""
    visual_degrees: float = 8.0
    region: str | None = None  #: the recorded region for neural benchmarks
    description: str = ""

    #: applied to :meth:`_ceiling_data` to compute :attr:`ceiling` (None: no ceiling, or :meth:`_compute_ceiling`
    #: is overridden)
    ceiling_func: CeilingFunction | None = None

    _ceiling_cache: Score | None
    _ceiling_done: bool = False
    #: the stimuli shown: a StimulusSet, or a zero-argument loader called on first use
    _stimuli: StimulusSet | Callable[[], StimulusSet] | None = None

    def _loaded(self, attribute: str) -> Any:
        """``self.<attribute>``; a zero-argument loader stored there is called once and replaced by its result."""
        value = getattr(self, attribute)
        if callable(value):
            value = value()
            setattr(self, attribute, value)
        return value

    @property
    def stimuli(self) -> StimulusSet:
        """The stimuli shown, declared at the benchmark's :attr:`visual_degrees` (loaded on first use)."""
        if self._stimuli is None:
            raise AttributeError(f"{type(self).__name__} {self.identifier!r} declares no stimuli.")
        stimuli = self._loaded("_stimuli")
        if stimuli.visual_degrees != self.visual_degrees:  # keep the declared set: its content hash is computed once
            stimuli = self._stimuli = stimuli.with_visual_degrees(self.visual_degrees)
        return stimuli

    @property
    def ceiling(self) -> Score | None:
        """The ceiling (computed on first use, disk-cached when :meth:`_ceiling_cache_key` says what it depends
        on), carrying this benchmark's identifier so that warnings about it name the benchmark."""
        if not self._ceiling_done:
            ceiling = self._disk_cached_ceiling()
            if ceiling is not None and ceiling.benchmark_identifier is None:
                ceiling = ceiling.with_identifiers(benchmark=self.identifier, version=self.version)
            self._ceiling_cache = ceiling
            self._ceiling_done = True
        return self._ceiling_cache

    def _ceiling_data(self) -> xr.DataArray:
        """The data :attr:`ceiling_func` is applied to; a benchmark that sets ``ceiling_func`` overrides this."""
        raise NotImplementedError(
            f"{type(self).__name__} {self.identifier!r} sets ceiling_func but not the data it applies to: "
            "override _ceiling_data() to return them (or override _compute_ceiling())."
        )

    def _shuffle_ceiling_data(self, data: xr.DataArray, rng: np.random.Generator) -> xr.DataArray | None:
        """``data`` with its stimulus labels permuted, for the ceiling's shuffled-label null (see
        :mod:`~brainscore_core.benchmarks._ceiling_null`); None (the default) records no null."""
        return None

    def _shuffled_labels(self) -> str:
        """How :meth:`_shuffle_ceiling_data` permutes the labels (recorded in the ceiling's ``attrs``)."""
        return ""

    def _compute_ceiling(self) -> Score | None:
        """:attr:`ceiling_func` applied to :meth:`_ceiling_data` (None without a ``ceiling_func``), with its
        shuffled-label null in ``attrs`` when :meth:`_shuffle_ceiling_data` permutes the data; override for any
        other ceiling."""
        if self.ceiling_func is None:
            return None
        ceiling_func, data = self.ceiling_func, self._ceiling_data()
        ceiling = ceiling_func(data)
        if type(self)._shuffle_ceiling_data is Benchmark._shuffle_ceiling_data:
            return ceiling  # no way to shuffle this benchmark's data: no null recorded
        from ._ceiling_null import with_shuffled_null

        def ceiling_of_shuffled(rng: np.random.Generator) -> Score | None:
            shuffled = self._shuffle_ceiling_data(data, rng)
            assert shuffled is not None
            return ceiling_func(shuffled)

        return with_shuffled_null(ceiling, ceiling_of_shuffled, self._shuffled_labels())

    def _ceiling_cache_key(self) -> dict[str, Any] | None:
        """What the ceiling depends on besides identifier, version and the code of :meth:`_compute_ceiling`, for
        the on-disk cache: with a ``ceiling_func``, the content hash of :meth:`_ceiling_data` and the function's
        code and parameters (:func:`~brainscore_core.cache.callable_identity`); None (no ``ceiling_func``)
        computes the ceiling every run. A subclass whose ceiling depends on more overrides this."""
        if self.ceiling_func is None:
            return None
        from ..cache import assembly_hash, callable_identity

        return {"data": assembly_hash(self._ceiling_data()), "ceiling": callable_identity(self.ceiling_func)}

    def _disk_cached_ceiling(self) -> Score | None:
        key = self._ceiling_cache_key()
        if key is None:
            return self._compute_ceiling()
        from ..cache import ResultCache, code_identity
        from ._ceiling_null import with_shuffled_null

        # the code that computes the ceiling (and its shuffled-label null) is part of the key: an edited ceiling is
        # never served from the cache
        compute = code_identity(type(self)._compute_ceiling)
        shuffle = code_identity(type(self)._shuffle_ceiling_data)
        null = code_identity(with_shuffled_null)
        description = {
            "benchmark": self.identifier,
            "version": self.version,
            "compute": compute,
            "null": null,
            "shuffle": shuffle,
            **key,
        }
        return ResultCache("ceilings").get_or_compute(
            description,
            self._compute_ceiling,
            encode=lambda ceiling: {"ceiling": None if ceiling is None else ceiling.to_dict()},
            decode=lambda payload: None if payload["ceiling"] is None else Score.from_dict(payload["ceiling"]),
        )

    @abstractmethod
    def __call__(self, candidate: BrainModel) -> Score:
        """Score ``candidate``; the result carries the benchmark's identifier and version."""

    def _finish(self, score: Score, candidate: BrainModel) -> Score:
        return score.with_identifiers(
            model=getattr(candidate, "identifier", None), benchmark=self.identifier, version=self.version
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.identifier} v{self.version}>"


class NeuralBenchmark(Benchmark):
    """Record from ``region`` while the model views ``stimuli``, compare with ``assembly`` using ``metric``.

    ``assembly`` is the neural data with repetitions (for the ceiling); the metric sees the repetition-averaged
    data: rows of a stimulus are averaged over their ``repetition_coord`` labels (duplicated labels are refused),
    or, with ``repetition_coord=None``, the benchmark declares every row of a stimulus a repetition
    (:func:`~brainscore_core.assemblies.average_repetitions`).
    ``ceiling_func`` (None for no ceiling) is applied to the raw ``assembly``. ``ceiler`` turns raw and
    ceiling into the ceiled score (default ``raw**2 / ceiling`` clipped to [0, 1]).
    """

    def __init__(
        self,
        identifier: str,
        *,
        assembly: xr.DataArray | Callable[[], xr.DataArray],
        stimuli: StimulusSet | Callable[[], StimulusSet],
        region: str,
        metric: MetricFunction,
        ceiling_func: CeilingFunction | None,
        visual_degrees: float,
        version: int | str = 1,
        parent: str | None = None,
        bibtex: str = "",
        number_of_trials: int = 1,
        time_bins: Sequence[tuple[float, float]] | None = None,
        ceiler: Callable[[Score, Score], Score] = ceil_squared,
        description: str = "",
        repetition_coord: str | None = "repetition",
    ) -> None:
        self.identifier = identifier
        self._assembly = assembly
        self.repetition_coord = repetition_coord
        self._stimuli = stimuli
        self.region: str = region
        self.metric = metric
        self.ceiling_func = ceiling_func
        self.visual_degrees = visual_degrees
        self.version = version
        self.parent = parent or f"neural.{region}"
        self.bibtex = bibtex
        self.number_of_trials = number_of_trials
        self.time_bins = time_bins
        self.ceiler = ceiler
        self.description = description

    @property
    def assembly(self) -> xr.DataArray:
        return self._loaded("_assembly")

    def _ceiling_data(self) -> xr.DataArray:
        """The ceiling is computed on the data with repetitions."""
        return self.assembly

    def _shuffled_labels(self) -> str:
        repetitions = self.repetition_coord
        return f"stimulus_id permuted within each {repetitions!r} value" if repetitions else "stimulus_id permuted"

    def _shuffle_ceiling_data(self, data: xr.DataArray, rng: np.random.Generator) -> xr.DataArray | None:
        """``stimulus_id`` permuted within each repetition."""
        from ._ceiling_null import shuffle_stimulus_ids

        return shuffle_stimulus_ids(data, rng, self.repetition_coord)

    def __call__(self, candidate: BrainModel) -> Score:
        candidate.start_recording(self.region, time_bins=self.time_bins)
        source = candidate.look_at(self.stimuli, number_of_trials=self.number_of_trials)
        if "time_bin" in source.dims and source.sizes["time_bin"] == 1:
            source = source.isel(time_bin=0, drop=True)
        target = average_repetitions(self.assembly, repetition_coord=self.repetition_coord)
        raw = self.metric(source, target)
        ceiling = self.ceiling
        score = ceil_ratio(raw, None) if ceiling is None else self.ceiler(raw, ceiling)
        attach_recording_details(score, candidate)
        return self._finish(score, candidate)


def attach_recording_details(score: Score, candidate: BrainModel) -> None:
    """Copy the model's :meth:`~BrainModel.recording_details` onto ``score`` (arrays to details, rest to attrs)."""
    import xarray as xr

    describe = getattr(candidate, "recording_details", None)
    for key, value in (describe() if describe else {}).items():
        if isinstance(value, xr.DataArray):
            score.details[key] = value
        else:
            score.attrs[key] = value
