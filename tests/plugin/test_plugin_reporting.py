"""Reporting: the summary table, the JSON report, junitxml properties, pytest-xdist, and no torch when unused."""

import importlib.metadata
import json
import math
import xml.etree.ElementTree as ElementTree

import pytest
from toy_expectations import TOY_CEILING, TOY_ERROR, TOY_LEVELS, toy_score

from pytest_brainscore.controller import RecordBook
from pytest_brainscore.records import Comparison, ScoreRecord

V4, IT = "ToyLab2024.V4-mean", "ToyLab2024.IT-mean"
SUITE = """
import pytest

@pytest.mark.brainscore(model=["toy_good", "toy_poor", "toy_v4only"], benchmark="ToyLab2024.*", min_score=0.5)
def test_alignment(brainscore_result):
    assert brainscore_result.raw > 0

def test_unrelated():
    pass
"""


class _Report:
    def __init__(self, *records: ScoreRecord) -> None:
        self.brainscore_records = list(records)  # typed in the process (dicts only across the xdist boundary)


def test_summary_rows_put_regressions_first_then_failures_then_passes_then_skips() -> None:
    regression = Comparison("regression", delta=-0.2, allowed=0.01, baseline_score=0.9)
    book = RecordBook()
    book.add(_Report(ScoreRecord("t::a", "m_pass", "b", score=0.9, outcome="passed")))
    book.add(_Report(ScoreRecord("t::b", "m_skip", "b", skipped="cannot record from IT", outcome="skipped")))
    book.add(
        _Report(ScoreRecord("t::c", "m_fail", "b", score=0.1, threshold_violations=["score ..."], outcome="failed"))
    )
    book.add(_Report(ScoreRecord("t::d", "m_regr", "b", score=0.7, baseline=regression, outcome="failed")))
    book.add(_Report(ScoreRecord("t::e", "m_pass", "b", score=0.9, outcome="passed")))  # same pair, second test
    assert [record.model for record, _ in book.rows()] == ["m_regr", "m_fail", "m_pass", "m_skip"]
    lines = book.summary_lines()
    assert [line.split()[0] for line in lines[1:4]] == ["m_regr", "m_fail", "m_pass"]
    assert lines[4] == "m_skip on b: skipped, cannot record from IT"


def test_json_report_has_versions_configuration_and_every_pair(toy: pytest.Pytester) -> None:
    toy.makepyfile(test_suite=SUITE)
    report = toy.path / "out" / "brainscore.json"
    # a process of its own: the report takes torch's version from the module once torch is imported, as it may be here
    result = toy.runpytest_subprocess(f"--brainscore-report={report}")
    result.assert_outcomes(passed=4, failed=2, skipped=1)
    result.stdout.fnmatch_lines([f"Report written: {report}"])
    payload = json.loads(report.read_text())
    assert payload["versions"]["pytest-brainscore"] == importlib.metadata.version("pytest-brainscore")
    assert payload["versions"]["torch"] == importlib.metadata.version("torch")
    assert payload["versions"]["pytest"] == pytest.__version__
    assert payload["data"] == {V4: {"benchmark_version": 1}, IT: {"benchmark_version": 1}}
    assert payload["configuration"]["report"] == str(report) and payload["configuration"]["tolerance"] == 0.01
    results = {(row["model"], row["benchmark"]): row for row in payload["results"]}
    assert len(results) == 6 and [row["status"] for row in payload["results"]][:2] == ["failed", "failed"]
    for model in ("toy_good", "toy_poor"):
        for benchmark in (V4, IT):
            row = results[(model, benchmark)]
            assert math.isclose(row["score"], toy_score(model)) and math.isclose(row["raw"], TOY_LEVELS[model])
            assert math.isclose(row["ceiling"], TOY_CEILING) and math.isclose(row["raw_error"], TOY_ERROR)
            assert math.isclose(row["error"], TOY_ERROR / TOY_CEILING)  # the error on the ceiled score's scale
            assert row["thresholds"] == {"min_score": 0.5} and row["seconds"] >= 0 and row["cache"] == "-"
    assert results[("toy_poor", V4)]["threshold_violations"] == [
        f"score {toy_score('toy_poor'):.4f} is below min_score=0.5 by {0.5 - toy_score('toy_poor'):.4f}"
    ]
    assert (
        results[("toy_v4only", IT)]["status"] == "skipped" and "region 'IT'" in results[("toy_v4only", IT)]["skipped"]
    )


