"""Discovery as an object: a PluginHost per test, entry points loaded one by one, pluggy's calling conventions."""

from __future__ import annotations

import textwrap
import warnings
from pathlib import Path

import pytest

from brainscore_core.errors import UnknownIdentifierError
from brainscore_core.plugins import PluginHost, default_host, use_host
from brainscore_core.registry import REGISTRIES, Registry


def make_distribution(site: Path, package: str, source: str, entry_points: dict[str, str]) -> None:
    """A distribution on ``site`` (a sys.path entry) with ``package/__init__.py`` and ``[brainscore]`` entry points."""
    (site / package).mkdir(parents=True)
    (site / package / "__init__.py").write_text(textwrap.dedent(source))
    info = site / f"{package}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package.replace('_', '-')}\nVersion: 0.1\n")
    lines = "".join(f"{name} = {value}\n" for name, value in entry_points.items())
    (info / "entry_points.txt").write_text("[brainscore]\n" + lines)


def test_a_host_with_its_own_registries_fills_them_on_first_lookup_and_explains_failures(tmp_path: Path) -> None:
    models: Registry[object] = Registry("model", folder="models")
    host = PluginHost({"models": models}, builtin=False, entry_points=False)
    broken = tmp_path / "models" / "broken_host_plugin"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise RuntimeError('no weights')\n")
    host.add_plugin_directories(tmp_path)
    host.attach()
    assert default_host() is not host
    with pytest.warns(RuntimeWarning, match="broken_host_plugin failed to load: RuntimeError: no weights"):
        assert list(models) == []
    assert [Path(f.location).name for f in host.failures] == ["broken_host_plugin"]
    with pytest.raises(UnknownIdentifierError, match=r"Note: 1 plugin\(s\) failed to load .*: broken_host_plugin"):
        models.load("anything")
    assert not any("broken_host_plugin" in failure.location for failure in default_host().failed_plugins())


def test_use_host_swaps_the_default_and_restores_it() -> None:
    before = default_host()
    with use_host(PluginHost(builtin=False, entry_points=False)) as host:
        assert default_host() is host
    assert default_host() is before


def test_a_hook_implementation_takes_only_the_registries_it_names(tmp_path, plugin_host, monkeypatch) -> None:
    site = tmp_path / "site"
    make_distribution(
        site,
        "kw_dist",
        """
        from brainscore_core.plugins import hookimpl

        CALLS = []

        @hookimpl
        def brainscore_register(metrics, models):
            CALLS.append(1)
            models["kw-model"] = lambda: "model"
            metrics["kw-metric"] = lambda: "metric"
        """,
        {"kw": "kw_dist"},
    )
    monkeypatch.syspath_prepend(str(site))
    plugin_host.discover()
    plugin_host.discover()  # like a historic hook: each plugin is called once, however often discovery runs
    assert REGISTRIES["models"].load("kw-model") == "model"
    assert REGISTRIES["metrics"].load("kw-metric") == "metric"
    import kw_dist

    assert kw_dist.CALLS == [1]


def test_a_misspelt_hook_fails_loudly_under_its_distribution_and_the_others_still_load(
    tmp_path, plugin_host, monkeypatch
) -> None:
    site = tmp_path / "site"
    make_distribution(
        site,
        "typo_dist",
        """
        from brainscore_core.plugins import hookimpl

        @hookimpl
        def brainscore_registr(models):
            models["never"] = lambda: "never"
        """,
        {"typo": "typo_dist"},
    )
    make_distribution(
        site,
        "good_dist",
        """
        from brainscore_core.plugins import hookimpl

        @hookimpl
        def brainscore_register(models):
            models["good-model"] = lambda: "good"
        """,
        {"good": "good_dist"},
    )
    monkeypatch.syspath_prepend(str(site))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert "good-model" in REGISTRIES["models"]
    messages = [str(w.message) for w in caught]
    assert any(
        m.startswith("Entry point 'typo' of distribution 'typo-dist' failed to load: PluginValidationError")
        and "brainscore_registr" in m
        for m in messages
    ), messages
    assert [f.location for f in plugin_host.failures] == ["typo-dist"]
    assert "never" not in REGISTRIES["models"]
    assert plugin_host.plugin_manager().get_plugin("typo") is None
