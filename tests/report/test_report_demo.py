"""``brainscore demo`` writes demo_report.html beside its JSON and shows each model's build and each pair's
outcome with the seconds it took (toy plugins of tests/core, in a subprocess: discovery fills the registries)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from brainscore_core.report import load_report

TOY = Path(__file__).resolve().parent.parent / "core" / "toy_plugins"


def _demo(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "brainscore_core.cli", "--plugins", str(TOY), "demo", "--models", "toy-mean-color"]
    return subprocess.run(
        [*command, "--benchmarks", "Toy.*", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )


def test_demo_writes_the_html_report_beside_the_json(tmp_path: Path) -> None:
    output = tmp_path / "out" / "demo_results.json"
    result = _demo(tmp_path, "--output", str(output), "--no-cache")
    assert result.returncode == 0, result.stderr
    html = output.with_name("demo_report.html")
    assert f"HTML report written to {html}" in result.stdout
    page = html.read_text()
    scored = load_report(output)
    assert page.count('<tr class="passed') == len(scored.rows) >= 1 and 'id="gate">pass<' in page
    assert not (tmp_path / "demo_report.html").exists()


def test_demo_shows_progress_with_seconds(tmp_path: Path) -> None:
    result = _demo(tmp_path, "--output", str(tmp_path / "r.json"), "--html", "", "--no-cache")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert "  building toy-mean-color ..." in lines
    assert any(re.fullmatch(r"  built toy-mean-color in \d+\.\d s", line) for line in lines)
    assert any(re.fullmatch(r"    score \d\.\d{4}(, cache \w+)? \(\d+\.\d s\)", line) for line in lines)
    assert not (tmp_path / "demo_report.html").exists()  # --html '' writes none
