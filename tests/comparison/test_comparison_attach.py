"""Every pairable metric attaches its paired-units record to ``score.attrs["paired_units"]`` (issue 17).

Per family: the record is present, valid, consistent with the raw score, survives the Score's JSON round trip,
and ``compare_units(record, record)`` says "unchanged". The attached record is the stored form (values at
``STORED_DIGITS`` significant digits, as a baseline keeps them), so it matches the score to that precision.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from brainscore_core.assemblies import behavioral_assembly, neuroid_assembly, rdm_assembly
from brainscore_core.comparison import (
    SplitUnits,
    StimulusUnits,
    SubjectStimulusUnits,
    UnitsMismatch,
    compare_units,
    decide,
    split_fingerprint,
    stored,
    units_from_dict,
)
from brainscore_core.comparison.attach import (
    PAIRED_UNITS,
    PAIRED_UNITS_MISSING,
    attach_units,
    combine_sessions,
    paired_units,
)
from brainscore_core.loading import load_metric
from brainscore_core.metrics._splits import SplitSpec, shuffle_splits
from brainscore_core.metrics.accuracy import Accuracy, ShapeBias
from brainscore_core.metrics.error_consistency import ErrorConsistency
from brainscore_core.metrics.rsa import RSAMetric
from brainscore_core.score import Score


def neural_pair(n: int = 60, seed: int = 0):
    rng = np.random.default_rng(seed)
    ids = np.array([f"im{i:03d}" for i in rng.permutation(n)])  # rows not in stimulus_id order
    x = rng.normal(size=(n, 8))
    y = x[:, :3] @ rng.normal(size=(3, 5)) + rng.normal(size=(n, 5))
    objects = {"object_name": np.array(["car", "dog", "face"])[np.arange(n) % 3]}
    return neuroid_assembly(x, stimulus_id=ids), neuroid_assembly(y, stimulus_id=ids, presentation_coords=objects)


def check_record(score: Score, kind: type) -> object:
    """The record is there, of ``kind``, round-trips through the Score's JSON and compares to itself as unchanged."""
    assert PAIRED_UNITS_MISSING not in score.attrs
    record = paired_units(score)
    assert isinstance(record, kind)
    restored = Score.from_json(score.to_json())
    again = paired_units(restored)
    assert again is not None and again.to_dict() == record.to_dict()
    assert units_from_dict(json.loads(json.dumps(record.to_dict()))).to_dict() == record.to_dict()
    statistic = None if record.kind != "stimuli" or record.decisions.dtype == bool else np.mean
    assert decide(compare_units(record, again, statistic=statistic)).status == "unchanged"
    return record


@pytest.mark.parametrize("identifier", ["ridge", "pls", "linear", "neuron_to_neuron"])
def test_predictivity_carries_per_split_scores_and_the_split_fingerprint(identifier):
    source, target = neural_pair()
    score = load_metric(identifier)(source, target)
    record = check_record(score, SplitUnits)
    assert np.array_equal(record.scores, stored(score.details["split"].values))
    assert np.mean(record.scores) == pytest.approx(score.value, abs=1e-6)
    assert (record.n_train, record.n_test) == (54, 6)
    ids = np.sort(np.asarray(target["stimulus_id"].values))
    splits = shuffle_splits(60, SplitSpec(), stratify=np.asarray(target.sortby("stimulus_id")["object_name"].values))
    expected = split_fingerprint([ids[s.train] for s in splits], [ids[s.test] for s in splits])
    assert record.fingerprint == expected


def test_split_fingerprint_does_not_depend_on_row_order_and_changes_with_the_seed():
    source, target = neural_pair()
    metric = load_metric("ridge")
    base = paired_units(metric(source, target))
    shuffled = paired_units(metric(source.isel(presentation=slice(None, None, -1)), target[::-1]))
    reseeded = load_metric("ridge")
    reseeded.split_spec = SplitSpec(random_state=2)
    other = paired_units(reseeded(source, target))
    assert base.fingerprint == shuffled.fingerprint != other.fingerprint
    assert "splits differ" in compare_units(base, other).note


@pytest.mark.parametrize("identifier", ["cka_cv", "rdm_cv"])
def test_cross_validated_similarities_carry_per_split_values(identifier):
    source, target = neural_pair()
    score = load_metric(identifier)(source, target)
    record = check_record(score, SplitUnits)
    assert np.array_equal(record.scores, stored(score.details["split"].values))
    assert np.mean(record.scores) == pytest.approx(score.value, abs=1e-6)
    assert record.n_test == score.attrs["n_test_stimuli"]


