"""Where a score keeps its paired units: ``score.attrs["paired_units"]``, the record's JSON dict.

Every metric that the gate can pair attaches the record of :mod:`.units` it needs, as its versioned, JSON-safe
:meth:`to_dict` (so the score still round-trips through :meth:`Score.to_json` and a ceiled score inherits it from
its raw score). :func:`paired_units` reads it back as a record. When the units cannot be formed (e.g. non-finite
per-unit values, or an RSA comparison other than Spearman), ``score.attrs["paired_units_missing"]`` says why and
the gate falls back to the unpaired rule for that pair; the score itself is never changed.

Families (what the record holds, and how it relates to the raw score):

- split-averaged metrics (``pls``/``ridge``/``ridgecv``/``linear``/``neuron_to_neuron``, ``cka_cv``, ``rdm_cv``):
  :class:`SplitUnits`, the J per-split raw scores (their mean is the raw score), the train/test sizes and the
  split fingerprint (:func:`split_units`). A mean over sessions (Cowley2023.V4selection) stores, per split index,
  the mean over sessions of that split's score (:func:`combine_sessions`): its mean is still the raw score.
- ``rsa`` (Spearman): :class:`SubjectStimulusUnits`, each subject's rho (their mean is the raw score) and its
  leave-one-stimulus-out values (:func:`rsa_units`).
- ``error_consistency``: :class:`SubjectStimulusUnits` of the *signed* per-subject kappas (the raw score is the
  absolute value of their mean) and their leave-one-stimulus-out values (:func:`error_consistency_units`).
- ``accuracy``: :class:`StimulusUnits` of per-stimulus correctness (its mean is the raw score); ``shape_bias``:
  :class:`StimulusUnits` of the model's per-stimulus decisions as class indices, with each stimulus' shape and
  texture cue and the human bias (:func:`shape_bias_units`), so the record recomputes the score on any subset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .jackknife import kappa_loo, rdm_spearman_loo
from .units import (
    SplitUnits,
    StimulusUnits,
    SubjectStimulusUnits,
    split_fingerprint,
    stimulus_fingerprint,
    units_from_dict,
)

if TYPE_CHECKING:
    from ..score import Score
    from .units import Record

__all__ = [
    "JACKKNIFE_GROUPS",
    "MAX_JACKKNIFE_STIMULI",
    "PAIRED_UNITS",
    "PAIRED_UNITS_MISSING",
    "attach_units",
    "combine_sessions",
    "decision_units",
    "error_consistency_units",
    "paired_units",
    "rsa_units",
    "shape_bias_units",
    "split_units",
]

PAIRED_UNITS = "paired_units"
"""``score.attrs`` key of the paired-units record (its ``to_dict()``)."""
PAIRED_UNITS_MISSING = "paired_units_missing"
"""``score.attrs`` key of the reason why a score carries no paired units."""
MAX_JACKKNIFE_STIMULI = 200
"""Up to this many stimuli, error consistency stores one leave-one-out value per stimulus and subject."""
JACKKNIFE_GROUPS = 50
"""Stimulus groups of the grouped jackknife beyond :data:`MAX_JACKKNIFE_STIMULI` stimuli."""


def attach_units(score: Score, make: Callable[[], Record]) -> Score:
    """Store ``make()``'s record in ``score.attrs["paired_units"]`` (as its dict); never changes the score.

    A ``ValueError`` from ``make`` (units that cannot be paired, e.g. non-finite values) is kept as the reason in
    ``score.attrs["paired_units_missing"]`` instead: the score is still valid, only its gate is unpaired.
    """
    try:
        record = make()
    except ValueError as error:
        score.attrs.pop(PAIRED_UNITS, None)
        score.attrs[PAIRED_UNITS_MISSING] = str(error)
        return score
    score.attrs[PAIRED_UNITS] = record.to_dict()
    score.attrs.pop(PAIRED_UNITS_MISSING, None)
    return score


def paired_units(score: Score | dict[str, Any]) -> Record | None:
    """The paired-units record of ``score`` (a Score, or its attrs), or None when it carries none."""
    attrs = score if isinstance(score, dict) else score.attrs
    data = attrs.get(PAIRED_UNITS)
    return None if data is None else units_from_dict(data)


def split_units(per_split: np.ndarray, train: Sequence[np.ndarray], test: Sequence[np.ndarray], ids: Any) -> SplitUnits:
    """:class:`SplitUnits` of a split-averaged metric: per-split scores and the splits as row indices into ``ids``.

    ``ids`` are the stimulus ids of the rows the splits index (in that order); the fingerprint is over the ids, so
    it does not depend on the row order. ``n_train``/``n_test`` are the first split's sizes (all splits of a
    shuffle splitter have the same sizes).
    """
    ids = np.asarray(ids)
    fingerprint = split_fingerprint([ids[np.asarray(t)] for t in train], [ids[np.asarray(t)] for t in test])
    return SplitUnits(np.asarray(per_split, dtype=float), len(train[0]), len(test[0]), fingerprint)


def combine_sessions(records: Sequence[SplitUnits], sessions: Sequence[str]) -> SplitUnits:
    """One :class:`SplitUnits` for a mean over sessions: split j = mean over sessions of each session's split j.

    Its mean is the mean of the session means (the raw score); sizes are summed over sessions (the Nadeau-Bengio
    ratio ``n_test / n_train`` is each session's when they split alike); the fingerprint covers every session's.
    """
    if len(records) != len(sessions) or not records:
        raise ValueError(f"got {len(records)} session records for {len(sessions)} sessions.")
    lengths = {r.scores.size for r in records}
    if len(lengths) != 1:
        raise ValueError(f"sessions have different numbers of splits ({sorted(lengths)}); cannot pair split j.")
    scores = np.mean([r.scores for r in records], axis=0)
    fingerprint = stimulus_fingerprint([f"{s}={r.fingerprint}" for s, r in zip(sessions, records, strict=True)])
    return SplitUnits(scores, sum(r.n_train for r in records), sum(r.n_test for r in records), fingerprint)


def rsa_units(model_rdm: np.ndarray, subject_rdms: np.ndarray, subjects: Any, ids: Any) -> SubjectStimulusUnits:
    """:class:`SubjectStimulusUnits` of RSA (Spearman): per-subject rho and leave-one-stimulus-out rho.

    ``model_rdm`` (N, N) and ``subject_rdms`` (S, N, N) in the stimulus order ``ids``.
    """
    by_subject, loo = rdm_spearman_loo(model_rdm, subject_rdms)
    return SubjectStimulusUnits(tuple(map(str, subjects)), by_subject, loo, stimulus_fingerprint(list(ids)))


def error_consistency_units(
    model_correct: np.ndarray,
    human_correct: np.ndarray,
    condition: np.ndarray,
    n_conditions: int,
    subjects: Any,
    ids: Any,
) -> SubjectStimulusUnits:
    """:class:`SubjectStimulusUnits` of error consistency: signed per-subject kappa and its leave-one-stimulus-out
    values (:func:`~brainscore_core.comparison.jackknife.kappa_loo`), stimuli in the order ``ids``.

    More than :data:`MAX_JACKKNIFE_STIMULI` stimuli are left out in :data:`JACKKNIFE_GROUPS` groups instead
    (stimulus i in group ``i % G``, in the order ``ids``, which the fingerprint covers): a grouped jackknife keeps the
    baseline entry small (Geirhos2019.cue_conflict, 1,280 stimuli x 10 subjects: ~155 KB per entry, grouped ~6 KB).
    """
    n = len(model_correct)
    if n > MAX_JACKKNIFE_STIMULI:
        groups = np.arange(n) % JACKKNIFE_GROUPS
        by_subject, loo = kappa_loo(model_correct, human_correct, condition, n_conditions, groups=groups)
        unit = "stimulus-group"
    else:
        by_subject, loo = kappa_loo(model_correct, human_correct, condition, n_conditions)
        unit = "stimulus"
    return SubjectStimulusUnits(tuple(map(str, subjects)), by_subject, loo, stimulus_fingerprint(list(ids)), unit)


def shape_bias_units(decisions: Any, shape: Any, texture: Any, ids: Any, human_bias: float) -> StimulusUnits:
    """:class:`StimulusUnits` of a cue-conflict shape bias: the model's decisions, each stimulus' shape and texture
    cue (class indices over the sorted cue labels; a decision naming neither class gets -1) and the human bias, so
    the gate can recompute ``1 - |model bias - human bias|`` on any subset (a stimulus jackknife)."""
    shape, texture = np.asarray(shape).astype(str), np.asarray(texture).astype(str)
    classes = sorted(set(shape.tolist()) | set(texture.tolist()))
    index = {label: i for i, label in enumerate(classes)}
    cues = np.array([[index[v] for v in shape.tolist()], [index[v] for v in texture.tolist()]], dtype=np.int64)
    units = decision_units(decisions, ids, classes)
    return StimulusUnits(units.decisions, units.stimuli, cues, human_bias)


def decision_units(decisions: Any, ids: Any, classes: Sequence[object] | None = None) -> StimulusUnits:
    """:class:`StimulusUnits` of per-stimulus decisions: booleans as given, or labels mapped to their index in
    ``classes`` (sorted unique labels when None; a label outside ``classes`` gets index -1)."""
    values = np.asarray(decisions)
    if values.dtype != bool:
        labels = np.asarray(sorted(set(values.astype(str).tolist())) if classes is None else list(map(str, classes)))
        index = {label: i for i, label in enumerate(labels.tolist())}
        values = np.array([index.get(v, -1) for v in values.astype(str).tolist()], dtype=np.int64)
    return StimulusUnits(values, stimulus_fingerprint(list(np.asarray(ids))))
