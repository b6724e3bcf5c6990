"""Reading a --brainscore-report JSON back: rows in gate order, the gate outcome, --compare, and clear errors."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from brainscore_core.report import ReportError, SessionReport, compare_reports, load_report, parse_report

DATA = Path(__file__).parent / "data"


def test_rows_come_regressions_first_then_passes_then_skips(session: SessionReport) -> None:
    assert [(row.status, row.model, row.benchmark) for row in session.rows] == [
        ("regression", "pixels", "Mur2013.similarity-rsa"),
        ("passed", "gabor_v1", "Kriegeskorte2008.hIT-rsa"),
        ("passed", "gabor_v1", "Mur2013.similarity-rsa"),
        ("passed", "pixels", "Kriegeskorte2008.hIT-rsa"),
        ("skipped", "gabor_v1", "Geirhos2019.edges-top1"),
        ("skipped", "pixels", "Geirhos2019.edges-top1"),
    ]


def test_numbers_are_the_json_reports(session: SessionReport) -> None:
    payload = json.loads((DATA / "session_report.json").read_text())
    regression = session.rows[0]
    entry = payload["results"][0]
    assert (regression.score, regression.raw, regression.ceiling, regression.error) == (
        entry["score"],
        entry["raw"],
        entry["ceiling"],
        entry["error"],
    )
    assert regression.baseline_score == 0.3 and math.isclose(regression.delta or 0, entry["score"] - 0.3)
    assert session.rows[1].baseline_status == "improvement"
    assert session.rows[-1].skipped is not None and "cannot name images" in session.rows[-1].skipped


def test_gate_outcome_and_counts(session: SessionReport, first: SessionReport) -> None:
    assert session.gate_outcome() == "FAIL: 1 regression"
    assert session.counts() == "6 pairs: 1 regressed, 0 failed, 3 passed (1 improved), 2 skipped"
    assert first.gate_outcome() == "pass"
    assert session.models == ["gabor_v1", "pixels"]
    assert session.benchmarks == ["Geirhos2019.edges-top1", "Kriegeskorte2008.hIT-rsa", "Mur2013.similarity-rsa"]


def test_compare_fills_the_baseline_columns_from_the_older_report(session: SessionReport) -> None:
    payload = json.loads((DATA / "first_report.json").read_text())
    payload["results"][0]["score"] = 0.5  # gabor_v1 on Kriegeskorte2008 in the older session
    older = parse_report(payload, "old.json")
    compared = compare_reports(session, older)
    rows = {(row.model, row.benchmark): row for row in compared.rows}
    changed = rows[("gabor_v1", "Kriegeskorte2008.hIT-rsa")]
    assert changed.baseline_status == "compared" and changed.baseline_score == 0.5
    assert math.isclose(changed.delta or 0, (changed.score or 0) - 0.5)
    assert rows[("pixels", "Mur2013.similarity-rsa")].delta == 0.0
    assert rows[("pixels", "Geirhos2019.edges-top1")].baseline_score is None  # skipped in both
    assert compared.compared_with == "old.json"
    assert [row.status for row in compared.rows] == [row.status for row in session.rows]  # not a gate


def test_compare_leaves_pairs_at_another_benchmark_version_without_baseline(session: SessionReport) -> None:
    payload = json.loads((DATA / "first_report.json").read_text())
    for entry in payload["results"]:
        entry["benchmark_version"] = 2
    compared = compare_reports(session, parse_report(payload, "old.json"))
    assert all(row.baseline_score is None and row.delta is None for row in compared.rows)


def test_a_missing_file_is_named_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"missing\.json: no such file\. Give the JSON written by pytest"):
        load_report(tmp_path / "missing.json")


def test_a_file_that_is_not_json_says_where(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"results": [\n')
    with pytest.raises(ReportError, match=r"broken\.json: not JSON \(.* at line 2"):
        load_report(path)


def test_a_baseline_file_is_not_a_report(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"format": "pytest-brainscore baseline", "scores": []}))
    with pytest.raises(ReportError, match=r"baseline\.json is not a pytest-brainscore JSON report"):
        load_report(path)


def test_a_result_without_model_names_its_index() -> None:
    with pytest.raises(ReportError, match=r"r\.json: results\[1\] has no model or benchmark"):
        parse_report({"results": [{"model": "a", "benchmark": "b"}, {"score": 1}]}, "r.json")


def test_brainscore_demo_rows_are_read_too() -> None:
    payload = {
        "results": [
            {"model": "m", "benchmark": "ok", "status": "ok", "score": 0.5, "error": 0.01, "seconds": 1.0},
            {"model": "m", "benchmark": "skip", "status": "skipped: Model 'm' cannot name images"},
            {"model": "m", "benchmark": "bad", "status": "error: ValueError: boom"},
            {"model": "n", "benchmark": "*", "status": "unavailable: weights missing at /x"},
        ],
        "seconds": 3.0,
    }
    report = parse_report(payload, "demo_results.json")
    rows = {(row.model, row.benchmark): row for row in report.rows}
    assert rows[("m", "ok")].status == "passed" and rows[("m", "ok")].score == 0.5
    assert rows[("m", "skip")].status == "skipped" and rows[("m", "skip")].skipped == "Model 'm' cannot name images"
    assert rows[("m", "bad")].status == "failed" and rows[("m", "bad")].gate == "error: ValueError: boom"
    assert rows[("n", "*")].skipped == "model unavailable: weights missing at /x"
    assert report.gate_outcome() == "FAIL: 1 failed"
