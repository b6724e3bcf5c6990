"""The plugin's shape: feature plugin objects only on the controller, typed records across xdist, a failed score
re-raised with its own traceback, the listing through the terminal writer, one atomic file writer, light imports."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any, ClassVar, get_args

import pytest

from pytest_brainscore import baselines, controller, listing, reporting
from pytest_brainscore.files import write_text_atomically
from pytest_brainscore.options import BrainscoreOptions
from pytest_brainscore.records import BASELINE_STATUSES, STATUS_ORDER, Comparison, RecordStatus, ScoreRecord
from pytest_brainscore.session import BrainscoreSession

FEATURE_PLUGINS = (controller.NAME, baselines.PLUGIN_NAME, reporting.PLUGIN_NAME)


def _configured(pytester: pytest.Pytester, *args: str, worker: bool) -> pytest.Config:
    """A configured pytest.Config for ``args``, as an xdist worker (``workerinput`` set) or as the controller."""
    config = pytester.parseconfig(*args)
    if worker:
        config.workerinput = {"workerid": "gw0"}  # type: ignore[attr-defined]
    config._do_configure()
    return config


def _summary_plugins(config: pytest.Config) -> list[object]:
    """This plugin's objects that write to the terminal summary or at the end of the session."""
    return [
        plugin
        for plugin in config.pluginmanager.get_plugins()
        if type(plugin).__module__.startswith("pytest_brainscore")
        and (hasattr(plugin, "pytest_terminal_summary") or hasattr(plugin, "pytest_sessionfinish"))
    ]


@pytest.mark.parametrize("worker", [False, True], ids=["controller", "worker"])
def test_only_the_controller_registers_the_summary_baseline_and_report_plugins(
    pytester: pytest.Pytester, worker: bool
) -> None:
    baseline, report = pytester.path / "baseline.json", pytester.path / "report.json"
    config = _configured(
        pytester,
        f"--brainscore-baseline={baseline}",
        "--brainscore-update-baseline",
        f"--brainscore-report={report}",
        worker=worker,
    )
    try:
        registered = [name for name in FEATURE_PLUGINS if config.pluginmanager.get_plugin(name) is not None]
        assert registered == ([] if worker else list(FEATURE_PLUGINS))
        assert len(_summary_plugins(config)) == (0 if worker else 3)
    finally:
        config._ensure_unconfigure()
    # config.add_cleanup unregisters them
    assert [name for name in FEATURE_PLUGINS if config.pluginmanager.get_plugin(name) is not None] == []


def test_without_baseline_or_report_the_controller_registers_the_summary_only(pytester: pytest.Pytester) -> None:
    config = _configured(pytester, worker=False)
    try:
        assert [name for name in FEATURE_PLUGINS if config.pluginmanager.get_plugin(name)] == [controller.NAME]
    finally:
        config._ensure_unconfigure()


def _record() -> ScoreRecord:
    comparison = Comparison("regression", 0.9, 0.01, 1, delta=-0.2, allowed=0.02, combined_error=0.01, tolerance=0.01)
    return ScoreRecord("t::a", "m", "b", 1, score=0.7, raw=0.56, ceiling=0.8, error=0.01, baseline=comparison)


def test_records_are_typed_in_the_process_and_dicts_only_across_xdist(pytester: pytest.Pytester) -> None:
    config = _configured(pytester, worker=False)
    try:
        report = pytest.TestReport("t::a", ("t.py", 1, "a"), {}, "failed", None, "call")
        controller.attach_records(report, [_record()])
        (typed,) = report.brainscore_records  # type: ignore[attr-defined]
        assert isinstance(typed, ScoreRecord) and isinstance(typed.baseline, Comparison)
        data = config.hook.pytest_report_to_serializable(config=config, report=report)
        sent = json.loads(json.dumps(data))  # what a worker can send: plain JSON
        assert sent[controller.REPORT_ATTRIBUTE][0]["baseline"]["status"] == "regression"
        received = config.hook.pytest_report_from_serializable(config=config, data=sent)
        (record,) = received.brainscore_records
        assert record == typed and record.outcome == "failed" and record.status == "regression"
        book = controller.RecordBook()
        book.add(received)
        assert book.records == [typed]
    finally:
        config._ensure_unconfigure()


class _FailingCore:
    """Stands in for brainscore_core: every score fails."""

    def load_model(self, identifier: str) -> str:
        return identifier

    def load_benchmark(self, identifier: str) -> str:
        return identifier

    def score(self, model: str, benchmark: str) -> None:
        self._deep(3)

    def _deep(self, depth: int) -> None:
        if depth:
            self._deep(depth - 1)
        raise RuntimeError("the metric failed")


