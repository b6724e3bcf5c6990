"""Plugin discovery: built-in tree, extra directories, the environment variable and entry points.

Each scenario runs in-process on a fresh default :class:`PluginHost` (the ``plugin_host`` fixture), which puts
the registries back afterwards; only the import-cost check needs a fresh interpreter.
"""

import json
import os
import subprocess
import sys
import textwrap
import warnings

import pytest

import brainscore_core as b

PLUGIN_INIT = '''
"""A tiny model plugin for discovery tests."""
from brainscore_core import model_registry
from .model import build

model_registry["{name}"] = lambda: build("{name}")
for size in (1, 2):
    model_registry[f"{name}-x{{size}}"] = lambda size=size: build(f"{name}-x{{size}}")
'''
PLUGIN_MODEL = """
def build(identifier):
    return {"identifier": identifier}
"""


def make_plugin_dir(root, name="toymodel", kind="models"):
    folder = root / kind / name
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text(PLUGIN_INIT.format(name=name))
    (folder / "model.py").write_text(PLUGIN_MODEL)
    (folder / "test.py").write_text("def test_nothing_heavy():\n    assert True\n")
    return folder


def run_python(code, env=None, cwd=None):
    full_env = {**os.environ, **(env or {})}
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=120,
        check=False,  # asserted below, with stderr in the message
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_extra_directory_by_api(tmp_path, plugin_host):
    make_plugin_dir(tmp_path)
    b.plugins.add_plugin_directories(tmp_path)
    assert sorted(i for i in b.model_registry if i.startswith("toymodel")) == ["toymodel", "toymodel-x1", "toymodel-x2"]
    assert b.load_model("toymodel-x2") == {"identifier": "toymodel-x2"}


def test_environment_variable_with_several_directories(tmp_path, plugin_host, monkeypatch):
    make_plugin_dir(tmp_path / "one", "alpha")
    make_plugin_dir(tmp_path / "two", "beta")
    monkeypatch.setenv("BRAINSCORE_PLUGINS_PATH", os.pathsep.join([str(tmp_path / "one"), str(tmp_path / "two")]))
    assert ("alpha" in b.model_registry, "beta" in b.model_registry) == (True, True)


def test_plugin_folder_given_directly(tmp_path, plugin_host):
    folder = make_plugin_dir(tmp_path, "direct")
    b.plugins.add_plugin_directories(folder)
    assert "direct-x1" in b.model_registry


def test_duplicate_across_plugins_names_both_files(tmp_path, plugin_host, monkeypatch):
    make_plugin_dir(tmp_path / "one", "same")
    make_plugin_dir(tmp_path / "two", "same")
    monkeypatch.setenv("BRAINSCORE_PLUGINS_PATH", os.pathsep.join([str(tmp_path / "one"), str(tmp_path / "two")]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        list(b.model_registry)
    out = str([str(w.message) for w in caught])
    assert "registered twice" in out
    assert str(tmp_path / "one") in out and str(tmp_path / "two") in out


def test_broken_plugin_is_reported_not_fatal(tmp_path, plugin_host):
    make_plugin_dir(tmp_path, "fine")
    broken = tmp_path / "models" / "broken"
    broken.mkdir()
    (broken / "__init__.py").write_text("import not_a_real_package_xyz\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        b.plugins.add_plugin_directories(tmp_path)
        assert "fine" in b.model_registry
    with pytest.raises(b.UnknownIdentifierError) as error:
        b.load_model("brokn")
    assert "failed to load" in str(error.value) and "broken" in str(error.value)


def make_distribution(site, package, source, entry_points):
    """A distribution on ``site`` (a sys.path entry) with ``package/__init__.py`` and ``[brainscore]`` entry points."""
    (site / package).mkdir(parents=True)
    (site / package / "__init__.py").write_text(textwrap.dedent(source))
    info = site / f"{package}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package.replace('_', '-')}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[brainscore]\n" + "".join(f"{k} = {v}\n" for k, v in entry_points.items()))


def test_entry_point_plugin(tmp_path, plugin_host, monkeypatch):
    """A distribution exposing the `brainscore` entry-point group, found through importlib.metadata."""
    site = tmp_path / "site"
    make_distribution(
        site,
        "toy_dist",
        """
        from brainscore_core.plugins import hookimpl

        @hookimpl
        def brainscore_register(registries):
            registries["models"]["entry-point-model"] = lambda: "from an entry point"
        """,
        {"toy": "toy_dist"},
    )
    monkeypatch.syspath_prepend(str(site))
    assert b.load_model("entry-point-model") == "from an entry point"
    assert "toy_dist" in b.model_registry.registration("entry-point-model").origin


def test_entry_point_plugin_directories_hook(tmp_path, plugin_host, monkeypatch):
    make_plugin_dir(tmp_path / "dirs", "hooked")
    site = tmp_path / "site"
    make_distribution(
        site,
        "dir_dist",
        f"""
        from brainscore_core.plugins import hookimpl

        @hookimpl
        def brainscore_plugin_directories():
            return [{str(tmp_path / "dirs")!r}]
        """,
        {"dirs": "dir_dist"},
    )
    monkeypatch.syspath_prepend(str(site))
    assert "hooked" in b.model_registry


def test_listing_builds_nothing_and_imports_no_torch():
    out = run_python("""
        import sys, time
        start = time.perf_counter()
        import brainscore_core as b
        ids = {kind: list(r) for kind, r in b.registry.REGISTRIES.items()}
        elapsed = time.perf_counter() - start
        import json
        counts = {k: len(v) for k, v in ids.items()}
        print(json.dumps({'seconds': elapsed, 'torch': 'torch' in sys.modules, 'counts': counts}))
    """)
    result = json.loads(out.splitlines()[-1])
    assert result["torch"] is False, "listing identifiers must not import torch"
    assert result["counts"]["metrics"] > 0
    # speed is measured in benchmarks/, not asserted here; this only guards against pathological discovery
    assert result["seconds"] < 30


def test_lazy_names_are_exported():
    import brainscore_core as b

    assert set(b._LAZY) <= set(b.__all__), "list every lazily imported name in __all__ too"


def test_missing_directory_is_a_clear_error(tmp_path):
    import brainscore_core as b

    with pytest.raises(b.PluginError, match="does not exist"):
        b.plugins.add_plugin_directories(tmp_path / "nope")
