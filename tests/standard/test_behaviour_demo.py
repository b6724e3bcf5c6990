"""``brainscore demo`` offline: a benchmark whose data cannot be fetched is listed as unavailable, tried once."""

from __future__ import annotations

import io
import json

import pytest
from behaviour_helpers import ShrunkLabelModel

from brainscore_core.cli.demo import run_demo
from brainscore_core.fetching import RemoteFile, register_remote_data, remote_data, remote_data_registry
from brainscore_core.registry import model_registry

pytestmark = pytest.mark.usefixtures("isolated_cache")


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """Geirhos2021_colour's files on a closed local port; two toy models registered."""
    entry = remote_data("Geirhos2021_colour")  # discovers the data plugins before the snapshot is taken
    remote, models = remote_data_registry.snapshot(), model_registry.snapshot()
    del remote_data_registry["Geirhos2021_colour"]
    register_remote_data(
        "Geirhos2021_colour", [RemoteFile(f.name, f.sha1, bucket="http://127.0.0.1:9") for f in entry.files]
    )
    model_registry["shrunk-a"] = lambda: ShrunkLabelModel(seed=0)
    model_registry["shrunk-b"] = lambda: ShrunkLabelModel(seed=1)
    monkeypatch.delenv("BRAINSCORE_DATA_MIRROR", raising=False)
    monkeypatch.setenv("BRAINIO_HOME", str(tmp_path / "no-brainio"))
    monkeypatch.setenv("BRAINSCORE_FETCH_RETRIES", "0")
    yield
    remote_data_registry.restore(remote)
    model_registry.restore(models)


def test_unavailable_data_are_a_row_not_a_demo_failure_and_are_tried_once(offline, tmp_path, monkeypatch):
    import brainscore_core.fetching as fetching

    attempts = []
    fetch = fetching.fetch  # the data plugin imports it from the package when it loads
    monkeypatch.setattr(fetching, "fetch", lambda identifier: attempts.append(identifier) or fetch(identifier))

    output, stream = tmp_path / "demo.json", io.StringIO()
    code = run_demo(
        models=["shrunk-a", "shrunk-b"],
        benchmarks=["Geirhos2021colour-error_consistency", "Geirhos2021colour-top1", "Geirhos2021edge-top1"],
        output=output,
        stream=stream,
    )
    assert code == 0
    rows = {(r["model"], r["benchmark"]): r for r in json.loads(output.read_text())["results"]}
    for model in ("shrunk-a", "shrunk-b"):
        assert rows[(model, "Geirhos2021edge-top1")]["status"] == "ok"  # the offline one scores
        for benchmark in ("Geirhos2021colour-error_consistency", "Geirhos2021colour-top1"):
            status = rows[(model, benchmark)]["status"]
            assert status.startswith("data unavailable: Geirhos2021_colour is not cached")
            assert "brainscore fetch Geirhos2021colour-error_consistency" in status
    assert attempts == ["Geirhos2021_colour"]  # neither the second benchmark on the same data nor model tried again
    assert "data unavailable" in stream.getvalue()


def test_the_default_selection_leaves_out_benchmarks_whose_data_are_not_here(offline, tmp_path, monkeypatch):
    """Without --benchmarks the demo runs what this machine holds; it says how to get the rest and tries nothing."""
    import brainscore_core.fetching as fetching
    from brainscore_core.cli.demo import _split_by_local_data

    attempts = []
    monkeypatch.setattr(fetching, "fetch", lambda identifier: attempts.append(identifier))
    local, remote = _split_by_local_data(
        ["Geirhos2021colour-error_consistency", "Geirhos2021edge-top1", "Kriegeskorte2008.hIT-rsa"]
    )
    assert local == ["Geirhos2021edge-top1", "Kriegeskorte2008.hIT-rsa"]  # shipped data
    assert remote == ["Geirhos2021colour-error_consistency"]
    monkeypatch.setenv("BRAINSCORE_DATA_MIRROR", str(tmp_path))  # a mirror may hold anything: nothing left out
    assert _split_by_local_data(["Geirhos2021colour-error_consistency"]) == (
        ["Geirhos2021colour-error_consistency"],
        [],
    )
    monkeypatch.delenv("BRAINSCORE_DATA_MIRROR")

    import brainscore_core.cli.demo as demo

    everything = ["Geirhos2021colour-error_consistency", "Geirhos2021edge-top1"]  # stands in for "all" (fast)
    select = demo.select_identifiers
    monkeypatch.setattr(
        demo,
        "select_identifiers",
        lambda registry, patterns: (
            everything if registry.kind == "benchmark" and patterns is None else select(registry, patterns)
        ),
    )
    stream, output = io.StringIO(), tmp_path / "demo.json"
    assert run_demo(models=["shrunk-a"], benchmarks=None, output=output, stream=stream) == 0
    text = stream.getvalue()
    assert (
        "Left out 1 benchmark(s) whose data are not on this machine (e.g. Geirhos2021colour-error_consistency)" in text
    )
    assert "brainscore fetch Geirhos2021colour-error_consistency" in text
    assert [r["benchmark"] for r in json.loads(output.read_text())["results"]] == ["Geirhos2021edge-top1"]
    assert attempts == []  # no download was tried
