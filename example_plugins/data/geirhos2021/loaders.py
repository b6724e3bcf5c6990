"""Load a Geirhos2021 data set in Brain-Score's layout: from the shipped Geirhos 2019 trials, or fetched BrainIO files.

Layout (both sources): a behavioural assembly ``(presentation,)``, one row per trial, whose values are the
subject's answer, with coords ``stimulus_id`` and ``image_id`` (equal), ``truth``, ``choice``, ``category``,
``condition``, ``subject``, ``session``, ``trial``, ``response_time`` and the stimulus set's columns joined on
``stimulus_id`` (the assembly's own values win, as in Brain-Score). ``condition`` keeps the file's type; the
benchmarks drop Brain-Score's excluded conditions and cast it to ``str``.

The cue-conflict, edge and silhouette data sets are served from ``Geirhos2019.<experiment>`` (loaded by
identifier): the same 10 observers' trials as Brain-Score's files (``test.py`` checks counts, subjects,
conditions and Brain-Score's pinned ceilings). Their images are this project's copies: edge and silhouette
PNGs byte-identical to the authors' release, cue-conflict re-encoded as JPEG (quality 95; see the Geirhos2019
data plugin's PROVENANCE.md), so a model's answers, not the human data, may differ slightly from a run on
Brain-Score's files. The other 14 are fetched (``brainscore fetch Geirhos2021_<name>``) and verified by SHA-1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from brainscore_core.assemblies import behavioral_assembly, coord_values, validate_behavioral_assembly
from brainscore_core.brainio import join_stimulus_set
from brainscore_core.loading import load_dataset, load_stimulus_set
from brainscore_core.stimuli import StimulusSet

from .catalog import OFFLINE_EXPERIMENTS, dataset

if TYPE_CHECKING:
    from pathlib import Path

    import xarray as xr

__all__ = ["load_assembly", "load_stimuli"]

#: the single condition of the 2019 experiments (Brain-Score's files hold the same trials under one condition)
OFFLINE_CONDITION = 0


def _offline_stimuli(name: str) -> StimulusSet:
    source = load_stimulus_set(f"Geirhos2019.{OFFLINE_EXPERIMENTS[name]}")
    table = source.table.copy()
    table["image_id"] = table["stimulus_id"]
    table["condition"] = OFFLINE_CONDITION
    return StimulusSet(dataset(name).identifier, table, source.images, source.visual_degrees)


def _offline_trials(name: str) -> xr.DataArray:
    trials = load_dataset(f"Geirhos2019.{OFFLINE_EXPERIMENTS[name]}")
    ids = coord_values(trials, "stimulus_id").astype(str)
    truth = coord_values(trials, "truth").astype(str)
    answers = coord_values(trials, "choice").astype(str)
    return behavioral_assembly(
        answers,
        stimulus_id=ids,
        presentation_coords={
            "image_id": ids,
            "image_id_long": coord_values(trials, "image_name").astype(str),
            "truth": truth,
            "category": truth,
            "choice": answers,
            "condition": coord_values(trials, "condition"),
            "response_time": coord_values(trials, "rt"),
            "trial": coord_values(trials, "trial"),
            "subject": coord_values(trials, "subject").astype(str),
            "session": coord_values(trials, "session"),
        },
    )


def _fetched_files(name: str) -> dict[str, Path]:
    from brainscore_core.fetching import fetch  # imported on use: registration stays light

    return dict(fetch(dataset(name).identifier))


def _fetched_stimuli(name: str, paths: dict[str, Path] | None = None) -> StimulusSet:
    from brainscore_core import brainio

    entry = dataset(name)
    paths = _fetched_files(name) if paths is None else paths
    stimuli = brainio.load_stimulus_set(
        paths[entry.csv_file],
        paths[entry.zip_file],
        identifier=entry.identifier,
    )
    if "image_id" not in stimuli.columns:  # the reader names image_id stimulus_id; Brain-Score keeps both
        stimuli.table["image_id"] = stimuli.table["stimulus_id"]
    return stimuli


def _fetched_trials(name: str) -> xr.DataArray:
    from brainscore_core import brainio

    entry = dataset(name)
    paths = _fetched_files(name)
    stimuli = _fetched_stimuli(name, paths)
    opened = brainio.open_assembly(paths[entry.assembly_file], stimuli=stimuli, identifier=entry.identifier)
    return validate_behavioral_assembly(opened.load())


def load_stimuli(name: str) -> StimulusSet:
    """The stimulus set ``Geirhos2021_<name>`` (all images, before any condition is excluded)."""
    return _offline_stimuli(name) if dataset(name).offline else _fetched_stimuli(name)


def load_assembly(name: str) -> xr.DataArray:
    """The human trials ``Geirhos2021_<name>`` (all conditions), with the stimulus columns joined."""
    entry = dataset(name)
    if not entry.offline:
        assembly = _fetched_trials(name)
    else:
        assembly = join_stimulus_set(_offline_trials(name), _offline_stimuli(name), where=f"{entry.identifier} trials")
    assembly.name = entry.identifier
    assembly.attrs.update(identifier=entry.identifier, stimulus_set_identifier=entry.identifier)
    return assembly
