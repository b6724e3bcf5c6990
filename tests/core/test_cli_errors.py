"""One-line errors of the `brainscore` command line (issue 10 §4, §6): bad layers and factories, bad run
options, a demo output that is a folder, and a reader that closes the pipe early."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from brainscore_core.cli import EXIT_BROKEN_PIPE, main
from brainscore_core.config import settings
from brainscore_core.registry import REGISTRIES, model_registry

BENCHMARK = "Kriegeskorte2008.hIT-rsa"


@pytest.fixture
def registered() -> Iterator[None]:
    """Remove whatever a test registers, so other tests see the registries unchanged."""
    before = {kind: set(registry) for kind, registry in REGISTRIES.items()}
    yield
    for kind, registry in REGISTRIES.items():
        for identifier in set(registry) - before[kind]:
            del registry[identifier]


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err
    return lines[0]


def _bad_layer_model():
    import torch

    from brainscore_core import ModelCommitment
    from brainscore_core.activations import Preprocessing, PytorchWrapper

    network = torch.nn.Sequential()
    network.add_module("conv", torch.nn.Conv2d(3, 2, kernel_size=3))
    network.add_module("out", torch.nn.Flatten())
    wrapper = PytorchWrapper("cli-badlayer", network, preprocessing=Preprocessing(image_size=8))
    return ModelCommitment("cli-badlayer", wrapper, layers=["conv", "out"], region_layer_map={"IT": "outt"})


def test_score_region_layer_map_with_missing_layer_is_one_line(registered, capsys):
    model_registry["cli-badlayer"] = _bad_layer_model
    assert main(["score", "--model", "cli-badlayer", "--benchmark", BENCHMARK, "--no-cache"]) == 2
    line = _one_error_line(capsys)
    assert "'cli-badlayer'" in line and "region 'IT'" in line and "layer 'outt'" in line
    assert "Did you mean: 'out'?" in line and "region_layer_map" in line


def _needs_argument(identifier):
    raise AssertionError("never called")


def test_score_factory_that_needs_an_argument_is_one_line(registered, capsys):
    model_registry["cli-needs-arg"] = _needs_argument
    assert main(["score", "--model", "cli-needs-arg", "--benchmark", BENCHMARK, "--no-cache"]) == 2
    line = _one_error_line(capsys)
    assert "model 'cli-needs-arg'" in line and "needs the argument(s) identifier" in line
    assert "test_cli_errors.py" in line and "lambda: build(...)" in line


def test_score_factory_that_returns_none_is_one_line(registered, capsys):
    model_registry["cli-returns-none"] = lambda: None
    assert main(["score", "--model", "cli-returns-none", "--benchmark", BENCHMARK, "--no-cache"]) == 2
    line = _one_error_line(capsys)
    assert "model 'cli-returns-none'" in line and "returned None" in line and "return" in line


@pytest.mark.parametrize(
    ("device", "expected"),
    [("tpu9", "--device 'tpu9' is not a torch device"), ("cuda:99", "--device 'cuda:99': ")],
)
def test_score_bad_device_is_one_line_before_any_work(capsys, device, expected):
    before = settings()
    assert main(["score", "--model", "no-such-model", "--benchmark", BENCHMARK, "--device", device]) == 2
    line = _one_error_line(capsys)
    assert expected in line and "Unknown model" not in line  # refused before the model is looked up
    assert settings() == before  # the option does not outlive the command


def test_bad_device_from_the_environment_names_the_variable(capsys, monkeypatch):
    monkeypatch.setenv("BRAINSCORE_DEVICE", "tpu9")
    assert main(["score", "--model", "x", "--benchmark", BENCHMARK]) == 2
    assert "BRAINSCORE_DEVICE 'tpu9' is not a torch device" in _one_error_line(capsys)


def test_cache_dir_that_is_a_file_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "s.json"
    blocker.write_text("{}")
    assert main(["score", "--model", "x", "--benchmark", BENCHMARK, "--cache-dir", str(blocker)]) == 2
    assert f"--cache-dir '{blocker}' is a file, not a folder" in _one_error_line(capsys)
    assert main(["score", "--model", "x", "--benchmark", BENCHMARK, "--cache-dir", str(blocker / "sub")]) == 2
    assert f"cannot be created: '{blocker}' is a file" in _one_error_line(capsys)
    assert blocker.read_text() == "{}"


def test_cache_dir_is_not_checked_when_caching_is_off(tmp_path, registered, capsys):
    blocker = tmp_path / "s.json"
    blocker.write_text("{}")
    model_registry["cli-returns-none"] = lambda: None
    args = ["score", "--model", "cli-returns-none", "--benchmark", BENCHMARK, "--no-cache", "--cache-dir", str(blocker)]
    assert main(args) == 2
    assert "returned None" in _one_error_line(capsys)  # got past the option checks


def test_cache_info_with_home_that_is_a_file(tmp_path, capsys, monkeypatch):
    blocker = tmp_path / "home"
    blocker.write_text("")
    monkeypatch.setenv("BRAINSCORE_HOME", str(blocker))
    assert main(["cache", "info"]) == 2
    assert f"BRAINSCORE_HOME '{blocker}' is a file, not a folder" in _one_error_line(capsys)


def test_demo_output_folder_is_refused_before_scoring(tmp_path, capsys, monkeypatch):
    import brainscore_core.scoring

    def never(*args, **kwargs):
        raise AssertionError("scored before checking --output")

    monkeypatch.setattr(brainscore_core.scoring, "score", never)
    folder = tmp_path / "results"
    folder.mkdir()
    assert main(["demo", "--models", "pixels", "--benchmarks", BENCHMARK, "--output", str(folder)]) == 2
    line = _one_error_line(capsys)
    assert f"--output '{folder}' is a folder" in line and "demo_results.json" in line
    assert capsys.readouterr().out == "" and list(folder.iterdir()) == []


@pytest.mark.parametrize("command", [["cache", "info"], ["list", "benchmarks"]])
def test_closed_pipe_ends_quietly(tmp_path, command):
    """`brainscore cache info | head`: the reader is gone before the command writes; no traceback, no noise."""
    process = subprocess.Popen(
        [sys.executable, "-m", "brainscore_core.cli", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "BRAINSCORE_HOME": str(tmp_path / "home")},
    )
    assert process.stdout is not None
    process.stdout.close()  # the only reader closes the pipe: every write now fails with EPIPE
    _, err = process.communicate(timeout=120)
    assert err.decode() == "" and process.returncode == EXIT_BROKEN_PIPE
