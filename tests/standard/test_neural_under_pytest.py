"""The neural standard benchmarks under pytest: listed offline, one clear failure without their data (never a skip),
and a score when a mirror serves their (synthetic) files."""

from __future__ import annotations

import pytest

IT = "MajajHong2015public.IT-pls"


@pytest.fixture
def offline(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester run with an empty data cache, no mirror, no Brain-Score cache and fast-failing downloads."""
    monkeypatch.setenv("BRAINSCORE_HOME", str(pytester.path / ".brainscore_cache"))
    monkeypatch.setenv("BRAINIO_HOME", str(pytester.path / "no-brainio"))
    monkeypatch.setenv("HOME", str(pytester.path / "home"))
    monkeypatch.delenv("BRAINSCORE_DATA_MIRROR", raising=False)
    monkeypatch.setenv("BRAINSCORE_FETCH_RETRIES", "0")
    monkeypatch.setenv("BRAINSCORE_FETCH_TIMEOUT", "5")
    return pytester


def test_listed_without_data(offline: pytest.Pytester) -> None:
    result = offline.runpytest_subprocess("--brainscore-list", "--brainscore-benchmark=*public*")
    assert result.ret == 0
    for identifier in (
        IT,
        "MajajHong2015public.V4-pls",
        "FreemanZiemba2013public.V1-pls",
        "FreemanZiemba2013public.V2-pls",
    ):
        assert any(line.strip().startswith(identifier) for line in result.outlines), identifier
    assert not (offline.path / ".brainscore_cache" / "data").exists()  # listing fetched nothing


def test_brainscore_list_benchmarks_fetches_nothing(offline: pytest.Pytester) -> None:
    import sys

    result = offline.run(sys.executable, "-m", "brainscore_core.cli", "list", "benchmarks")
    assert result.ret == 0
    for identifier in (IT, "FreemanZiemba2013public.V2-pls"):
        assert identifier in result.stdout.str()
    assert not (offline.path / ".brainscore_cache" / "data").exists()


def test_offline_the_benchmark_fails_in_one_test_with_the_way_out(offline: pytest.Pytester) -> None:
    # the real catalog entries, served from a port where nothing listens: offline even on a machine with network
    offline.makeconftest(
        """
from brainscore_core.fetching import RemoteFile, register_remote_data, remote_data_registry


def pytest_configure(config):
    remote_data_registry._prepare()
    for identifier in ("MajajHong2015.public", "hvm-public"):
        files = remote_data_registry.load(identifier).files
        del remote_data_registry[identifier]
        register_remote_data(
            identifier, [RemoteFile(f.name, f.sha1, f.size, f.url_path, bucket="http://127.0.0.1:9") for f in files]
        )
"""
    )
    result = offline.runpytest_subprocess("--brainscore-model=pixels", f"--brainscore-benchmark={IT}")
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) + outcomes.get("errors", 0) == 1 and "skipped" not in outcomes
    output = result.stdout.str()
    assert "DataUnavailableError" in output and "is not available" in output
    assert "brainscore fetch" in output and "BRAINSCORE_DATA_MIRROR" in output
    assert "http://127.0.0.1:9/brainio-brainscore/" in output  # the registered key and version id were asked for


def test_with_a_mirror_of_the_files_it_scores(
    offline: pytest.Pytester, synthetic_neural_files: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = next(iter(synthetic_neural_files.values())).path.parent
    catalog = {name: (str(file.path), file.sha1, file.size) for name, file in synthetic_neural_files.items()}
    offline.makeconftest(
        f"""
from pathlib import Path
from brainscore_core.synthetic_brainio import SyntheticFile, synthetic_catalog

FILES = {{name: SyntheticFile(name, Path(path), sha1, size) for name, (path, sha1, size) in {catalog!r}.items()}}


def pytest_configure(config):
    config._synthetic = synthetic_catalog(FILES)
    config._synthetic.__enter__()
"""
    )
    monkeypatch.setenv("BRAINSCORE_DATA_MIRROR", str(folder))
    result = offline.runpytest_subprocess("--brainscore-model=pixels", f"--brainscore-benchmark={IT}", "-rA")
    result.assert_outcomes(passed=1)
