"""Brain-Score plugin folders found where Brain-Score keeps them: a checkout (its models/ only), its package folder,
its models/ folder, or a bare models/<name>/ tree; imported as brainscore_vision.models.<folder>, so relative and
sibling imports work; region_layer_map/<id>.json is read; a loop registration registers every identifier."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from plugdir_helpers import write_plugin

import brainscore_core as b
from brainscore_core.plugins import failed_plugins, plugin_notices
from brainscore_core.plugins._layouts import is_compat_package

TOY = Path(__file__).parent / "toy_plugins"
CHECKOUT = TOY / "checkout"
MODELS = CHECKOUT / "brainscore_vision" / "models"
TINY = MODELS / "alexnet_untrained_tiny"
CHECKOUT_IDS = {"alexnet_untrained_tiny", "alexnet_sibling_7deg", "needs_torchvision_weights", "needs_s3_weights"}


@pytest.mark.parametrize(
    "given", [CHECKOUT, CHECKOUT / "brainscore_vision", MODELS], ids=["checkout", "package", "models"]
)
def test_a_checkout_its_package_or_its_models_folder_gives_its_model_plugins_only(given, plugin_host) -> None:
    b.plugins.add_plugin_directories(given)
    assert CHECKOUT_IDS <= set(b.model_registry)
    assert failed_plugins() == []  # Brain-Score's own brainscore_vision/__init__.py and benchmarks never imported
    package = sys.modules["brainscore_vision.models.alexnet_untrained_tiny"]
    assert Path(package.__file__).parent == TINY
    assert is_compat_package(sys.modules["brainscore_vision"])
    if given != MODELS:
        assert any("Brain-Score layout" in n and "benchmarks" in n for n in plugin_notices())


def test_relative_and_sibling_imports_and_the_region_layer_map_json(plugin_host, isolated_cache) -> None:
    b.plugins.add_plugin_directories(CHECKOUT)
    tiny = b.load_model("alexnet_untrained_tiny")
    assert tiny.region_layer_map == {"V1": "features.2", "V2": "features.5", "V4": "features.5", "IT": "features.12"}
    assert tiny.region_layer_map_source == str(TINY / "region_layer_map" / "alexnet_untrained_tiny.json")
    sibling = b.load_model("alexnet_sibling_7deg")  # imports brainscore_vision.models.alexnet_untrained_tiny.model
    assert sibling.visual_degrees() == 7 and sibling.region_layer_map["IT"] == "classifier.2"
    assert sibling.region_layer_map_source == "argument"
    assert "brainscore_vision.models.alexnet_untrained_tiny.model" in sys.modules


def test_a_bare_models_tree_with_a_loop_registration_and_no_region_map(plugin_host, isolated_cache) -> None:
    b.plugins.add_plugin_directories(TOY / "bare")
    assert {"resnet18_loop_32", "resnet18_loop_48"} <= set(b.model_registry)
    model = b.load_model("resnet18_loop_48")
    assert model.identifier == "resnet18_loop_48"
    assert model.region_layer_map == {} and model.region_layer_map_source == "layer selection"


def test_a_sibling_folder_imported_before_its_own_turn_is_not_imported_twice(plugin_host) -> None:
    b.plugins.add_plugin_directories(CHECKOUT)  # alexnet_sibling (first alphabetically) imports its sibling
    registration = b.model_registry.registration("alexnet_untrained_tiny")
    assert registration.module == "brainscore_vision.models.alexnet_untrained_tiny"
    assert registration.origin.startswith(f"{TINY / '__init__.py'}:")


def test_two_folders_with_one_name_the_second_gets_a_private_name_and_a_conflict(tmp_path, plugin_host) -> None:
    for name in ("one", "two"):
        shutil.copytree(TINY, tmp_path / name / "models" / "alexnet_untrained_tiny")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        b.plugins.add_plugin_directories(tmp_path / "one", tmp_path / "two")
        assert "alexnet_untrained_tiny" in b.model_registry  # discovery runs here
    assert any("registered twice" in str(w.message) for w in caught)
    first, second = (tmp_path / name / "models" / "alexnet_untrained_tiny" for name in ("one", "two"))
    assert Path(sys.modules["brainscore_vision.models.alexnet_untrained_tiny"].__file__).parent == first
    assert any("two Brain-Score plugin folders are named" in n and str(second) in n for n in plugin_notices())
    with pytest.raises(b.PluginError, match="registered by more than one plugin folder") as raised:
        b.load_model("alexnet_untrained_tiny")
    assert str(first) in str(raised.value) and str(second) in str(raised.value)


def test_a_native_plugin_keeps_its_private_name(tmp_path, plugin_host) -> None:
    write_plugin(
        tmp_path / "models" / "native", "from brainscore_core import model_registry\nmodel_registry['n'] = int\n"
    )
    b.plugins.add_plugin_directories(tmp_path)
    assert b.model_registry.registration("n").module.startswith("brainscore_plugins.")
    assert "brainscore_vision.models.native" not in sys.modules


def test_the_real_brainscore_vision_is_never_taken_for_ours(tmp_path) -> None:
    fake = tmp_path / "brainscore_vision"
    fake.mkdir()
    (fake / "__init__.py").write_text("")
    module = type(sys)("brainscore_vision")
    module.__file__ = str(fake / "__init__.py")
    assert not is_compat_package(module)
    assert is_compat_package(sys.modules.get("brainscore_vision") or __import__("brainscore_vision"))


def test_with_brainscores_own_package_installed_the_folders_are_named_in_a_notice(tmp_path) -> None:
    site = tmp_path / "site"
    write_plugin(site / "brainscore_vision", "model_registry = {}\n")  # stands for Brain-Score's installed package
    write_plugin(
        tmp_path / "plugins" / "models" / "theirs",
        "from brainscore_vision import model_registry\nmodel_registry['theirs'] = lambda: 1\n",
    )
    plugins = str(tmp_path / "plugins")
    code = (
        f"import brainscore_core as b; b.plugins.add_plugin_directories({plugins!r}); "
        "print('theirs' in b.model_registry); print(b.plugins.plugin_notices())"
    )
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    environment.pop("BRAINSCORE_PLUGINS_PATH", None)
    completed = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr  # checked here, to show stderr
    registered, notices = completed.stdout.splitlines()
    assert registered == "False"
    assert "1 Brain-Score plugin folder(s)" in notices and "Brain-Score's own package here" in notices
