"""``import brainscore_vision``: our compatibility layer when Brain-Score is not installed, never in front of a real
one; the pytest header says which is used, and Brain-Score's ``brainscore-core`` is reported at import and there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import brainscore_core
from brainscore_core import compat
from brainscore_core.compat import NotSupportedError

ROOT = Path(__file__).resolve().parents[2]
VISION = ROOT / "brainscore_core" / "compat" / "_vision"


def _python(code: str, *extra_path: Path) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join([*map(str, extra_path), str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)


@pytest.fixture
def real_vision(tmp_path: Path) -> Path:
    """A directory holding a stand-in for Brain-Score's own ``brainscore_vision`` package."""
    package = tmp_path / "site" / "brainscore_vision"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("REAL = True\n")
    return tmp_path / "site"


@pytest.fixture
def foreign_core(tmp_path: Path) -> Path:
    """A directory holding the metadata of Brain-Score's ``brainscore_core`` 2.5.0 distribution."""
    info = tmp_path / "dists" / "brainscore_core-2.5.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: brainscore_core\nVersion: 2.5.0\n")
    return tmp_path / "dists"


def test_without_brainscore_the_name_resolves_to_the_compatibility_layer() -> None:
    import brainscore_vision

    assert Path(brainscore_vision.__file__).parent == VISION
    assert brainscore_vision.model_registry is brainscore_core.model_registry
    assert sum(getattr(finder, "_brainscore_compat_finder", False) for finder in sys.meta_path) == 1  # once only
    compat.install()
    assert sum(getattr(finder, "_brainscore_compat_finder", False) for finder in sys.meta_path) == 1
    assert compat.vision_in_use().startswith("brainscore_vision: pytest-brainscore's compatibility layer")


def test_the_finder_comes_after_the_standard_finders() -> None:
    finders = [(f if isinstance(f, type) else type(f)).__name__ for f in sys.meta_path]
    assert finders.index("CompatFinder") > finders.index("PathFinder")


def test_a_real_brainscore_vision_is_never_shadowed(real_vision: Path) -> None:
    result = _python(
        "import brainscore_core, brainscore_vision; from brainscore_core import compat; "
        "print(brainscore_vision.REAL); print(compat.vision_in_use())",
        real_vision,
    )
    assert result.returncode == 0, result.stderr
    real, line = result.stdout.splitlines()
    assert real == "True"
    assert line == (
        f"brainscore_vision: Brain-Score's own, at {real_vision / 'brainscore_vision'} "
        "(pytest-brainscore's compatibility layer is not used)"
    )


def test_importing_the_pytest_plugin_installs_the_finder_without_brainscore_core() -> None:
    result = _python(
        "import sys, pytest_brainscore.plugin; assert 'brainscore_core' not in sys.modules; "
        "import brainscore_vision; print(brainscore_vision.__file__)"
    )
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).parent == VISION


def test_brainscores_core_distribution_is_reported_at_import(foreign_core: Path) -> None:
    result = _python("import brainscore_core", foreign_core)
    assert result.returncode == 0, result.stderr
    assert "ForeignBrainscoreCoreWarning: Brain-Score's brainscore-core distribution is installed" in result.stderr
    assert "brainscore_core 2.5.0" in result.stderr and "separate environment" in result.stderr


def test_without_it_there_is_no_warning() -> None:
    result = _python("import brainscore_core")
    assert "ForeignBrainscoreCoreWarning" not in result.stderr
    assert compat.foreign_core_message() is None


def test_the_pytest_header_names_the_compatibility_layer_and_the_foreign_core(
    pytester: pytest.Pytester, foreign_core: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(foreign_core), str(ROOT), os.environ.get("PYTHONPATH", "")]))
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.stdout.fnmatch_lines(
        [
            f"brainscore_vision: pytest-brainscore's compatibility layer ({VISION})",
            "WARNING: Brain-Score's brainscore-core distribution is installed *: brainscore_core 2.5.0 *separate*",
        ]
    )


def test_the_pytest_header_names_a_real_brainscore_vision(
    pytester: pytest.Pytester, real_vision: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(real_vision), str(ROOT), os.environ.get("PYTHONPATH", "")]))
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.stdout.fnmatch_lines([f"brainscore_vision: Brain-Score's own, at {real_vision / 'brainscore_vision'} *"])
    result.stdout.no_fnmatch_line("WARNING: Brain-Score's brainscore-core*")


@pytest.mark.parametrize(
    "statement",
    [
        "from brainscore_vision import load_benchmark",
        "from brainscore_vision.model_helpers.brain_transformation import LayerSelection",
        "from brainscore_vision.model_helpers.activations import KerasWrapper",
        "import brainscore_vision.model_helpers.activations.temporal",
        "from brainscore_vision.model_helpers.activations.temporal.utils import get_specified_layers",
        "from brainscore_core.supported_data_standards.brainio.assemblies import NeuroidAssembly",
    ],
)
def test_brainscore_names_we_lack_say_so(statement: str) -> None:
    with pytest.raises(NotSupportedError, match=r"does not (support|provide)"):
        exec(statement, {})


def test_an_unknown_name_is_an_import_error_naming_the_documentation() -> None:
    with pytest.raises(ImportError, match="cannot import name 'no_such_name' from 'brainscore_vision'"):
        exec("from brainscore_vision import no_such_name", {})
    import brainscore_vision

    with pytest.raises(AttributeError, match=r"compatibility layer\) has no attribute 'no_such_name'.*README"):
        brainscore_vision.no_such_name  # noqa: B018


def test_a_missing_model_plugin_names_the_folders_searched() -> None:
    with pytest.raises(ModuleNotFoundError, match=r"No model plugin folder 'nothing_here' was found in \["):
        exec("import brainscore_vision.models.nothing_here", {})


def test_model_plugin_folders_on_the_models_path_are_importable_with_siblings(tmp_path: Path) -> None:
    models = tmp_path / "models"
    (models / "base_plugin").mkdir(parents=True)
    (models / "base_plugin" / "__init__.py").write_text("")
    (models / "base_plugin" / "model.py").write_text("class Wrapper:\n    kind = 'base'\n")
    (models / "derived").mkdir()
    (models / "derived" / "__init__.py").write_text("from .model import KIND\n")
    (models / "derived" / "model.py").write_text(
        "from brainscore_vision.models.base_plugin.model import Wrapper\nKIND = Wrapper.kind\n"
    )
    compat.add_models_path_provider(lambda: [models])
    try:
        import brainscore_vision.models.derived as derived

        assert derived.KIND == "base"
        assert str(models.resolve()) in list(sys.modules["brainscore_vision.models"].__path__)
    finally:
        compat._finder._MODELS_PATH_PROVIDERS.clear()
        for name in [n for n in sys.modules if n.startswith("brainscore_vision.models.")]:
            del sys.modules[name]
