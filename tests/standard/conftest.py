"""Fixtures for Brain-Score's standard benchmarks: synthetic data in the real BrainIO layout, served from a mirror."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def synthetic_neural_files(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Tiny MajajHong2015 and FreemanZiemba2013 public files (real names and layout) in one mirror folder."""
    from brainscore_core.synthetic_brainio import write_freemanziemba2013_public, write_majajhong2015_public

    folder = tmp_path_factory.mktemp("mirror")
    return {**write_majajhong2015_public(folder), **write_freemanziemba2013_public(folder)}


@pytest.fixture
def neural_mirror(
    synthetic_neural_files: dict, isolated_cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Path]:
    """The synthetic files registered in place of the real catalog entries and served by BRAINSCORE_DATA_MIRROR
    (no ~/.brainio, no network); yields the mirror folder."""
    from brainscore_core.synthetic_brainio import synthetic_catalog

    folder = next(iter(synthetic_neural_files.values())).path.parent
    monkeypatch.setenv("BRAINSCORE_DATA_MIRROR", str(folder))
    monkeypatch.setenv("BRAINIO_HOME", str(tmp_path / "no-brainio"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    with synthetic_catalog(synthetic_neural_files):
        yield folder