def rsa_data(seed: int = 0, n: int = 12, subjects: int = 3):
    rng = np.random.default_rng(seed)
    ids = [f"s{i:02d}" for i in range(n)]
    model = neuroid_assembly(rng.normal(size=(n, 20)), stimulus_id=ids)
    rdms = []
    for _ in range(subjects):
        x = rng.normal(size=(n, 5))
        rdms.append(1 - np.corrcoef(x))
    order = rng.permutation(n)  # the data's stimulus order differs from the model's
    data = rdm_assembly(
        np.stack(rdms)[:, order][:, :, order], stimulus_id=np.array(ids)[order], subject=["a", "b", "c"]
    )
    return model, data


def test_rsa_carries_per_subject_and_leave_one_stimulus_out_rho():
    model, data = rsa_data()
    score = RSAMetric()(model, data)
    record = check_record(score, SubjectStimulusUnits)
    assert record.subjects == ("a", "b", "c")
    assert np.allclose(record.by_subject, score.details["subject"].values, rtol=1e-6, atol=1e-12)
    assert np.mean(record.by_subject) == pytest.approx(score.value, abs=1e-6)
    assert record.loo.shape == (3, 12)


def test_rsa_without_a_jackknife_says_why_it_has_no_units():
    model, data = rsa_data()
    score = RSAMetric("kendall_tau_a")(model, data)
    assert PAIRED_UNITS not in score.attrs
    assert "kendall_tau_a" in score.attrs[PAIRED_UNITS_MISSING]


def behaviour(seed: int = 0):
    rng = np.random.default_rng(seed)
    labels = np.array(["cat", "dog", "car", "boat"])
    ids = np.array([f"im{i:03d}" for i in range(60)])
    truth = rng.choice(labels, size=60)
    conditions = np.repeat(["c0", "c1", "c2"], 20)

    def answers(skill: float) -> np.ndarray:
        return np.where(rng.uniform(size=60) < skill, truth, rng.choice(labels, size=60))

    source = behavioral_assembly(
        answers(0.6), stimulus_id=ids, presentation_coords={"truth": truth, "condition": conditions}
    )
    trials = [(ids, truth, answers(p), conditions, np.full(60, f"subject-{k}")) for k, p in enumerate((0.5, 0.7))]
    columns = [np.concatenate(parts) for parts in zip(*trials, strict=True)]
    humans = behavioral_assembly(
        columns[2],
        stimulus_id=columns[0],
        presentation_coords={"truth": columns[1], "condition": columns[3], "subject": columns[4]},
    )
    return source, humans


def test_error_consistency_carries_signed_per_subject_kappas_and_their_jackknife():
    source, humans = behaviour()
    score = ErrorConsistency()(source, humans)
    record = check_record(score, SubjectStimulusUnits)
    assert record.subjects == ("subject-0", "subject-1")
    assert abs(np.mean(record.by_subject)) == pytest.approx(score.value, abs=1e-6)
    per_subject = np.nanmean(score.details["kappa"].values, axis=1)
    assert np.allclose(record.by_subject, per_subject, rtol=1e-6, atol=1e-12)
    assert record.loo.shape == (2, 60)


def test_accuracy_carries_per_stimulus_correctness():
    source, _ = behaviour()
    truth = behavioral_assembly(source["truth"].values, stimulus_id=source["stimulus_id"].values)
    score = Accuracy()(source, truth)
    record = check_record(score, StimulusUnits)
    assert record.decisions.dtype == bool and record.decisions.mean() == pytest.approx(score.value)


def test_shape_bias_carries_the_models_decisions_as_class_indices():
    shape = np.array(["cat", "dog", "car", "boat"] * 5)
    texture = np.roll(shape, 1)
    answers = np.where(np.arange(20) % 3 == 0, texture, shape)
    source = behavioral_assembly(
        answers, stimulus_id=[f"im{i}" for i in range(20)], presentation_coords={"shape": shape, "texture": texture}
    )
    humans = behavioral_assembly(
        shape, stimulus_id=[f"im{i}" for i in range(20)], presentation_coords={"shape": shape, "texture": texture}
    )
    score = ShapeBias()(source, humans)
    record = check_record(score, StimulusUnits)
    classes = sorted(set(shape))
    assert [classes[i] for i in record.decisions] == answers.tolist()


def test_attach_keeps_the_reason_when_units_cannot_be_formed():
    score = Score(0.5)

    def broken() -> SplitUnits:
        return SplitUnits(np.array([0.1, np.nan]), 9, 1, "sha256:x")

    attach_units(score, broken)
    assert PAIRED_UNITS not in score.attrs and "non-finite" in score.attrs[PAIRED_UNITS_MISSING]
    assert paired_units(score) is None


