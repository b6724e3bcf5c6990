"""Brain-Score plugin folders through pytest (in fresh processes: plugin registries are global): the Done-when
command on an untrained AlexNet folder in Brain-Score's layout, the folders' own test.py files under
--strict-markers (also with -n 2), and the collision notices in the header, the listing and `brainscore list`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from plugdir_helpers import native_model_plugin

from brainscore_core.cli import main as brainscore_main

TOY = Path(__file__).parent / "toy_plugins"
TEST_FILES = (
    "checkout/brainscore_vision/models/alexnet_untrained_tiny/test.py",
    "checkout/brainscore_vision/models/alexnet_sibling/test.py",
    "checkout/brainscore_vision/models/needs_weights/test.py",
    "bare/models/resnet18_loop/test.py",
)


@pytest.fixture(scope="module")
def shared_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the runs of this module: the activations computed by the first run are hits afterwards."""
    return tmp_path_factory.mktemp("brainscore_home")


@pytest.fixture
def toy(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, shared_home: Path) -> pytest.Pytester:
    for name in ("checkout", "bare"):
        shutil.copytree(TOY / name, pytester.path / name)
    monkeypatch.setenv("BRAINSCORE_HOME", str(shared_home))
    monkeypatch.setenv("TORCH_HOME", str(pytester.path / "torch_home"))  # no weights there
    for name in ("BRAINSCORE_PLUGINS_PATH", "BRAINSCORE_NO_BUILTIN_PLUGINS", "BRAINSCORE_DOWNLOAD_WEIGHTS"):
        monkeypatch.delenv(name, raising=False)
    return pytester


def test_done_when_the_untrained_alexnet_folder_scores_on_kriegeskorte2008(toy: pytest.Pytester) -> None:
    result = toy.runpytest_subprocess(
        "-p",
        "no:randomly",
        "--brainscore-plugins=checkout",
        "--brainscore-model=alexnet_untrained_tiny",
        "--brainscore-benchmark=Kriegeskorte2008.hIT-rsa",
    )
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "brainscore_vision: pytest-brainscore's compatibility layer*",
            "brainscore: */checkout is a Brain-Score layout: only its models/ are discovered*",
            "alexnet_untrained_tiny*Kriegeskorte2008.hIT-rsa*0.1429*",
        ]
    )


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one-process", "xdist-2"])
def test_the_folders_own_test_files_run_under_strict_markers(toy: pytest.Pytester, workers: list[str]) -> None:
    result = toy.runpytest_subprocess(
        "-p", "no:randomly", "--strict-markers", "-rs", "--brainscore-plugins=checkout", *workers, *TEST_FILES
    )
    # alexnet: identifier, layers, Kriegeskorte score pass; the private and the unprovided benchmark are skipped;
    # sibling, the loop registration and its module name pass; the three models whose weights are absent fail,
    # naming the files
    result.assert_outcomes(passed=8, skipped=2, failed=3)
    output = result.stdout.str()
    assert "needs Brain-Score's access-controlled data (benchmark MajajHong2015.IT-pls)" in output
    assert "needs the Brain-Score benchmark 'Marques2020_Ringach2002-or_bandwidth'" in output
    assert "resnet18-f37072fd.pth at " in output and "Nothing is downloaded automatically" in output
    assert "Put it at " in output and "resnet18_toy_s3.pth" in output
    assert "unknown marker" not in output.lower() and "ImportError" not in output


REPLACING = "model 'alexnet' from */models/alexnet replaces the built-in example plugin's*"


def test_a_folder_replacing_a_built_in_is_announced_and_the_switch_leaves_the_built_ins_out(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BRAINSCORE_PLUGINS_PATH", raising=False)
    monkeypatch.delenv("BRAINSCORE_NO_BUILTIN_PLUGINS", raising=False)
    native_model_plugin(pytester.path / "mine" / "models" / "alexnet", "alexnet")
    result = pytester.runpytest_subprocess("--co", "--brainscore-plugins=mine")
    result.stdout.fnmatch_lines([f"brainscore: {REPLACING}"])
    listing = pytester.runpytest_subprocess("--brainscore-plugins=mine", "--brainscore-list")
    listing.stdout.fnmatch_lines(["*alexnet*(replaces the built-in example plugin)*", "*pixels*"])
    left_out = pytester.runpytest_subprocess(
        "--brainscore-plugins=mine", "--brainscore-no-builtin-plugins", "--brainscore-list"
    )
    header = pytester.runpytest_subprocess("--co", "--brainscore-plugins=mine", "--brainscore-no-builtin-plugins")
    header.stdout.fnmatch_lines(["brainscore: built-in example model plugins left out"])
    assert "replaces the built-in" not in header.stdout.str()
    assert "replaces the built-in" not in left_out.stdout.str() and "pixels" not in left_out.stdout.str()
    assert "Kriegeskorte2008.hIT-rsa" in left_out.stdout.str()  # the example benchmarks stay


def test_brainscore_list_shows_the_replacement_and_the_conflict(tmp_path, plugin_host, capsys) -> None:
    native_model_plugin(tmp_path / "one" / "models" / "alexnet", "alexnet", "shared")
    native_model_plugin(tmp_path / "two" / "models" / "other", "shared")
    with pytest.warns(RuntimeWarning, match="registered twice"):
        assert brainscore_main(["--plugins", str(tmp_path / "one"), "--plugins", str(tmp_path / "two"), "list"]) == 0
    out = capsys.readouterr().out
    assert "(replaces the built-in example plugin)" in out
    assert f"CONFLICT: registered by {tmp_path / 'one' / 'models' / 'alexnet'} and " in out
