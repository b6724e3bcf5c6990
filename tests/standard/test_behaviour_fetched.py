"""Rajalingham2018public-i2n and a fetched Geirhos2021 data set, served from synthetic files in the real layout
through a mirror directory (``BRAINSCORE_DATA_MIRROR``); and the offline error when nothing can be had."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from behaviour_helpers import ShrunkLabelModel
from behaviour_synthetic import write_geirhos2021, write_rajalingham2018_public

from brainscore_core import load_benchmark, load_ceiling, load_dataset, load_metric, load_stimulus_set, score
from brainscore_core.errors import DataError, DataUnavailableError
from brainscore_core.fetching import (
    RemoteFile,
    cached_path,
    data_dir,
    register_remote_data,
    remote_data,
    remote_data_registry,
)

pytestmark = pytest.mark.usefixtures("isolated_cache")


def serve(monkeypatch: pytest.MonkeyPatch, mirror: Path, catalog: dict[str, list[str]], written) -> None:
    """Register each data set of ``catalog`` ({identifier: [file names]}) with the written files' SHA-1s (a test
    catalog) and point BRAINSCORE_DATA_MIRROR at ``mirror``; no remote server answers (a closed local port)."""
    for identifier, names in catalog.items():
        remote_data(identifier)  # discovers the plugins; the real entry must exist
        del remote_data_registry[identifier]
        files = [RemoteFile(name, written[name][1], bucket="http://127.0.0.1:9") for name in names]
        register_remote_data(identifier, files)
    monkeypatch.setenv("BRAINSCORE_DATA_MIRROR", str(mirror))
    monkeypatch.setenv("BRAINIO_HOME", str(mirror.parent / "no-brainio"))
    monkeypatch.setenv("BRAINSCORE_FETCH_RETRIES", "0")


@pytest.fixture
def registries() -> Iterator[None]:
    snapshot = remote_data_registry.snapshot()
    yield
    remote_data_registry.restore(snapshot)


RAJALINGHAM_CATALOG = {
    "Rajalingham2018.public": ["assy_dicarlo_Rajalingham2018_public.nc"],
    "objectome.public": ["stimulus_objectome_public.csv", "stimulus_objectome_public.zip"],
}


@pytest.fixture
def rajalingham(tmp_path, monkeypatch, registries) -> dict[str, tuple[Path, str]]:
    written = write_rajalingham2018_public(tmp_path / "mirror")
    serve(monkeypatch, tmp_path / "mirror", RAJALINGHAM_CATALOG, written)
    return written


def test_rajalingham_declarations_match_brainscore():
    instance = load_benchmark("Rajalingham2018public-i2n")  # registered and built without its data
    assert instance.identifier == "Rajalingham2018public-i2n"
    assert (instance.version, instance.parent, instance.visual_degrees, instance.number_of_trials) == (
        2,
        "behavior",
        8.0,
        2,
    )
    assert "Rajalingham240614" in instance.bibtex
    files = {f.name: f.sha1 for d in RAJALINGHAM_CATALOG for f in remote_data(d).files}
    assert files == {
        "assy_dicarlo_Rajalingham2018_public.nc": "34c6a8b6f7c523589c1861e4123232e5f7c7df4c",
        "stimulus_objectome_public.csv": "47884e17106a3be471d6481279cab33889b80850",
        "stimulus_objectome_public.zip": "064f2955f98e63867755fee2e3ead8cddf6bfab8",
    }


def test_rajalingham_scores_synthetic_files_served_by_a_mirror(rajalingham):
    model = ShrunkLabelModel()
    result = score(model_identifier=model, benchmark_identifier="Rajalingham2018public-i2n")
    # the files were verified and published into the data cache
    for identifier in RAJALINGHAM_CATALOG:
        for file in remote_data(identifier).files:
            assert cached_path(file).is_file() and cached_path(file).is_relative_to(data_dir())
    # the model was fitted on the 48 scored images (with their labels), then shown them with 2 trials, at 8 degrees
    assert model.shown == [("objectome.public", 8.0, 2)]
    trials = load_dataset("Rajalingham2018.public")
    assert {"sample_obj", "dist_obj", "choice", "image_id", "WorkerID", "truth", "image_label", "correct"} <= set(
        trials.coords
    )
    np.testing.assert_array_equal(trials["correct"].values, trials["choice"].values == trials["sample_obj"].values)
    # the same numbers from the metric and ceiling directly, ceiled per repetition and not clipped
    probabilities = model.look_at(load_stimulus_set("objectome.public"))
    raw = load_metric("i2n")(probabilities, trials)
    ceiling = load_ceiling("i2n_ceiling")(trials)
    assert result.raw == pytest.approx(float(raw), abs=1e-12)
    assert result.ceiling == pytest.approx(float(ceiling), abs=1e-12)
    expected = np.mean(raw.details["split"].values / np.sqrt(ceiling.details["split"].values))
    assert float(result) == pytest.approx(expected, abs=1e-12) and result.unclipped == pytest.approx(expected)
    assert 0.2 < float(ceiling) < 1  # the synthetic humans are consistent across halves
    assert result.benchmark_identifier == "Rajalingham2018public-i2n" and result.benchmark_version == 2


def test_rajalingham_ceiled_score_is_not_clipped(rajalingham, monkeypatch):
    """Brain-Score does not clip Rajalingham's ceiled score: a model worse than chance keeps its negative score."""
    instance = load_benchmark("Rajalingham2018public-i2n")
    metric = load_metric("i2n")

    def anti(source, target):
        score_ = metric(source, target)
        score_.details["split"] = -abs(score_.details["split"]) - 0.05
        score_.value = float(score_.details["split"].mean())
        return score_

    import example_plugins.benchmarks.rajalingham2018.benchmark as module

    monkeypatch.setattr(module, "load_metric", lambda identifier: anti)
    result = instance(ShrunkLabelModel())
    assert float(result) < 0 and result.attrs["clipped"] == 0.0