def test_junitxml_carries_each_tests_numbers(toy: pytest.Pytester) -> None:
    toy.makepyfile(test_suite=SUITE)
    xml = toy.path / "junit.xml"
    toy.runpytest(f"--junitxml={xml}", "-k", "toy_good and V4 or unrelated")
    cases = {case.get("name"): case for case in ElementTree.parse(xml).getroot().iter("testcase")}
    properties = {p.get("name"): p.get("value") for p in cases[f"test_alignment[toy_good-{V4}]"].iter("property")}
    assert properties["brainscore_model"] == "toy_good" and properties["brainscore_benchmark"] == V4
    assert math.isclose(float(properties["brainscore_score"]), toy_score("toy_good"))
    assert math.isclose(float(properties["brainscore_raw"]), TOY_LEVELS["toy_good"])
    assert math.isclose(float(properties["brainscore_error"]), TOY_ERROR / TOY_CEILING)  # the ceiled score's scale
    assert math.isclose(float(properties["brainscore_raw_error"]), TOY_ERROR)
    assert properties["brainscore_benchmark_version"] == "1" and properties["brainscore_thresholds"] == "min_score=0.5"
    assert list(cases["test_unrelated"].iter("property")) == []


@pytest.mark.slow  # starts two pytest-xdist sessions of two workers each (about 10 s)
def test_xdist_scores_on_workers_and_reports_once_on_the_controller(
    toy: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    toy.makepyfile(test_suite=SUITE)
    baseline = toy.path / "baseline.json"
    baseline.write_text(
        json.dumps({"scores": [{"model": "old", "benchmark": V4, "benchmark_version": 1, "score": 0.3}]})
    )
    report = toy.path / "report.json"
    # processes of their own: the xdist controller and its workers (-n 2)
    result = toy.runpytest_subprocess(
        "-n", "2", f"--brainscore-report={report}", f"--brainscore-baseline={baseline}", "--brainscore-update-baseline"
    )
    result.assert_outcomes(passed=4, failed=2, skipped=1)
    assert result.stdout.str().count("= brainscore =") == 1
    result.stdout.fnmatch_lines([f"Baseline updated: {baseline} (5 written, 1 kept)", f"Report written: {report}"])
    scores = {(e["model"], e["benchmark"]) for e in json.loads(baseline.read_text())["scores"]}
    pairs = {(model, b) for model in ("toy_good", "toy_poor") for b in (V4, IT)}
    assert scores == {("old", V4), ("toy_v4only", V4)} | pairs
    rows = json.loads(report.read_text())["results"]
    assert len(rows) == 6 and len({row["nodeid"] for row in rows}) == 6
    monkeypatch.setenv("TOY_LEVEL_toy_poor", "0.1")  # the committed baseline now gates a regression on a worker
    result = toy.runpytest_subprocess("-n", "2", f"--brainscore-baseline={baseline}", "-k", "toy_poor and V4")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            (
                "*toy_poor on ToyLab2024.V4-mean v1: score 0.1250 is below min_score=0.5*| "
                "toy_poor on ToyLab2024.V4-mean v1: regressed, score dropped 0.1250*"
            )
        ]
    )


def test_a_session_without_brainscore_imports_no_torch(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # only this plugin, named explicitly
    pytester.makepyfile(
        test_light="""
        import sys

        def test_heavy_modules_are_not_imported(request):
            plugins = request.config.pluginmanager.get_plugins()
            assert any(getattr(plugin, "__name__", "") == "pytest_brainscore.plugin" for plugin in plugins)
            for module in ("torch", "brainscore_core", "xarray", "numpy"):
                assert module not in sys.modules, module
        """
    )
    # processes of their own: the run checks which modules are imported, and autoload is read at start-up
    result = pytester.runpytest_subprocess("-p", "pytest_brainscore.plugin", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["brainscore: cache=default, device=auto"])
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD")  # and the same when installed plugins load as usual
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
