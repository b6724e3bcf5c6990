"""check-plugin on Brain-Score plugin folders: it passes the untrained AlexNet folder and reports what a folder
uses (Brain-Score names, region maps or layer selection, weight files, requirements.txt/setup.py, never
installed)."""

from __future__ import annotations

import importlib.metadata
import shutil
from pathlib import Path

import pytest
from plugdir_helpers import write_plugin

from brainscore_core.cli.check_plugin import check_plugin

TOY = Path(__file__).parent / "toy_plugins"
MODELS = TOY / "checkout" / "brainscore_vision" / "models"


def _checks(report) -> dict[str, tuple[bool, str, str]]:
    return {check.name: (check.ok, check.message, check.fix) for check in report.checks}


def test_the_untrained_alexnet_folder_passes_and_the_report_says_what_it_uses(plugin_host, isolated_cache) -> None:
    report = check_plugin(MODELS / "alexnet_untrained_tiny")
    assert report.ok, report.render()
    checks = _checks(report)
    assert "imported as brainscore_vision.models.alexnet_untrained_tiny" in checks["Brain-Score plugin"][1]
    assert checks["Brain-Score names"][1].startswith("all 6 imported names are provided")
    assert "ModelCommitment" in checks["Brain-Score names"][1] and "PytorchWrapper" in checks["Brain-Score names"][1]
    assert checks["region map alexnet_untrained_tiny"][1] == "read from region_layer_map/alexnet_untrained_tiny.json"
    requirements = checks["requirements"][1]
    assert "requirements.txt and setup.py found" in requirements and "never installs them" in requirements
    assert checks["model alexnet_untrained_tiny"][0]


def test_missing_weights_are_listed_with_their_paths_and_fail_the_build(plugin_host, isolated_cache) -> None:
    report = check_plugin(MODELS / "needs_weights")
    checks = _checks(report)
    ok, message, fix = checks["weight files"]
    assert not ok and "resnet18-f37072fd.pth" in message and "(absent)" in message
    assert str(isolated_cache / "brainscore-vision" / "models" / "user_0" / "resnet18_toy_s3.pth") in message
    assert "nothing is downloaded automatically" in fix
    for identifier in ("needs_torchvision_weights", "needs_s3_weights", "needs_url_weights"):
        ok, message, fix = checks[f"build {identifier}"]
        assert not ok and "Put the weights file" in fix
    assert "layer selection will run" in checks["region map needs_s3_weights"][1]


def test_unprovided_names_and_uninstalled_requirements_are_reported(
    tmp_path, plugin_host, isolated_cache, monkeypatch
) -> None:
    folder = tmp_path / "models" / "temporal_thing"
    shutil.copytree(MODELS / "alexnet_untrained_tiny", folder)
    (folder / "region_layer_map" / "alexnet_untrained_tiny.json").unlink()
    (folder / "requirements.txt").write_text("torch\nnot-a-real-package-xyz>=1\n")
    (folder / "temporal.py").write_text(
        "def build():\n"
        "    from brainscore_vision.model_helpers.activations.temporal.model import PytorchWrapper\n"
        "    return PytorchWrapper\n"
    )
    report = check_plugin(folder)
    checks = _checks(report)
    ok, message, _ = checks["Brain-Score names"]
    assert (
        not ok and "brainscore_vision.model_helpers.activations.temporal.model.PytorchWrapper (temporal.py)" in message
    )
    ok, message, fix = checks["requirements"]
    assert not ok and "not installed: not-a-real-package-xyz" in message and "pip install" in fix
    assert "layer selection will run" in checks["region map alexnet_untrained_tiny"][1]
    with pytest.raises(importlib.metadata.PackageNotFoundError):  # reported, never installed
        importlib.metadata.version("not-a-real-package-xyz")


def test_a_test_py_loading_through_brainscore_vision_is_checked(tmp_path, plugin_host) -> None:
    folder = write_plugin(
        tmp_path / "models" / "tiny_native",
        "from brainscore_vision import model_registry\nmodel_registry['tiny_native'] = lambda: None\n",
        test_py="import brainscore_vision\n\ndef test_it():\n    brainscore_vision.load_model('tiny_nativ')\n",
    )
    report = check_plugin(folder, build=False)
    ok, message, _ = _checks(report)["test.py"]
    assert not ok and "models:tiny_nativ" in message


def test_an_inline_region_map_and_a_sibling_import(plugin_host) -> None:
    report = check_plugin(MODELS / "alexnet_sibling", build=False)
    assert report.ok, report.render()
    checks = _checks(report)
    assert checks["region map alexnet_sibling_7deg"][1] == "given in the source (region_layer_map=...)"
    assert checks["Brain-Score names"][1].startswith("all 3 imported names are provided")  # the sibling is a folder
