"""Baseline entries with paired units: the file round trip, which rule decides a pair, and what a record carries."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pytest_brainscore.baselines import Baseline, BaselineEntry
from pytest_brainscore.records import ScoreRecord


@pytest.fixture(scope="module")
def units():
    from brainscore_core.comparison import SplitUnits

    def make(scores, fingerprint="sha256:abc") -> dict:
        return SplitUnits(np.asarray(scores, dtype=float), 90, 10, fingerprint).to_dict()

    return make


BASE = [0.50, 0.52, 0.48, 0.51, 0.49, 0.50, 0.53, 0.47, 0.50, 0.50]


def entry(paired: dict | None, score: float = 0.625) -> BaselineEntry:
    return BaselineEntry("m", "b", 1, score, error=0.0025, raw=0.5, ceiling=0.8, raw_error=0.002, paired=paired)


def record(paired: dict | None, scores=BASE, **attrs) -> ScoreRecord:
    raw = float(np.mean(scores))
    return ScoreRecord(
        "t::x",
        "m",
        "b",
        benchmark_version=1,
        score=raw / 0.8,
        raw=raw,
        ceiling=0.8,
        error=0.0025,
        raw_error=0.002,
        attrs={"ceiling_formula": "raw / ceiling", **attrs},
        paired=paired,
    )


def test_the_file_round_trips_paired_units_one_line_per_record(tmp_path: Path, units) -> None:
    baseline = Baseline([entry(units(BASE)), BaselineEntry("m0", "b", 1, 0.4)])
    path = tmp_path / "baseline.json"
    baseline.write(path)
    text = path.read_text()
    assert json.loads(text)["format_version"] == 2
    lines = [line for line in text.splitlines() if '"paired"' in line]
    assert len(lines) == 1 and lines[0].strip().startswith('"paired": {"kind":"splits"')
    assert Baseline.load(path).entries["m", "b"].paired == units(BASE)
    assert Baseline.load(path).entries["m0", "b"].paired is None
    assert Baseline.load(path).paired_pairs() == {("m", "b")}


def test_merging_records_writes_their_units(units) -> None:
    merged, written, kept = Baseline([BaselineEntry("m", "b", 1, 0.1)]).merged_with([record(units(BASE))])
    assert (written, kept) == (1, 0) and merged.entries["m", "b"].paired == units(BASE)


def test_paired_entries_take_the_paired_test(units) -> None:
    drop = [x - 0.03 + 0.001 * (i % 3) for i, x in enumerate(BASE)]
    comparison = Baseline([entry(units(BASE))]).compare(record(units(drop), drop), 0.01)
    assert (comparison.rule, comparison.status, comparison.result["status"]) == ("paired", "regression", "regression")
    assert comparison.line.startswith("REGRESSION m @ b v1: 0.625 -> ")
    assert comparison.allowed is None and not comparison.refresh
    same = Baseline([entry(units(BASE))]).compare(record(units(BASE)), 0.01)
    assert (same.status, same.result["status"]) == ("unchanged", "unchanged")
    assert (
        dict(same.gate_properties())["brainscore_test"] == "none (identical per-unit values; 10 splits, Nadeau-Bengio)"
    )


@pytest.mark.parametrize(
    ("baseline_units", "run_units", "attrs", "reason", "refresh"),
    [
        (
            False,
            True,
            {},
            "the baseline entry has no per-unit values (re-write it with --brainscore-update-baseline)",
            True,
        ),
        (True, False, {"paired_units_missing": "non-finite"}, "this run has no per-unit values (non-finite)", False),
        (
            True,
            True,
            {"ceiling_formula": "odd"},
            "the paired test cannot run (the paired test does not know the",
            False,
        ),
    ],
)
def test_the_unpaired_rule_decides_when_the_paired_test_cannot(
    units, baseline_units: bool, run_units: bool, attrs: dict, reason: str, refresh: bool
) -> None:
    baseline = Baseline([entry(units(BASE) if baseline_units else None)])
    comparison = baseline.compare(record(units(BASE) if run_units else None, **attrs), 0.01)
    assert comparison.rule == "unpaired" and comparison.fallback.startswith(reason)
    assert comparison.refresh is refresh and comparison.allowed == pytest.approx(0.01)
    properties = dict(comparison.gate_properties())
    assert comparison.status == "unchanged" and properties["brainscore_status"] == "ok"  # within the allowance
    assert properties["brainscore_test"].startswith("unpaired error bars")


def test_a_record_with_a_paired_comparison_crosses_the_xdist_boundary(units) -> None:
    drop = [x - 0.03 for x in BASE]
    original = record(units(drop), drop)
    original.baseline = Baseline([entry(units(BASE))]).compare(original, 0.01)
    copy = ScoreRecord.from_dict(json.loads(json.dumps(original.to_dict())))
    assert copy.baseline == original.baseline and copy.paired == original.paired
    assert copy.user_properties() == original.user_properties()
    assert dict(copy.user_properties())["brainscore_bound"] == original.baseline.result["upper"]


def test_a_score_that_is_not_a_number_is_a_regression_even_with_units(units) -> None:
    nan_record = record(units(BASE))
    nan_record.score = None  # e.g. a NaN ceiling: the raw score and its units are fine, the score is not
    comparison = Baseline([entry(units(BASE))]).compare(nan_record, 0.01)
    assert (comparison.status, comparison.rule, comparison.fallback) == (
        "regression",
        "unpaired",
        "the score is not a number",
    )
