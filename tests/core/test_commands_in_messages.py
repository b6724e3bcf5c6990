"""Every command a message tells the user to run exists: `brainscore ...` parses, `load_*(...)` is exported and
is the loader of the kind that failed (never `load_dataset` for a metric)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

import brainscore_core
from brainscore_core.cli import build_parser
from brainscore_core.cli.check_plugin import check_plugin
from brainscore_core.plugins import missing_plugin_directory_note
from brainscore_core.registry import REGISTRIES

COMMAND = re.compile(r"`(brainscore [^`]+)`")
LOADER = re.compile(r"b\.(load_\w+)\('([^']+)'\)")


def assert_commands_exist(message: str) -> int:
    """Parse each `brainscore ...` command quoted in ``message``; return how many there were."""
    commands = COMMAND.findall(message)
    for command in commands:
        build_parser().parse_args(shlex.split(command)[1:])  # argparse exits on an unknown command or choice
    return len(commands)


@pytest.mark.parametrize("name", list(REGISTRIES))
def test_the_unknown_identifier_error_names_only_real_commands(name: str, plugin_host) -> None:
    registry = REGISTRIES[name]
    message = str(registry._unknown("zzzz-qqqq-nothing-like-it"))
    assert assert_commands_exist(message) == 1, message
    assert f"`brainscore list {registry.cli_name}`" in message
    pattern = str(registry._unknown("zzzz-qqqq*"))
    assert assert_commands_exist(pattern) == 1, pattern


def test_the_missing_plugin_directory_note_names_a_real_option(plugin_host) -> None:
    note = missing_plugin_directory_note()
    assert "--plugins=DIR (brainscore)" in note
    assert build_parser().parse_args(["--plugins=somewhere", "list"]).plugins == ["somewhere"]


FAILING_PLUGIN = '''
"""A plugin whose every factory fails: one registration per registry."""
from brainscore_core import (
    benchmark_registry, ceiling_registry, data_registry, metric_registry, model_registry, stimulus_set_registry,
)


def _fail():
    raise RuntimeError("deliberately broken")


model_registry["failing-model"] = _fail
benchmark_registry["failing-benchmark"] = _fail
metric_registry["failing-metric"] = _fail
ceiling_registry["failing-ceiling"] = _fail
data_registry["failing-data"] = _fail
stimulus_set_registry["failing-stimuli"] = _fail
'''


def test_check_plugin_suggests_the_loader_of_the_kind_that_failed(tmp_path: Path, plugin_host) -> None:
    folder = tmp_path / "failing_everything"
    folder.mkdir()
    (folder / "__init__.py").write_text(FAILING_PLUGIN)
    (folder / "test.py").write_text("def test_nothing():\n    pass\n")
    report = check_plugin(folder)
    fixes = {check.name: check.fix for check in report.checks if check.name.startswith("build ")}
    expected = {
        "failing-model": "load_model",
        "failing-benchmark": "load_benchmark",
        "failing-metric": "load_metric",
        "failing-ceiling": "load_ceiling",
        "failing-data": "load_dataset",
        "failing-stimuli": "load_stimulus_set",
    }
    assert set(fixes) == {f"build {identifier}" for identifier in expected}
    for identifier, loader in expected.items():
        assert LOADER.findall(fixes[f"build {identifier}"]) == [(loader, identifier)]
        assert callable(getattr(brainscore_core, loader))
