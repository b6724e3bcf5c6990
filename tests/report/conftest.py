"""Fixtures of the report tests: two real JSON reports of the example benchmarks (see data/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from brainscore_core.report import SessionReport, load_report

DATA = Path(__file__).parent / "data"
SESSION = DATA / "session_report.json"
FIRST = DATA / "first_report.json"


@pytest.fixture
def session() -> SessionReport:
    return load_report(SESSION)


@pytest.fixture
def first() -> SessionReport:
    return load_report(FIRST)
