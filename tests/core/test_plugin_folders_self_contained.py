"""Every built-in plugin folder is a copyable unit: it imports brainscore_core and itself, never another plugin."""

import ast
from pathlib import Path

import pytest

EXAMPLE_PLUGINS = Path(__file__).parents[2] / "example_plugins"

#: (file, imported module) pairs not yet fixed, each with the reason; keep this list short and shrinking
KNOWN_CROSS_IMPORTS = {
    # the model's top-5 check names ImageNet classes from the Geirhos data plugin's category file
    ("models/efficientnet_lite0/test.py", "example_plugins.data.geirhos2019.experiments"),
    ("models/efficientnet_lite0/test.py", "example_plugins.data.geirhos2019.loaders"),
}


def plugin_folders() -> list[Path]:
    return sorted(folder.parent for folder in EXAMPLE_PLUGINS.glob("*/*/__init__.py"))


def imported_modules(path: Path, root: Path) -> list[str]:
    """Absolute names of the modules ``path`` imports (relative imports resolved), anywhere in the file;
    ``root`` is the ``example_plugins`` folder."""
    package = ".".join(path.relative_to(root.parent).with_suffix("").parts[:-1])
    modules = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                modules.append(node.module or "")
            else:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                modules.append(f"{base}.{node.module}" if node.module else base)
    return modules


def cross_plugin_imports(folder: Path, root: Path = EXAMPLE_PLUGINS) -> list[tuple[str, str]]:
    """``(file relative to root, module)`` for each import of ``example_plugins`` outside the plugin ``folder``."""
    own = ".".join(folder.relative_to(root.parent).parts)
    found = []
    for path in sorted(folder.rglob("*.py")):
        for module in imported_modules(path, root):
            inside = module == own or module.startswith(own + ".")
            if module.split(".")[0] == "example_plugins" and not inside:
                found.append((path.relative_to(root).as_posix(), module))
    return found


def test_every_kind_of_plugin_is_checked():
    kinds = {folder.parent.name for folder in plugin_folders()}
    assert {"benchmarks", "data", "metrics", "models"} <= kinds


@pytest.mark.parametrize("folder", plugin_folders(), ids=lambda folder: f"{folder.parent.name}/{folder.name}")
def test_plugin_folder_imports_no_other_plugin(folder):
    found = set(cross_plugin_imports(folder)) - KNOWN_CROSS_IMPORTS
    assert not found, (
        f"{folder.name} imports from other plugin folders: {sorted(found)}. A plugin folder must be self-contained "
        "(check-plugin demands it of users): move shared code into brainscore_core (benchmark classes into "
        "brainscore_core.benchmarks, test helpers into brainscore_core.testing) or load data by identifier."
    )


def test_the_check_finds_imports_of_other_plugins_absolute_relative_and_inside_functions(tmp_path):
    root = tmp_path / "example_plugins"
    plugin = root / "benchmarks" / "mine"
    plugin.mkdir(parents=True)
    (plugin / "__init__.py").write_text("from . import benchmark\nfrom .benchmark import f\n")
    (plugin / "benchmark.py").write_text(
        "import numpy\n"
        "from example_plugins.benchmarks.mine.helpers import a\n"
        "from ..other.rdm import RDM\n"
        "def f():\n    import example_plugins.benchmarks.theirs.testing\n"
    )
    assert cross_plugin_imports(plugin, root) == [
        ("benchmarks/mine/benchmark.py", "example_plugins.benchmarks.other.rdm"),
        ("benchmarks/mine/benchmark.py", "example_plugins.benchmarks.theirs.testing"),
    ]
