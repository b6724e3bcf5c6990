"""The small helpers plugins import: check_models (cheap to import, offline checks), BrainModel's constants,
disable_activation_caching."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest
from brainscore_vision import BrainModel
from brainscore_vision.model_helpers.activations.pytorch import (
    PytorchWrapper,
    disable_activation_caching,
    load_preprocess_images,
)
from brainscore_vision.model_helpers.check_submission import check_models
from compat_helpers import NETWORK

import brainscore_core

ROOT = Path(__file__).resolve().parents[2]


def test_importing_check_models_is_cheap() -> None:
    code = (
        "import sys, brainscore_core; import brainscore_vision.model_helpers.check_submission.check_models; "
        "print(sorted(m for m in ('torch', 'torchvision', 'sklearn') if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert output.stdout.strip() == "[]"


def test_check_base_models_checks_layers_and_building(fresh_module, capsys) -> None:
    fresh_module(
        "good_plugin_model",
        "def get_model_list():\n    return ['a']\n\ndef get_layers(name):\n    return ['x']\n\n"
        "def get_model(name):\n    return object()\n",
    )
    check_models.check_base_models("good_plugin_model")
    assert "Checks passed offline" in capsys.readouterr().out
    fresh_module(
        "bad_plugin_model",
        "def get_model_list():\n    return ['a']\n\ndef get_layers(name):\n    return []\n\n"
        "def get_model(name):\n    return object()\n",
    )
    with pytest.raises(AssertionError, match=r"get_layers\('a'\) must return a non-empty list, got \[\]"):
        check_models.check_base_models("bad_plugin_model")
    with pytest.raises(AssertionError, match=r"get_model\('a'\) must return a BrainModel"):
        check_models.check_brain_models("good_plugin_model")


def test_brain_model_has_brainscores_constants() -> None:
    assert (BrainModel.Task.passive, BrainModel.Task.label, BrainModel.Task.probabilities) == (
        "passive",
        "label",
        "probabilities",
    )
    assert BrainModel.Task.odd_one_out == "odd_one_out"
    assert [BrainModel.RecordingTarget.V1, BrainModel.RecordingTarget.IT] == ["V1", "IT"]
    assert issubclass(BrainModel, brainscore_core.BrainModel)


def test_disable_activation_caching_turns_the_wrappers_cache_off(isolated_cache) -> None:
    namespace: dict[str, object] = {}
    exec(NETWORK, namespace)
    wrapper = PytorchWrapper(namespace["build_network"](), functools.partial(load_preprocess_images, image_size=16))  # type: ignore[operator]
    assert wrapper.cache.enabled
    assert disable_activation_caching(wrapper) is wrapper
    assert not wrapper.cache.enabled
    with pytest.raises(brainscore_core.compat.NotSupportedError, match="PytorchWrapper only"):
        disable_activation_caching(object())
