"""The BrainModel interface: the only way a benchmark talks to a model."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeAlias

from .errors import IncompatibleModelError

if TYPE_CHECKING:
    import xarray as xr

    from .stimuli import StimulusSet

__all__ = ["DEFAULT_VISUAL_DEGREES", "REGIONS", "BrainModel", "Task"]

DEFAULT_VISUAL_DEGREES = 8.0
REGIONS = ("V1", "V2", "V4", "IT")


class Task(str, Enum):  # noqa: UP042 - a StrEnum would change str(Task.label) from "Task.label" to "label"
    """Behavioural tasks a model can be asked to perform."""

    passive = "passive"  #: just look (no output required); used while recording
    label = "label"  #: name each stimulus: ``fitting_stimuli`` is ``'imagenet'`` or a list of labels
    probabilities = "probabilities"  #: choice probabilities after fitting on labelled stimuli
    readout = "readout"  #: features of the behavioural readout layer, as a (presentation, neuroid) assembly


class BrainModel(ABC):
    """A model of the primate ventral stream as benchmarks see it.

    A benchmark first calls :meth:`start_task` or :meth:`start_recording`, then :meth:`look_at`. While recording,
    ``look_at`` returns a neural assembly ``(presentation, neuroid)`` with ``stimulus_id`` on presentation and
    ``neuroid_id``, ``layer`` and ``region`` on neuroid; while on a task it returns a behavioural assembly.
    A model that lacks a capability raises :class:`~brainscore_core.errors.IncompatibleModelError`.
    """

    Task: TypeAlias = Task  # ``BrainModel.Task.label``, without a second import
    identifier: str

    def visual_degrees(self) -> float:
        """Degrees of visual angle that the model's input spans."""
        return DEFAULT_VISUAL_DEGREES

    def start_task(self, task: Task | str, fitting_stimuli: Any = None) -> None:
        """Switch to a behavioural task (see :class:`Task`)."""
        raise IncompatibleModelError(self.identifier, f"perform the {Task(task).value!r} task")

    def start_recording(self, region: str, time_bins: Sequence[tuple[float, float]] | None = None) -> None:
        """Record from ``region`` (one of V1, V2, V4, IT) in the given time bins (ms)."""
        raise IncompatibleModelError(self.identifier, f"record from region {region!r}")

    def recording_details(self) -> dict[str, Any]:
        """Facts about the current recording for the Score (e.g. the committed layer, per-layer selection scores).

        Values that are :class:`xarray.DataArray` go into ``Score.details``, the others into ``Score.attrs``.
        """
        return {}

    @abstractmethod
    def look_at(self, stimuli: StimulusSet, number_of_trials: int = 1) -> xr.DataArray:
        """Show ``stimuli`` and return the recorded or behavioural assembly."""
