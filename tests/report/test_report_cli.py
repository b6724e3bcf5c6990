"""``brainscore report RESULTS.json -o PATH [--compare OLD.json]``: writes the view, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brainscore_core.cli import main

DATA = Path(__file__).parent / "data"
SESSION, FIRST = DATA / "session_report.json", DATA / "first_report.json"


def test_writes_the_html_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "site" / "report.html"
    assert main(["report", str(SESSION), "-o", str(output)]) == 0
    page = output.read_text()
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 3
    assert capsys.readouterr().out == f"HTML report written: {output} (6 pairs, gate: FAIL: 1 regression)\n"
    assert output.stat().st_mode & 0o044  # readable by others, as a plain open() would make it (umask allowing)


def test_compare_uses_the_older_report(tmp_path: Path) -> None:
    output = tmp_path / "report.html"
    assert main(["report", str(SESSION), "-o", str(output), "--compare", str(FIRST)]) == 0
    assert f"{FIRST} (baseline and delta columns; not a gate)" in output.read_text()


def test_a_markdown_file_name_writes_markdown(tmp_path: Path) -> None:
    output = tmp_path / "summary.md"
    assert main(["report", str(SESSION), "-o", str(output)]) == 0
    assert output.read_text().startswith("## Brain-Score: FAIL: 1 regression")
    other = tmp_path / "summary.txt"
    assert main(["report", str(SESSION), "-o", str(other), "--format", "markdown"]) == 0
    assert other.read_text() == output.read_text()


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda d: d / "missing.json", "missing.json: no such file. Give the JSON written by pytest"),
        (lambda d: _write(d / "b.json", {"scores": []}), "b.json is not a pytest-brainscore JSON report"),
    ],
)
def test_a_bad_results_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], make, expected) -> None:
    assert main(["report", str(make(tmp_path)), "-o", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and expected in err and err.count("\n") == 1
    assert not (tmp_path / "r.html").exists()


def test_an_output_folder_is_refused_before_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(SESSION), "-o", str(tmp_path)]) == 2
    assert f"error: -o {str(tmp_path)!r} is a folder" in capsys.readouterr().err


def test_a_bad_compare_file_names_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(SESSION), "-o", str(tmp_path / "r.html"), "--compare", str(tmp_path / "old.json")]) == 2
    assert "old.json: no such file" in capsys.readouterr().err


def test_an_unwritable_output_names_the_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["report", str(SESSION), "-o", str(blocker / "sub" / "r.html")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: -o ") and str(blocker) in err and err.count("\n") == 1


def _write(path: Path, payload: object) -> Path:
    path.write_text(json.dumps(payload))
    return path
