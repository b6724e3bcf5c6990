"""Paired-unit records: fingerprints, validation, versioned round trips, sizes, and compare_units."""

import json

import numpy as np
import pytest

from brainscore_core.comparison import (
    SplitUnits,
    StimulusUnits,
    SubjectStimulusUnits,
    UnitsMismatch,
    compare_units,
    decide,
    split_fingerprint,
    stimulus_fingerprint,
    subject_stimulus_test,
    units_from_dict,
)

RNG = np.random.default_rng(0)
STIMULI = [f"image_{i:04d}" for i in range(92)]


def splits_record(scores, seed=1):
    order = np.random.default_rng(seed).permutation(640)
    train, test = [order[64:]] * 10, [order[:64]] * 10
    return SplitUnits(scores, 576, 64, split_fingerprint(train, test))


def rsa_record(n_subjects=4, shift=0.0):
    by_subject = RNG.normal(0.3, 0.05, n_subjects) + shift
    loo = by_subject[:, None] + RNG.normal(0, 0.003, (n_subjects, 92))
    return SubjectStimulusUnits([f"s{i}" for i in range(n_subjects)], by_subject, loo, stimulus_fingerprint(STIMULI))


def test_split_fingerprint_ignores_row_order_within_a_split_and_id_type():
    ids = np.arange(20)
    one = split_fingerprint([ids[5:]], [ids[:5]])
    assert one == split_fingerprint([ids[5:][::-1]], [[4, 3, 2, 1, 0]])
    assert one == split_fingerprint([[str(i) for i in ids[5:]]], [[str(i) for i in ids[:5]]])
    assert one != split_fingerprint([ids[4:]], [ids[:4]])
    assert one.startswith("sha256:")


def test_stimulus_fingerprint_depends_on_order():
    assert stimulus_fingerprint(["a", "b"]) != stimulus_fingerprint(["b", "a"])


@pytest.mark.parametrize(
    "record",
    [
        splits_record(RNG.normal(0.4, 0.02, 10)),
        rsa_record(),
        rsa_record(n_subjects=1),
        StimulusUnits(RNG.random(160) < 0.7, stimulus_fingerprint(range(160))),
        StimulusUnits(RNG.integers(0, 16, 1280), stimulus_fingerprint(range(1280))),
    ],
)
def test_records_round_trip_through_json_at_stored_precision(record):
    data = json.loads(json.dumps(record.to_dict(), allow_nan=False))
    back = units_from_dict(data)
    assert type(back) is type(record)
    assert back.to_dict() == record.to_dict()
    if isinstance(record, StimulusUnits):
        np.testing.assert_array_equal(back.decisions, record.decisions)
    # a reloaded baseline compared with the run that wrote it is "unchanged"
    assert compare_units(back, record, statistic=lambda d: float(np.mean(d))).identical


def test_record_sizes_for_realistic_benchmarks():
    sizes = {
        "predictivity 10 splits": splits_record(RNG.normal(0.4, 0.02, 10)).size_bytes(),
        "hIT RSA 4 x 92": rsa_record(4).size_bytes(),
        "Mur2013 RSA 16 x 92": rsa_record(16).size_bytes(),
        "accuracy 160 bits": StimulusUnits(RNG.random(160) < 0.5, "sha256:" + "0" * 64).size_bytes(),
    }
    assert sizes["predictivity 10 splits"] < 500
    assert sizes["hIT RSA 4 x 92"] < 5_000
    assert sizes["Mur2013 RSA 16 x 92"] < 16_000
    assert sizes["accuracy 160 bits"] < 200


def test_validation_names_the_problem():
    with pytest.raises(ValueError, match=r"per-split scores holds 1 non-finite value\(s\) \(first at index \(3,\)\)"):
        SplitUnits(np.array([0.1, 0.2, 0.3, np.nan]), 9, 1, "sha256:x")
    with pytest.raises(ValueError, match=r"2 subject ids but per-subject values of shape \(3,\)"):
        SubjectStimulusUnits(["a", "b"], np.zeros(3), np.zeros((3, 5)), "sha256:x")
    with pytest.raises(ValueError, match="integer class indices"):
        StimulusUnits(np.array([0.5, 0.2]), "sha256:x")
    with pytest.raises(ValueError, match=">= 2 per-split scores"):
        SplitUnits(np.array([0.1]), 9, 1, "sha256:x")


def test_unknown_versions_and_kinds_are_refused_with_the_fix():
    data = rsa_record().to_dict()
    with pytest.raises(ValueError, match=r"version 9 is not supported.*--brainscore-update-baseline"):
        units_from_dict({**data, "version": 9})
    with pytest.raises(ValueError, match=r"unknown paired-units kind 'bootstrap'; known: \['splits', 'stimuli'"):
        units_from_dict({**data, "kind": "bootstrap"})


def test_records_are_read_only():
    record = rsa_record()
    with pytest.raises(ValueError, match="read-only"):
        record.loo[0, 0] = 1.0


def test_compare_units_runs_the_family_test():
    a, b = rsa_record(), rsa_record(shift=-0.02)
    estimate = compare_units(a, b, scale=1 / 0.661)
    expected = subject_stimulus_test(a.by_subject, b.by_subject, a.loo, b.loo, scale=1 / 0.661)
    assert estimate == expected
    correct = RNG.random(160) < 0.7
    worse = correct & (RNG.random(160) < 0.8)
    mcnemar = compare_units(StimulusUnits(correct, "sha256:s"), StimulusUnits(worse, "sha256:s"))
    assert mcnemar.kind == "exact"
    assert decide(mcnemar).status == "regression"


def test_different_splits_fall_back_to_the_unpaired_rule_with_a_note():
    a = splits_record(RNG.normal(0.4, 0.02, 10), seed=1)
    b = splits_record(RNG.normal(0.4, 0.02, 10), seed=2)
    estimate = compare_units(a, b)
    assert not estimate.paired
    assert estimate.note.startswith(f"splits differ (baseline {a.fingerprint[7:15]}, now {b.fingerprint[7:15]})")
    assert "splits differ" in decide(estimate).line("m", "b", 1)


def test_other_mismatches_are_incomparable():
    a = rsa_record()
    moved = SubjectStimulusUnits(a.subjects, a.by_subject, a.loo, stimulus_fingerprint(STIMULI[::-1]))
    with pytest.raises(UnitsMismatch, match="stimulus fingerprint differs"):
        compare_units(a, moved)
    fewer = SubjectStimulusUnits(a.subjects[:3], a.by_subject[:3], a.loo[:3], a.stimuli)
    with pytest.raises(UnitsMismatch, match=r"subjects differ \(baseline \['s0', 's1', 's2', 's3'\]"):
        compare_units(a, fewer)
    grouped = SubjectStimulusUnits(a.subjects, a.by_subject, a.loo[:, :50], a.stimuli, unit="stimulus-group")
    with pytest.raises(
        UnitsMismatch, match=r"jackknife units differ \(baseline 92 x 'stimulus', now 50 x 'stimulus-group'\)"
    ):
        compare_units(a, grouped)
    with pytest.raises(UnitsMismatch, match="baseline units are 'subjects_stimuli', this run's are 'stimuli'"):
        compare_units(a, StimulusUnits(np.ones(3, bool), a.stimuli))


def test_class_index_decisions_need_a_statistic():
    record = StimulusUnits(np.array([0, 1, 2, 1]), "sha256:s")
    with pytest.raises(ValueError, match="need the benchmark's `statistic`"):
        compare_units(record, StimulusUnits(np.array([0, 1, 1, 1]), "sha256:s"))
