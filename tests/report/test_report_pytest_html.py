"""With pytest-html, each brainscore test's row carries its pair's numbers and plot; without it, nothing of it is
imported and no extras plugin is registered (toy plugins, subprocess runs)."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugin"))  # toy_expectations
from toy_expectations import TOY_ENVIRONMENT, TOY_PLUGINS

SUITE = """
import pytest

@pytest.mark.brainscore(model=["toy_good", "toy_v4only"], benchmark="ToyLab2024.*")
def test_alignment(brainscore_result):
    pass
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


def test_each_rows_extra_holds_its_pairs_numbers_and_plot(toy: pytest.Pytester) -> None:
    pytest.importorskip("pytest_html", reason="pytest-html is not installed (the test extra installs it)")
    page = toy.path / "pytest_html.html"
    result = toy.runpytest_subprocess(f"--html={page}", "--self-contained-html")
    result.assert_outcomes(passed=3, skipped=1)
    blob = re.search(r'data-jsonblob="([^"]*)"', page.read_text())
    assert blob is not None
    tests = json.loads(html.unescape(blob.group(1)))["tests"]
    extras = {test_id.split("[")[1].rstrip("]"): runs[-1]["extras"] for test_id, runs in tests.items()}
    assert set(extras) == {f"{m}-ToyLab2024.{r}-mean" for m in ("toy_good", "toy_v4only") for r in ("V4", "IT")}
    good = extras["toy_good-ToyLab2024.V4-mean"]
    assert len(good) == 1 and good[0]["format_type"] == "html"
    content = good[0]["content"]
    assert "<p>toy_good on ToyLab2024.V4-mean</p>" in content
    assert "<tr><th>score</th><td>0.7500</td></tr>" in content and "<tr><th>ceiling</th><td>0.8000</td></tr>" in content
    assert content.count("<svg") == 1
    skipped = extras["toy_v4only-ToyLab2024.IT-mean"][0]["content"]
    assert "<tr><th>skipped</th><td>Model &#x27;toy_v4only&#x27; cannot record from region" in skipped
    assert "<svg" not in skipped


def test_without_pytest_html_nothing_of_it_is_imported_or_registered(toy: pytest.Pytester) -> None:
    toy.makeconftest(
        """
import sys

def pytest_sessionfinish(session):
    names = [m for m in sys.modules if m.startswith("pytest_html")]
    registered = session.config.pluginmanager.get_plugin("brainscore-pytest-html")
    print(f"PYTEST_HTML_MODULES={names} REGISTERED={registered is not None}")
"""
    )
    result = toy.runpytest_subprocess("-p", "no:html", "-p", "no:html_fixtures", "-s", "-k", "toy_good")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*PYTEST_HTML_MODULES=[] REGISTERED=False*"])
