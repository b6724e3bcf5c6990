"""The public surface: each package's ``__all__`` is exactly the public names it defines (httpx's
``test_exported_members.py``), every ``__all__`` entry exists, and the packaging facts type checkers and
``brainscore --version`` rely on (``py.typed``, ``__version__``)."""

from __future__ import annotations
import __future__

import ast
import importlib
import importlib.metadata
import pkgutil
import re
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

import brainscore_core
import pytest_brainscore

ROOT = Path(__file__).resolve().parent.parent

PACKAGES = [
    "brainscore_core",
    "brainscore_core.activations",
    "brainscore_core.benchmarks",
    "brainscore_core.cache",
    "brainscore_core.cli",
    "brainscore_core.commitment",
    "brainscore_core.compat",
    "brainscore_core.comparison",
    "brainscore_core.fetching",
    "brainscore_core.metrics",
    "brainscore_core.plugins",
    "brainscore_core.report",
    "pytest_brainscore",
]


def _public_modules() -> list[str]:
    """Every importable module of both packages whose dotted path has no underscore-prefixed part."""
    names = []
    for package in (brainscore_core, pytest_brainscore):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if not any(part.startswith("_") for part in info.name.split(".")):
                names.append(info.name)
    return names


def _defined_public_names(module: ModuleType) -> set[str]:
    """Names a user sees in ``dir(module)`` that are not private: no submodules, no ``from __future__`` flags."""
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and not isinstance(value, ModuleType) and not isinstance(value, __future__._Feature)
    } | set(getattr(module, "_LAZY", {}))  # PEP 562 names, imported on first access


@pytest.mark.parametrize("package", PACKAGES)
def test_all_is_exactly_the_public_names_of_the_package(package):
    module = importlib.import_module(package)
    exported = module.__all__
    assert len(exported) == len(set(exported)), f"{package}.__all__ lists a name twice"
    assert set(exported) == _defined_public_names(module)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_exported_name_exists(package):
    module = importlib.import_module(package)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []


def test_every_public_module_declares_all_and_each_entry_exists():
    modules = _public_modules()
    assert "brainscore_core.activations.pytorch" in modules  # the walk reaches nested implementation modules
    without_all = [name for name in modules if not hasattr(importlib.import_module(name), "__all__")]
    assert without_all == []
    dangling = {
        name: [entry for entry in module.__all__ if not hasattr(module, entry)]
        for name in modules
        for module in [importlib.import_module(name)]
    }
    assert {name: entries for name, entries in dangling.items() if entries} == {}


def test_version_comes_from_the_package_metadata():
    assert brainscore_core.__version__ == importlib.metadata.version("pytest-brainscore")


def test_the_cli_reports_the_package_version(capsys):
    from brainscore_core.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"brainscore {brainscore_core.__version__}"


@pytest.mark.parametrize("package", [brainscore_core, pytest_brainscore])
def test_both_packages_ship_a_py_typed_marker(package):
    assert (Path(package.__file__).parent / "py.typed").is_file()
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "py.typed" in package_data[package.__name__]


