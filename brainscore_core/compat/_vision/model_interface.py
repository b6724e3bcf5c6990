"""``brainscore_vision.model_interface``: the BrainModel interface, with Brain-Score's nested constants."""

from __future__ import annotations

from brainscore_core.brain_model import BrainModel as _CoreBrainModel

__all__ = ["BrainModel"]


class _Task:
    """Brain-Score's task names (strings, as ``start_task`` accepts them)."""

    passive = "passive"
    label = "label"
    probabilities = "probabilities"
    odd_one_out = "odd_one_out"


class _RecordingTarget:
    """Brain-Score's region names."""

    V1 = "V1"
    V2 = "V2"
    V4 = "V4"
    IT = "IT"


class BrainModel(_CoreBrainModel):
    """:class:`brainscore_core.BrainModel` with Brain-Score's ``BrainModel.Task`` and ``BrainModel.RecordingTarget``
    string constants. Subclasses implement ``look_at`` and whichever of ``start_task`` / ``start_recording`` they
    support; they are scored by this project's benchmarks like any BrainModel."""

    Task = _Task  # type: ignore[assignment]
    RecordingTarget = _RecordingTarget
