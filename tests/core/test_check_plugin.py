"""`brainscore check-plugin` builds every registered object and loads every benchmark's data and stimuli
(issue 10 §4): toy plugin folders in tmp_path, checked in-process."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from brainscore_core.cli.check_plugin import PluginReport, check_plugin
from brainscore_core.registry import REGISTRIES

BENCHMARK = '''
"""A toy benchmark plugin."""
from brainscore_core import benchmark_registry

benchmark_registry["{identifier}"] = lambda: __import__(__name__ + ".benchmark", fromlist=["x"]).Toy()
'''
BENCHMARK_MODULE = """
from pathlib import Path

import numpy as np

from brainscore_core import Benchmark, stimulus_set

HERE = Path(__file__).parent


class Toy(Benchmark):
    identifier = "{identifier}"
    version = 1
    parent = "neural.IT"
    visual_degrees = 8.0

    def __init__(self):
        self._stimuli = lambda: stimulus_set(
            "{identifier}", {{"stimulus_id": ["s0", "s1"]}}, image_paths=[{images} / "s0.png", {images} / "s1.png"]
        )
        self._responses = lambda: np.load({data})

    @property
    def responses(self):
        return self._loaded("_responses")

    def __call__(self, candidate):
        raise NotImplementedError
"""
DATA = '''
"""A toy data plugin."""
from pathlib import Path

import numpy as np

from brainscore_core import data_registry, stimulus_set, stimulus_set_registry

HERE = Path(__file__).parent

data_registry["{identifier}"] = lambda: np.load({data})
stimulus_set_registry["{identifier}"] = lambda: stimulus_set(
    "{identifier}", {{"stimulus_id": ["s0"]}}, image_paths=[{images} / "s0.png"], verify=False
)
'''


@pytest.fixture(autouse=True)
def _forget_toy_plugins() -> Iterator[None]:
    """Unregister what the toy plugins register and drop their modules, so other tests see no trace."""
    before = {kind: set(registry) for kind, registry in REGISTRIES.items()}
    modules = set(sys.modules)
    cwd = Path.cwd()
    yield
    for kind, registry in REGISTRIES.items():
        for identifier in set(registry) - before[kind]:
            del registry[identifier]
    for name in set(sys.modules) - modules:
        if name.startswith("brainscore_plugins."):
            del sys.modules[name]
    assert Path.cwd() == cwd  # check_plugin restores the working directory


def _files(folder: Path) -> None:
    (folder / "stimuli").mkdir()
    for index in range(2):
        Image.fromarray(np.full((4, 4, 3), 40 * index, dtype=np.uint8)).save(folder / "stimuli" / f"s{index}.png")
    np.save(folder / "responses.npy", np.arange(6.0).reshape(2, 3))
    (folder / "test.py").write_text("def test_nothing():\n    assert True\n")


def _benchmark_plugin(root: Path, name: str, *, images: str = 'HERE / "stimuli"', data: str) -> Path:
    folder = root / "benchmarks" / name
    folder.mkdir(parents=True)
    identifier = f"Toy.{name}"
    (folder / "__init__.py").write_text(BENCHMARK.format(identifier=identifier))
    (folder / "benchmark.py").write_text(BENCHMARK_MODULE.format(identifier=identifier, images=images, data=data))
    _files(folder)
    return folder


def _data_plugin(root: Path, name: str, *, images: str = 'HERE / "stimuli"', data: str) -> Path:
    folder = root / "data" / name
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text(DATA.format(identifier=f"Toy.{name}", images=images, data=data))
    _files(folder)
    return folder


def _only_failure(report: PluginReport) -> tuple[str, str, str]:
    failed = [check for check in report.checks if not check.ok]
    assert len(failed) == 1, report.render()
    return failed[0].name, failed[0].message, failed[0].fix


def test_good_benchmark_plugin_loads_its_data_and_stimuli(tmp_path):
    report = check_plugin(_benchmark_plugin(tmp_path, "good_bench", data='HERE / "responses.npy"'))
    assert report.ok, report.render()
    data = next(check for check in report.checks if check.name == "benchmark Toy.good_bench data")
    assert data.message == "loads stimuli (2 stimuli), responses (ndarray of shape (2, 3))"


def test_data_path_relative_to_the_current_directory_fails(tmp_path, monkeypatch):
    folder = _benchmark_plugin(tmp_path, "cwd_bench", data='"responses.npy"')
    monkeypatch.chdir(folder)  # where the author works: np.load("responses.npy") happens to work here
    name, message, fix = _only_failure(check_plugin(folder))
    assert name == "benchmark Toy.cwd_bench data"
    assert message.startswith("loading responses raised FileNotFoundError") and "responses.npy" in message
    assert fix == (
        "'responses.npy' is resolved against the current directory, not the plugin folder; paths must be relative "
        "to the plugin folder: use Path(__file__).parent / ... (here Path(__file__).parent / 'responses.npy')."
    )


def test_wrong_image_folder_fails_with_the_right_folder_level(tmp_path):
    folder = _benchmark_plugin(tmp_path, "images_bench", images='HERE / "images"', data='HERE / "responses.npy"')
    name, message, fix = _only_failure(check_plugin(folder))
    assert name == "benchmark Toy.images_bench data"
    assert message.startswith("loading stimuli raised brainscore_core.errors.StimulusError: Image file")
    assert f"'s0.png' is not at {folder / 'images' / 's0.png'} but at {folder / 'stimuli' / 's0.png'}" in fix
    assert "Path(__file__).parent / 'stimuli'" in fix


def test_image_folder_one_level_too_high_names_the_plugin_level(tmp_path):
    folder = _benchmark_plugin(tmp_path, "level_bench", images='HERE.parent / "stimuli"', data='HERE / "responses.npy"')
    _, _, fix = _only_failure(check_plugin(folder))
    assert f"but at {folder / 'stimuli' / 's0.png'}" in fix and "Path(__file__).parent / 'stimuli'" in fix


def test_misspelled_data_file_fails_with_close_matches(tmp_path):
    folder = _benchmark_plugin(tmp_path, "typo_bench", data='HERE / "respones.npy"')
    name, message, fix = _only_failure(check_plugin(folder))
    assert name == "benchmark Toy.typo_bench data" and "FileNotFoundError" in message
    assert fix == f"'respones.npy' is not in {folder}; did you mean 'responses.npy'?"


def test_data_plugin_loads_data_and_checks_every_image(tmp_path):
    good = check_plugin(_data_plugin(tmp_path, "good_data", data='HERE / "responses.npy"'))
    assert good.ok, good.render()
    assert "[PASS] stimulus_sets Toy.good_data: loads (1 stimuli)" in good.render()
    assert "[PASS] data Toy.good_data: loads (ndarray of shape (2, 3))" in good.render()
    bad = check_plugin(_data_plugin(tmp_path, "bad_data", images='HERE / "imgs"', data='HERE / "responses.npy"'))
    name, message, fix = _only_failure(bad)
    assert name == "build Toy.bad_data" and "StimulusError" in message and "does not exist" in message
    assert "Path(__file__).parent / 'stimuli'" in fix


def test_data_plugin_with_a_path_relative_to_the_current_directory(tmp_path, monkeypatch):
    folder = _data_plugin(tmp_path, "cwd_data", data='"responses.npy"')
    monkeypatch.chdir(folder)
    name, message, fix = _only_failure(check_plugin(folder))
    assert name == "build Toy.cwd_data" and "FileNotFoundError" in message
    assert "is resolved against the current directory, not the plugin folder" in fix


MODEL = '''
"""A toy model plugin."""
import torch

from brainscore_core import ModelCommitment, model_registry
from brainscore_core.activations import Preprocessing, PytorchWrapper


def build(identifier="{identifier}"):
    network = torch.nn.Sequential()
    network.add_module("conv", torch.nn.Conv2d(3, 2, kernel_size=3))
    network.add_module("out", torch.nn.Flatten())
    wrapper = PytorchWrapper(identifier, network, preprocessing=Preprocessing(image_size=8))
    return ModelCommitment(identifier, wrapper, layers=["conv", "out"], region_layer_map={{"IT": "{layer}"}})


model_registry["{identifier}"] = {factory}
'''


def _model_plugin(root: Path, name: str, *, layer: str = "out", factory: str = "build") -> Path:
    folder = root / "models" / name
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text(MODEL.format(identifier=f"toy-{name}", layer=layer, factory=factory))
    (folder / "test.py").write_text("def test_nothing():\n    assert True\n")
    return folder


def test_region_layer_map_naming_a_missing_layer_fails(tmp_path):
    assert check_plugin(_model_plugin(tmp_path, "good_layers")).ok
    name, message, fix = _only_failure(check_plugin(_model_plugin(tmp_path, "bad_layers", layer="outt")))
    assert name == "build toy-bad_layers"
    assert "UnknownLayerError" in message and "region 'IT'" in message and "'outt'" in message
    assert "Did you mean: 'out'" in message and "region_layer_map" in fix


@pytest.mark.parametrize(
    ("factory", "expected"),
    [("lambda identifier: build(identifier)", "needs the argument(s) identifier"), ("lambda: None", "returned None")],
)
def test_factory_that_needs_an_argument_or_returns_none_fails(tmp_path, factory, expected):
    name, message, fix = _only_failure(check_plugin(_model_plugin(tmp_path, "bad_factory", factory=factory)))
    assert name == "build toy-bad_factory" and message.startswith("its factory ") and expected in message
    assert fix.startswith("Register a zero-argument callable that returns the object")


def test_builds_run_from_an_empty_directory_and_restore_it(tmp_path, monkeypatch):
    folder = _benchmark_plugin(tmp_path, "where_bench", data='HERE / "responses.npy"')
    (folder / "benchmark.py").write_text(
        (folder / "benchmark.py")
        .read_text()
        .replace(
            'self._responses = lambda: np.load(HERE / "responses.npy")',
            "self._responses = lambda: np.array(sorted(__import__('os').listdir('.')))",
        )
    )
    monkeypatch.chdir(folder)
    report = check_plugin(folder)
    assert report.ok, report.render()
    assert "responses (ndarray of shape (0,))" in report.render()  # the empty directory, not the plugin's
    assert Path.cwd() == folder and "responses.npy" in os.listdir(folder)


def test_check_plugin_cli_prints_fail_line_with_fix(tmp_path, capsys):
    from brainscore_core.cli import main

    folder = _benchmark_plugin(tmp_path, "cli_bench", data='HERE / "respones.npy"')
    assert main(["check-plugin", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "  [FAIL] benchmark Toy.cli_bench data: loading responses raised FileNotFoundError" in out
    assert f"         fix: 'respones.npy' is not in {folder}; did you mean 'responses.npy'?" in out


def test_test_py_loads_count_only_brainscore_core_loaders(tmp_path):
    folder = _model_plugin(tmp_path, "loads_model")
    (folder / "test.py").write_text(
        "import brainscore_core as b\nfrom . import loaders\n\n"
        "def test_it():\n    loaders.load_stimulus_set('local-name')\n    b.load_model('nobody-registers-this')\n"
    )
    name, message, _ = _only_failure(check_plugin(folder, build=False))
    assert name == "test.py" and message.endswith("loads identifiers nobody registers: models:nobody-registers-this")


def test_data_error_that_is_not_about_a_file_gets_a_debugging_hint(tmp_path):
    folder = _benchmark_plugin(tmp_path, "raise_bench", data='HERE / "responses.npy"')
    module = folder / "benchmark.py"
    module.write_text(module.read_text().replace('np.load(HERE / "responses.npy")', "1 / 0"))
    name, message, fix = _only_failure(check_plugin(folder))
    assert name == "benchmark Toy.raise_bench data"
    assert message == "loading responses raised ZeroDivisionError: division by zero"
    assert fix.startswith("Load it yourself from another folder") and "load_benchmark('Toy.raise_bench')" in fix


def test_remote_data_not_cached_here_is_reported_not_failed(tmp_path):
    """A standard benchmark whose data live in Brain-Score's bucket and are not cached: check-plugin says so and
    how to load them, instead of failing the plugin with a path hint that does not apply."""
    from brainscore_core.cli.check_plugin import PluginReport, _check_benchmark_data
    from brainscore_core.errors import DataUnavailableError

    class RemoteBenchmark:
        @property
        def stimuli(self):
            raise DataUnavailableError(
                "hvm-public",
                [("stimulus_hvm-public.csv", None)],
                ["no network"],
                data_dir=str(tmp_path),
                brainio_dirs=[],
            )

    report = PluginReport(tmp_path)
    _check_benchmark_data(report, "MajajHong2015public.IT-pls", RemoteBenchmark(), tmp_path, tmp_path)
    (check,) = report.checks
    assert check.ok, check
    assert "Data set 'hvm-public' is not available" in check.message
    assert "brainscore fetch MajajHong2015public.IT-pls" in check.message and "BRAINSCORE_DATA_MIRROR" in check.message
