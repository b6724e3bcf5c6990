"""Identifier collisions: a user's plugin folder replaces a built-in example plugin's identifier (with a notice);
two user folders registering one identifier make it unusable, with an error naming both; a switch leaves the
built-in example plugins out."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import pytest
from plugdir_helpers import native_model_plugin

import brainscore_core as b
from brainscore_core.plugins import plugin_notices


def test_a_user_folder_replaces_a_built_in_example_plugin_and_says_so(tmp_path, plugin_host) -> None:
    native_model_plugin(tmp_path / "models" / "mine", "pixels", "mine-only")
    b.plugins.add_plugin_directories(tmp_path)
    assert b.load_model("pixels") == ("pixels", str(tmp_path / "models" / "mine"))
    assert b.load_model("mine-only")[0] == "mine-only"
    notices = plugin_notices()
    assert any("model 'pixels'" in n and str(tmp_path / "models" / "mine") in n and "built-in" in n for n in notices)
    assert "replaces the built-in example plugin" in b.model_registry.describe()["pixels"]
    assert "resnet18" in b.model_registry  # the other built-ins stay


def test_two_user_folders_with_one_identifier_make_it_an_error_naming_both(tmp_path, plugin_host) -> None:
    one = native_model_plugin(tmp_path / "one" / "models" / "first", "shared", "only-first")
    two = native_model_plugin(tmp_path / "two" / "models" / "second", "shared", "only-second")
    b.plugins.add_plugin_directories(tmp_path / "one", tmp_path / "two")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert "shared" in b.model_registry  # still listed, never silently one of them
    message = " ".join(str(w.message) for w in caught)
    assert "registered twice" in message and str(one) in message and str(two) in message
    with pytest.raises(b.PluginError) as raised:
        b.load_model("shared")
    assert str(one) in str(raised.value) and str(two) in str(raised.value)
    assert "does not pick one" in str(raised.value)
    assert b.model_registry.describe()["shared"].startswith("CONFLICT")
    # everything else both folders register still works
    assert b.load_model("only-first")[0] == "only-first" and b.load_model("only-second")[0] == "only-second"
    assert any("'shared'" in n and str(one) in n and str(two) in n for n in plugin_notices())


def test_three_folders_with_one_identifier_name_all_three(tmp_path, plugin_host) -> None:
    folders = [native_model_plugin(tmp_path / name / "models" / name, "shared") for name in ("a", "b", "c")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        b.plugins.add_plugin_directories(*(tmp_path / name for name in ("a", "b", "c")))
        with pytest.raises(b.PluginError) as raised:
            b.load_model("shared")
    assert all(str(folder) in str(raised.value) for folder in folders)


def test_a_core_metric_is_never_replaced(tmp_path, plugin_host) -> None:
    folder = tmp_path / "metrics" / "mine"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("from brainscore_core import metric_registry\nmetric_registry['rsa'] = 1\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        b.plugins.add_plugin_directories(tmp_path)
        assert "rsa" in b.metric_registry
    assert b.metric_registry.registration("rsa").origin != str(folder / "__init__.py:2")
    assert any("failed to load" in str(w.message) for w in caught)


def test_leave_out_builtin_plugins_before_and_after_discovery(tmp_path, plugin_host) -> None:
    native_model_plugin(tmp_path / "models" / "mine", "pixels")
    b.plugins.leave_out_builtin_plugins()
    b.plugins.add_plugin_directories(tmp_path)
    assert "resnet18" not in b.model_registry and "rsa" in b.metric_registry  # core metrics stay
    assert "Kriegeskorte2008.hIT-rsa" in b.benchmark_registry  # the example benchmarks stay
    assert b.load_model("pixels")[0] == "pixels"
    assert plugin_notices() == []  # nothing was replaced


def test_leave_out_builtin_plugins_after_discovery_drops_them(plugin_host) -> None:
    assert "resnet18" in b.model_registry
    b.plugins.leave_out_builtin_plugins()
    assert "resnet18" not in b.model_registry and "Kriegeskorte2008.hIT-rsa" in b.benchmark_registry


@pytest.mark.parametrize("value, expected", [("1", "[]"), ("", "['alexnet', 'pixels']")])
def test_the_environment_variable_leaves_the_builtins_out(value, expected) -> None:
    code = (
        "import brainscore_core as b; assert 'Kriegeskorte2008.hIT-rsa' in b.benchmark_registry; "
        "print(sorted(set(b.model_registry) & {'alexnet', 'pixels'}))"
    )
    environment = {**os.environ, "BRAINSCORE_NO_BUILTIN_PLUGINS": value}
    environment.pop("BRAINSCORE_PLUGINS_PATH", None)
    completed = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == expected