@pytest.fixture(params=[False, True], ids=["legacy-writer", "compressed-writer"])
def colour(request, tmp_path, monkeypatch, registries):
    written = write_geirhos2021(tmp_path / "mirror", "colour", conditions=("cr", "bw"), compressed=request.param)
    serve(monkeypatch, tmp_path / "mirror", {"Geirhos2021_colour": list(written)}, written)
    return written


def test_a_fetched_geirhos2021_data_set_scores_with_brainscores_exclusion(colour):
    model = ShrunkLabelModel()
    result = score(model, "Geirhos2021colour-error_consistency")
    trials = load_dataset("Geirhos2021_colour")
    assert set(trials["condition"].values) == {"cr", "bw"} and trials.sizes["presentation"] == 4 * 64
    assert "wordnet_a" in trials.coords  # the stimulus CSV's columns are joined
    instance = load_benchmark("Geirhos2021colour-error_consistency")
    kept = instance.human_trials
    assert set(kept["condition"].values) == {"bw"} and kept.sizes["presentation"] == 4 * 32  # 'cr' excluded
    assert len(instance.stimuli) == 32 and set(instance.stimuli["condition"]) == {"bw"}
    expected_ceiling = load_ceiling("error_consistency_ceiling")(kept)
    assert result.ceiling == pytest.approx(float(expected_ceiling), abs=1e-12)
    assert float(result) == pytest.approx(min(max(result.raw / result.ceiling, 0), 1), abs=1e-12)
    assert model.shown[0][1:] == (3.0, 1)
    top1 = score(ShrunkLabelModel(degrees=5.0), "Geirhos2021colour-top1")
    assert 0 <= float(top1) <= 1 and top1.ceiling == 1.0


def test_a_file_without_the_excluded_conditions_is_an_error_not_a_silent_no_op(tmp_path, monkeypatch, registries):
    written = write_geirhos2021(tmp_path / "mirror", "colour", conditions=("bw", "xx"))
    serve(monkeypatch, tmp_path / "mirror", {"Geirhos2021_colour": list(written)}, written)
    with pytest.raises(DataError, match=r"Geirhos2021_colour.*no trials in the conditions \['cr'\]"):
        load_benchmark("Geirhos2021colour-error_consistency").ceiling  # noqa: B018


def test_offline_the_benchmark_fails_with_the_data_unavailable_message(tmp_path, monkeypatch, registries):
    """Nothing cached, no mirror, no Brain-Score cache, no server: the error names the data set, its files and the
    three ways out."""
    entry = remote_data("Geirhos2021_colour")
    del remote_data_registry["Geirhos2021_colour"]
    closed_port = [RemoteFile(f.name, f.sha1, bucket="http://127.0.0.1:9") for f in entry.files]
    register_remote_data("Geirhos2021_colour", closed_port)
    monkeypatch.delenv("BRAINSCORE_DATA_MIRROR", raising=False)
    monkeypatch.setenv("BRAINIO_HOME", str(tmp_path / "no-brainio"))
    monkeypatch.setenv("BRAINSCORE_FETCH_RETRIES", "0")
    with pytest.raises(DataUnavailableError) as raised:
        score(model_identifier=ShrunkLabelModel(), benchmark_identifier="Geirhos2021colour-error_consistency")
    message = str(raised.value)
    assert "'Geirhos2021_colour' is not available" in message
    for name in ("assy_brendel_Geirhos2021_colour.nc", "stimulus_Geirhos2021_colour.csv"):
        assert name in message
    for way_out in ("brainscore fetch Geirhos2021_colour", "BRAINSCORE_DATA_MIRROR", "BRAINIO_HOME"):
        assert way_out in message


def test_under_pytest_an_unfetched_geirhos2021_benchmark_fails_with_the_message(pytester, monkeypatch):
    """``pytest --brainscore-model=pixels --brainscore-benchmark=Geirhos2021colour-error_consistency`` offline: one
    failed test whose message is the DataUnavailableError's (no skip). No request leaves the machine: HTTPS goes
    to a closed local proxy port."""
    monkeypatch.setenv("BRAINSCORE_HOME", str(pytester.path / ".brainscore_cache"))
    monkeypatch.setenv("BRAINIO_HOME", str(pytester.path / "no-brainio"))
    monkeypatch.delenv("BRAINSCORE_DATA_MIRROR", raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")
    monkeypatch.setenv("BRAINSCORE_FETCH_RETRIES", "0")
    result = pytester.runpytest_subprocess(
        "-p", "no:randomly", "--brainscore-model=pixels", "--brainscore-benchmark=Geirhos2021colour-error_consistency"
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            (
                "pixels on Geirhos2021colour-error_consistency: DataUnavailableError: Data set 'Geirhos2021_colour' "
                "is not available: "
                "3 file(s) missing: assy_brendel_Geirhos2021_colour.nc*Three ways out: (1) where there is network, run "
                "`brainscore fetch Geirhos2021_colour`*BRAINSCORE_DATA_MIRROR*BRAINIO_HOME*"
            ),
        ]
    )
    result.stdout.no_fnmatch_line("*SKIPPED*")
