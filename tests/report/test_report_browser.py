"""The HTML report in a real browser: headless Chromium loads it from disk without console errors, its sort
script orders the table, and a screenshot is taken. Skipped, saying so, when Chromium is not installed
(``.ci/run`` installs Debian's ``chromium`` when it can).

To look at a report yourself::

    brainscore report results.json -o report.html
    chromium --headless --no-sandbox --hide-scrollbars --window-size=1280,2000 --screenshot=report.png report.html
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from brainscore_core.report import load_report, render_html

DATA = Path(__file__).parent / "data"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0")


@pytest.fixture(scope="module")
def chromium() -> str:
    found = os.environ.get("BRAINSCORE_CHROMIUM") or next(filter(None, map(shutil.which, BROWSERS)), None)
    if found is None:
        pytest.skip(
            "the browser check of the HTML report did NOT run: no headless Chromium found "
            f"({', '.join(BROWSERS)} or $BRAINSCORE_CHROMIUM); on Debian: apt-get install chromium"
        )
    return found


def _run(chromium: str, page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium, *FLAGS, *extra, page.as_uri()], capture_output=True, text=True, timeout=120, check=True
    )


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def test_the_report_loads_from_disk_without_console_errors_and_screenshots(chromium: str, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(load_report(DATA / "session_report.json")))
    screenshot = tmp_path / "report.png"
    result = _run(chromium, page, "--window-size=1280,2000", f"--screenshot={screenshot}")
    assert _console(result.stderr) == []
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000


def test_the_console_check_catches_a_script_error(chromium: str, tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text(
        render_html(load_report(DATA / "session_report.json"), plots=False).replace(
            "</body>", "<script>notDefined();</script></body>"
        )
    )
    assert any("notDefined is not defined" in line for line in _console(_run(chromium, page, "--dump-dom").stderr))


def test_clicking_a_column_sorts_the_table(chromium: str, tmp_path: Path) -> None:
    # Click the score header once (ascending), record the model+benchmark order, click again (descending).
    probe = (
        "<script>var th=document.querySelectorAll('#results th')[3],order=function(){"
        "return Array.prototype.map.call(document.querySelectorAll('#results tbody tr'),"
        "function(r){return r.cells[3].textContent;}).join(' ');};"
        "th.click();document.body.setAttribute('data-ascending',order());"
        "th.click();document.body.setAttribute('data-descending',order());</script></body>"
    )
    page = tmp_path / "sorted.html"
    page.write_text(render_html(load_report(DATA / "session_report.json"), plots=False).replace("</body>", probe))
    result = _run(chromium, page, "--dump-dom")
    assert _console(result.stderr) == []
    ascending = re.search(r'data-ascending="([^"]*)"', result.stdout)
    descending = re.search(r'data-descending="([^"]*)"', result.stdout)
    assert ascending is not None and descending is not None
    assert ascending.group(1) == "0.1231 0.1751 0.1785 0.1927 - -"  # missing scores last either way
    assert descending.group(1) == "0.1927 0.1785 0.1751 0.1231 - -"
