"""``--brainscore-html``, ``--brainscore-markdown`` (and their ini keys) and ``$GITHUB_STEP_SUMMARY`` in real
pytest sessions on the toy plugins (subprocess runs: plugin discovery fills global registries)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from brainscore_core.report import load_report, render_html

TOY = Path(__file__).resolve().parent.parent / "plugin"
sys.path.insert(0, str(TOY))  # toy_expectations lives with the plugin tests
from toy_expectations import TOY_ENVIRONMENT, TOY_PLUGINS  # noqa: E402

SUITE = """
import pytest

@pytest.mark.brainscore(model=["toy_good", "toy_poor", "toy_v4only"], benchmark="ToyLab2024.*", min_score=0.5)
def test_alignment(brainscore_result):
    assert brainscore_result.raw > 0
"""


@pytest.fixture
def toy(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("BRAINSCORE_PLUGINS_PATH", str(TOY_PLUGINS))
    monkeypatch.setenv("BRAINSCORE_HOME", str(pytester.path / ".brainscore_cache"))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    for name in TOY_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    pytester.makepyfile(test_suite=SUITE)
    return pytester


def _table(page: str) -> str:
    match = re.search(r"<table.*?</table>", page, flags=re.DOTALL)
    assert match is not None
    return match.group(0)


def test_html_and_markdown_are_rendered_from_the_json_report(toy: pytest.Pytester) -> None:
    html, markdown, report = toy.path / "out" / "report.html", toy.path / "summary.md", toy.path / "report.json"
    result = toy.runpytest_subprocess(
        f"--brainscore-html={html}", f"--brainscore-markdown={markdown}", f"--brainscore-report={report}"
    )
    result.assert_outcomes(passed=3, failed=2, skipped=1)
    result.stdout.fnmatch_lines([f"HTML report written: {html}", f"Markdown summary written: {markdown}"])
    page = html.read_text()
    assert _table(page) == _table(render_html(load_report(report)))  # the same rows as the JSON report, rendered
    assert page.count("<svg") == 2 and "FAIL: 2 failed" in page
    summary = markdown.read_text()
    assert summary.startswith("## Brain-Score: FAIL: 2 failed\n")
    assert summary.index("| **failed** | toy\\_poor |") < summary.index("| passed | toy\\_good |")
    assert "- toy\\_v4only on ToyLab2024.IT-mean: " in summary


def test_the_job_summary_is_appended_when_github_step_summary_is_set(
    toy: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = toy.path / "step_summary.md"
    summary.write_text("# earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = toy.runpytest_subprocess("-k", "toy_good")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([f"Job summary appended to {summary}"])
    text = summary.read_text()
    assert text.startswith("# earlier step\n## Brain-Score: pass\n\n2 pairs: 0 regressed, 0 failed, 2 passed")


def test_a_view_that_cannot_be_written_is_named_and_the_results_stand(toy: pytest.Pytester) -> None:
    blocker = toy.path / "not_a_folder"
    blocker.write_text("")
    html = blocker / "report.html"
    result = toy.runpytest_subprocess(f"--brainscore-html={html}", "-k", "toy_good", "--color=yes")
    assert result.ret == pytest.ExitCode.OK  # both tests passed; the report's failure does not change that
    assert "2 passed" in result.stdout.str()
    result.stdout.fnmatch_lines([f"*HTML report NOT written: cannot write the report {html}: *"])
    assert f"\x1b[31mHTML report NOT written: cannot write the report {html}" in result.stdout.str()  # in red


def test_with_xdist_the_controller_writes_the_views_once(toy: pytest.Pytester) -> None:
    html, markdown = toy.path / "report.html", toy.path / "summary.md"
    result = toy.runpytest_subprocess("-n", "2", f"--brainscore-html={html}", f"--brainscore-markdown={markdown}")
    result.assert_outcomes(passed=3, failed=2, skipped=1)
    assert result.stdout.str().count("HTML report written") == 1
    assert len(re.findall(r"<tr class=", html.read_text())) == 6
    assert markdown.read_text().count("## Brain-Score") == 1


def test_ini_keys_are_relative_to_the_ini_file(toy: pytest.Pytester) -> None:
    toy.makeini("[pytest]\nbrainscore_html = reports/report.html\nbrainscore_markdown = reports/summary.md\n")
    result = toy.runpytest_subprocess("-k", "toy_good")
    result.assert_outcomes(passed=2)
    assert (toy.path / "reports" / "report.html").read_text().startswith("<!DOCTYPE html>")
    assert (toy.path / "reports" / "summary.md").read_text().startswith("## Brain-Score: pass")


def test_a_folder_is_refused_with_an_example_file_name(toy: pytest.Pytester) -> None:
    result = toy.runpytest_subprocess(f"--brainscore-html={toy.path}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*--brainscore-html {toy.path} is a folder. Give a file name, e.g. *report.html."])


def test_without_the_options_nothing_is_written(toy: pytest.Pytester) -> None:
    result = toy.runpytest_subprocess("-k", "toy_good")
    result.assert_outcomes(passed=2)
    assert "report written" not in result.stdout.str() and "summary" not in result.stdout.str().lower()


def test_a_session_without_pairs_still_writes_the_requested_files_but_no_job_summary(
    toy: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = toy.path / "step_summary.md"
    summary.write_text("")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    html, markdown = toy.path / "report.html", toy.path / "summary.md"
    result = toy.runpytest_subprocess(f"--brainscore-html={html}", f"--brainscore-markdown={markdown}", "-k", "nothing")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    assert 'id="gate">pass<' in html.read_text() and "0 pairs: 0 regressed" in html.read_text()
    assert markdown.read_text().startswith("## Brain-Score: pass\n\n0 pairs")
    assert summary.read_text() == ""  # an unrelated test run adds nothing to the job summary


def test_a_view_that_fails_to_render_is_a_red_line_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import brainscore_core.report
    from pytest_brainscore.controller import RecordBook
    from pytest_brainscore.options import BrainscoreOptions
    from pytest_brainscore.records import ScoreRecord
    from pytest_brainscore.views import ViewsPlugin

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(brainscore_core.report, "render_html", broken)
    book = RecordBook()
    book.records.append(ScoreRecord("t", "m", "b", 1, score=0.5, raw=0.4, ceiling=0.8, error=0.01, outcome="passed"))
    html, markdown = tmp_path / "r.html", tmp_path / "s.md"
    plugin = ViewsPlugin(BrainscoreOptions(), book, None, html=html, markdown=markdown)
    plugin.write()
    assert plugin.summary_lines([]) == [
        (f"HTML report NOT written: {html}: RuntimeError('boom')", True),
        (f"Markdown summary written: {markdown}", False),
    ]
    assert not html.exists() and "| passed | m | b | 0.5000 |" in markdown.read_text()