def test_sessions_combine_split_by_split():
    a = SplitUnits(np.array([0.1, 0.2, 0.3]), 90, 10, "sha256:a")
    b = SplitUnits(np.array([0.3, 0.4, 0.5]), 90, 10, "sha256:b")
    combined = combine_sessions([a, b], ["s1", "s2"])
    assert np.allclose(combined.scores, [0.2, 0.3, 0.4])
    assert np.mean(combined.scores) == pytest.approx(np.mean([a.scores.mean(), b.scores.mean()]))
    assert (combined.n_train, combined.n_test) == (180, 20)
    assert combined.fingerprint != combine_sessions([b, a], ["s1", "s2"]).fingerprint
    with pytest.raises(ValueError, match="different numbers of splits"):
        combine_sessions([a, SplitUnits(np.array([0.1, 0.2]), 90, 10, "sha256:c")], ["s1", "s2"])


def test_cowley_session_mean_carries_the_split_by_split_mean_of_its_sessions():
    from example_plugins.benchmarks.cowley2023.benchmark import _mean_of_sessions

    sessions = []
    for k in range(3):
        record = SplitUnits(np.array([0.1, 0.2, 0.3]) + k / 10, 1080, 120, f"sha256:{k}")
        sessions.append(attach_units(Score(float(record.scores.mean()), error=0.01), lambda r=record: r))
    score = _mean_of_sessions(sessions, ["a", "b", "c"])
    record = check_record(score, SplitUnits)
    assert np.mean(record.scores) == pytest.approx(score.value, abs=1e-9)
    assert (record.n_train, record.n_test) == (3240, 360)
    without = _mean_of_sessions([Score(0.2, error=0.01), *sessions[1:]], ["a", "b", "c"])
    assert paired_units(without) is None and "no per-split paired units" in without.attrs[PAIRED_UNITS_MISSING]


def test_error_consistency_units_group_the_jackknife_beyond_200_stimuli():
    from brainscore_core.comparison.attach import JACKKNIFE_GROUPS, error_consistency_units

    rng = np.random.default_rng(4)
    n = 250
    model = rng.random(n) < 0.6
    humans = (rng.random((3, n)) < 0.7).astype(float)
    condition = rng.integers(0, 2, n)
    ids = [f"im{i}" for i in range(n)]
    grouped = error_consistency_units(model, humans, condition, 2, ["a", "b", "c"], ids)
    single = error_consistency_units(model[:200], humans[:, :200], condition[:200], 2, ["a", "b", "c"], ids[:200])
    assert grouped.unit == "stimulus-group" and grouped.loo.shape == (3, JACKKNIFE_GROUPS)
    assert single.unit == "stimulus" and single.loo.shape == (3, 200)
    assert grouped.size_bytes() < 3 * 50 * 25
    lower = SubjectStimulusUnits(
        grouped.subjects, grouped.by_subject - 0.1, grouped.loo - 0.1, grouped.stimuli, grouped.unit
    )
    result = compare_units(grouped, lower)
    assert result.resampled == "3 subjects ⊕ 50-stimulus-group jackknife"


def test_shape_bias_units_recompute_the_score_and_pair_two_models():
    shape = np.array(["cat", "dog", "car", "boat"] * 10)
    texture = np.roll(shape, 1)
    ids = [f"im{i}" for i in range(40)]
    humans = behavioral_assembly(
        np.where(np.arange(40) % 4 == 0, texture, shape),
        stimulus_id=ids,
        presentation_coords={"shape": shape, "texture": texture},
    )

    def scored(every: int) -> Score:
        answers = np.where(np.arange(40) % every == 0, texture, shape)
        source = behavioral_assembly(answers, stimulus_id=ids, presentation_coords={"shape": shape, "texture": texture})
        return ShapeBias()(source, humans)

    a, b = scored(3), scored(2)  # B names the texture more often: a lower shape bias, further from the humans'
    units_a, units_b = paired_units(a), paired_units(b)
    assert isinstance(units_a, StimulusUnits) and units_a.reference == pytest.approx(0.75)
    assert units_a.shape_bias(units_a.rows()) == pytest.approx(a.value)
    assert units_from_dict(json.loads(json.dumps(units_a.to_dict()))).shape_bias(units_a.rows()) == pytest.approx(
        a.value
    )
    estimate = compare_units(units_a, units_b)
    assert estimate.delta == pytest.approx(b.value - a.value) and estimate.resampled == "40-stimulus jackknife"
    theta = [
        units_b.shape_bias(np.delete(units_b.rows(), i, 0)) - units_a.shape_bias(np.delete(units_a.rows(), i, 0))
        for i in range(40)
    ]
    assert estimate.se == pytest.approx(np.sqrt(39 / 40 * np.sum((np.array(theta) - np.mean(theta)) ** 2)))
    other = StimulusUnits(units_b.decisions, units_b.stimuli, units_b.cues, 0.5)
    with pytest.raises(UnitsMismatch, match="shape-bias cues or human reference differ"):
        compare_units(units_a, other)
    with pytest.raises(ValueError, match="need both the cues"):
        StimulusUnits(units_b.decisions, units_b.stimuli, units_b.cues)