def _imported_top_level_modules(package: ModuleType) -> set[str]:
    names = set()
    for path in Path(package.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def _normalised(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def test_every_third_party_import_is_a_declared_dependency():
    """What the packages import (``packaging`` in ``brainscore check-plugin`` included) is declared in
    ``pyproject.toml``, not an accident of the environment."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_normalised(re.split(r"[<>=!~\[; ]", entry, maxsplit=1)[0]) for entry in project["dependencies"]}
    ours = {"brainscore_core", "pytest_brainscore", "example_plugins"}
    imported = set().union(*(_imported_top_level_modules(p) for p in (brainscore_core, pytest_brainscore)))
    # xdist: imported only by pytest_brainscore/grouping.py inside pytest-xdist's own scheduler hook (so present
    # whenever that code runs); it is optional for users and declared in the `test` extra
    in_extras = {"xdist": "pytest-xdist>=3.5"}
    assert all(spec in project["optional-dependencies"]["test"] for spec in in_extras.values())
    third_party = sorted(imported - ours - set(sys.stdlib_module_names) - set(in_extras))
    providers = importlib.metadata.packages_distributions()
    undeclared = {
        module: providers.get(module)
        for module in third_party
        if not {_normalised(d) for d in providers.get(module, [])} & declared
    }
    assert "packaging" in third_party
    assert undeclared == {}


@pytest.mark.parametrize(
    "old, name, public",
    [
        ("brainscore_core.activations.hub", "hub_weights_path", "brainscore_core.activations"),
        ("brainscore_core.activations.neuroids", "LayerLayout", "brainscore_core.activations"),
        ("brainscore_core.activations.preprocessing", "Preprocessing", "brainscore_core.activations"),
        ("brainscore_core.commitment.readouts", "ProbabilitiesReadout", "brainscore_core.commitment"),
        ("brainscore_core.commitment.recording", "as_recording", "brainscore_core.commitment._recording"),
        ("brainscore_core.commitment.layer_selection", "select_layer", "brainscore_core.commitment"),
        ("brainscore_core.commitment.model_commitment", "ModelCommitment", "brainscore_core.commitment"),
        ("brainscore_core.metrics.base", "Metric", "brainscore_core.metrics"),
        ("brainscore_core.metrics.splits", "SplitSpec", "brainscore_core.metrics._splits"),
        ("brainscore_core.metrics.checks", "check_response_values", "brainscore_core.metrics._checks"),
        ("brainscore_core.metrics.stats", "standard_error", "brainscore_core.metrics._stats"),
        ("brainscore_core.benchmarks.base", "NeuralBenchmark", "brainscore_core.benchmarks"),
        ("brainscore_core.benchmarks.rsa", "RSABenchmark", "brainscore_core.benchmarks"),
        ("brainscore_core.benchmarks.normalisation", "ceil_ratio", "brainscore_core.score"),
        ("brainscore_core.plugins.discovery", "PluginHost", "brainscore_core.plugins"),
        ("brainscore_core.plugins.hookspecs", "hookimpl", "brainscore_core.plugins"),
        ("brainscore_core.activations.fingerprint", "weights_fingerprint", "brainscore_core.activations"),
        ("brainscore_core.cache.atomic", "atomic_write_bytes", "brainscore_core.cache._atomic"),
    ],
)
def test_the_old_path_of_a_module_made_private_still_imports_with_a_deprecation_warning(old, name, public):
    module = importlib.import_module(old)
    with pytest.warns(DeprecationWarning, match=rf"{old} is private now .* import {name} from {public}\b"):
        value = getattr(module, name)
    private = importlib.import_module(old.rsplit(".", 1)[0] + "._" + old.rsplit(".", 1)[1])
    assert value is getattr(private, name)
    assert module.__all__ == []


#: The public modules of the packages whose implementation modules are private: each package's ``__init__``, the
#: modules named for a metric (``brainscore_core.metrics.<metric>``) and ``activations.pytorch``.
PUBLIC_MODULES = {
    "brainscore_core.activations": {"pytorch"},
    "brainscore_core.benchmarks": set(),
    "brainscore_core.commitment": set(),
    "brainscore_core.metrics": {
        "accuracy", "behavior", "cka", "error_consistency", "internal_consistency", "predictivity", "regression", "rsa",
    },
    "brainscore_core.plugins": set(),
}  # fmt: skip


def _is_deprecated_path(module: ModuleType) -> bool:
    return module.__all__ == [] and getattr(module.__getattr__, "__module__", "") == "brainscore_core._deprecated"


@pytest.mark.parametrize("package", sorted(PUBLIC_MODULES))
def test_implementation_modules_are_private_and_old_paths_are_deprecated(package):
    module = importlib.import_module(package)
    children = {info.name for info in pkgutil.iter_modules(module.__path__) if not info.name.startswith("_")}
    deprecated = {name for name in children if _is_deprecated_path(importlib.import_module(f"{package}.{name}"))}
    assert children - deprecated == PUBLIC_MODULES[package]


def test_the_old_atomic_path_forwards_the_lock_names_to_the_lock_module():
    from brainscore_core.cache import _lock, atomic

    with pytest.warns(DeprecationWarning, match=r"import acquire_lock from brainscore_core.cache._lock \(private"):
        assert atomic.acquire_lock is _lock.acquire_lock
    with pytest.warns(DeprecationWarning, match=r"import CacheLockTimeout from brainscore_core.cache\b"):
        assert atomic.CacheLockTimeout is _lock.CacheLockTimeout


def test_the_cache_package_keeps_its_implementation_private():
    import brainscore_core.cache as cache

    modules = {info.name for info in pkgutil.iter_modules(cache.__path__)}
    assert {"_activations", "_atomic", "_keys", "_lock", "_maintenance", "_process", "_results"} <= modules
    assert modules - {name for name in modules if name.startswith("_")} == {"atomic"}  # the deprecated old path