def test_a_failed_score_is_reraised_with_the_same_traceback_to_every_test_of_the_pair() -> None:
    session = BrainscoreSession(BrainscoreOptions())
    session._core = _FailingCore()
    lengths, errors = [], []
    for _ in range(3):  # the 1st, 2nd and 3rd test of the pair
        with pytest.raises(RuntimeError, match="the metric failed") as excinfo:
            session.score("m", "b")
        lengths.append(len(traceback.extract_tb(excinfo.value.__traceback__)))
        errors.append(excinfo.value)
    assert lengths[0] == lengths[2] == lengths[1]
    assert errors[0] is errors[2]  # the same error, computed once
    assert traceback.extract_tb(errors[2].__traceback__)[-1].name == "_deep"  # still ends where it was raised


class _FakeRegistry:
    def __init__(self, descriptions: dict[str, str]) -> None:
        self.descriptions = descriptions

    def describe(self) -> dict[str, str]:
        return self.descriptions


class _FakeSession:
    closed: ClassVar[list[bool]] = []

    def __init__(self, options: BrainscoreOptions) -> None:
        self.options = options

    def registry(self, kind: str) -> _FakeRegistry:
        return _FakeRegistry({"m1": "a model"} if kind == "model" else {"b1": "a benchmark", "b2": ""})

    def close(self) -> None:
        self.closed.append(True)


def test_the_listing_goes_through_the_terminal_writer_of_this_run(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "BrainscoreSession", _FakeSession)
    monkeypatch.setattr(_FakeSession, "closed", [])
    result = pytester.runpytest_inprocess("--brainscore-list")  # captured: output bound at import would be lost
    assert result.ret == 0
    assert result.outlines == ["Models (1):", "  m1  a model", "", "Benchmarks (2):", "  b1  a benchmark", "  b2", ""]
    assert _FakeSession.closed == [True]  # closed by config.add_cleanup


def test_help_wins_over_the_listing(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "BrainscoreSession", _FakeSession)
    result = pytester.runpytest_inprocess("--help", "--brainscore-list")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*--brainscore-list*List the registered models and benchmarks*"])
    assert "Models (1):" not in result.stdout.str()


def test_status_types_keep_their_values() -> None:
    assert set(STATUS_ORDER) == set(get_args(RecordStatus)) == {"regression", "failed", "passed", "skipped"}
    assert BASELINE_STATUSES == ("unchanged", "regression", "improvement", "new", "incomparable")
    assert sorted(STATUS_ORDER, key=STATUS_ORDER.__getitem__) == ["regression", "failed", "passed", "skipped"]


@pytest.mark.parametrize("existing_mode", [None, 0o640])
def test_files_are_written_with_brainscore_cores_atomic_writer_keeping_the_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing_mode: int | None
) -> None:
    from brainscore_core.cache import _atomic as atomic

    calls: list[Path] = []
    original = atomic.atomic_write_bytes

    def spy(path: Path, data: bytes) -> None:
        calls.append(path)
        original(path, data)

    monkeypatch.setattr(atomic, "atomic_write_bytes", spy)
    path = tmp_path / "sub" / "file.json"
    if existing_mode is not None:
        path.parent.mkdir()
        path.write_text("old")
        path.chmod(existing_mode)
    write_text_atomically(path, "new\n")
    umask = os.umask(0)
    os.umask(umask)
    assert calls == [path] and path.read_text() == "new\n"
    assert stat.S_IMODE(path.stat().st_mode) == (0o666 & ~umask if existing_mode is None else existing_mode)
    assert [p.name for p in path.parent.iterdir()] == ["file.json"]  # no temporary file left


def test_a_baseline_entry_with_a_null_score_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"scores": [{"model": "m", "benchmark": "b", "score": None}]}))
    with pytest.raises(baselines.BaselineError, match=r"scores\[0\] is malformed .*'score' must be a number, got None"):
        baselines.Baseline.load(path)


def test_importing_the_plugin_imports_neither_torch_nor_brainscore_core() -> None:
    code = (
        "import sys, pytest_brainscore.plugin; "
        "print(sorted(m for m in ('torch', 'brainscore_core', 'xarray', 'numpy') if m in sys.modules))"
    )
    env: dict[str, Any] = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert output.stdout.strip() == "[]"
