import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import brainscore_core.registry as registry_module
from brainscore_core import DuplicateRegistrationError, UnknownIdentifierError
from brainscore_core.registry import (
    REGISTRIES,
    Lazy,
    LookupNotes,
    Registry,
    ceiling_registry,
    close_matches,
    lazy,
    metric_registry,
)


def _register_from_elsewhere(registry, identifier):
    registry[identifier] = lambda: "second"


def test_brainscore_idiom_and_lazy_factories():
    registry = Registry("model")
    built = []
    registry["myalexnet"] = lambda: built.append(1) or "alexnet"
    assert "myalexnet" in registry and built == []
    assert registry.load("myalexnet") == "alexnet" and built == [1]


def test_loop_registrations_bind_each_identifier():
    registry = Registry("model")
    for width in (1, 2, 4):
        registry[f"net-w{width}"] = lambda width=width: width
    assert list(registry) == ["net-w1", "net-w2", "net-w4"]
    assert [registry.load(f"net-w{w}") for w in (1, 2, 4)] == [1, 2, 4]


def test_unknown_identifier_lists_close_matches():
    registry = Registry("benchmark")
    for identifier in ("Cowley2023.V4-pls", "Cowley2023.V4-ridgecv", "Kriegeskorte2008.hIT-rsa"):
        registry[identifier] = lambda: None
    with pytest.raises(UnknownIdentifierError) as raised:
        registry.load("cowley2023.V4-pls")
    assert "Unknown benchmark identifier 'cowley2023.V4-pls'" in str(raised.value)
    assert raised.value.suggestions[0] == "Cowley2023.V4-pls"
    assert "Cowley2023.V4-ridgecv" in raised.value.suggestions


def test_unknown_without_close_match_says_how_to_list():
    registry = Registry("model")
    registry["alexnet"] = lambda: None
    with pytest.raises(UnknownIdentifierError, match="brainscore list models"):
        registry.load("zzzzzzzz")


def test_duplicate_registration_names_both_places():
    registry = Registry("model")
    registry["dup"] = lambda: "first"
    with pytest.raises(DuplicateRegistrationError) as raised:
        _register_from_elsewhere(registry, "dup")
    message = str(raised.value)
    assert message.count("test_registry.py:") == 2 and "'dup'" in message


def test_same_place_may_register_again():
    registry = Registry("model")
    for _ in range(2):
        registry["again"] = lambda: 1
    assert len(registry) == 1


def test_non_callable_factory_explains_the_lambda():
    registry = Registry("model")
    with pytest.raises(TypeError, match="lambda"):
        registry["built"] = object()


def test_register_decorator_and_description():
    registry = Registry("metric")

    @registry.register("pearson", description="Pearson correlation")
    def make():
        return "metric"

    assert registry.describe() == {"pearson": "Pearson correlation"}
    assert registry.load("pearson") == "metric"


def test_close_matches_prefers_case_insensitive_hits():
    assert close_matches("ALEXNET", ["alexnet", "resnet18", "alexnet_untrained"])[:2] == [
        "alexnet",
        "alexnet_untrained",
    ]


# --- one vocabulary: the registry knows its kind ---------------------------------------------------------------
@pytest.mark.parametrize("name", list(REGISTRIES))
def test_each_registry_knows_its_names_and_they_exist(name: str) -> None:
    import brainscore_core

    registry = REGISTRIES[name]
    assert registry.cli_name == name == registry.listing
    assert getattr(brainscore_core, registry.variable) is registry
    assert callable(getattr(brainscore_core, registry.loader))
    assert registry.plural != registry.kind
    assert registry.folder in (None, name)


def test_the_kind_names_read_as_english() -> None:
    assert [(r.kind, r.plural) for r in REGISTRIES.values()] == [
        ("model", "models"),
        ("benchmark", "benchmarks"),
        ("metric", "metrics"),
        ("ceiling", "ceilings"),
        ("dataset", "datasets"),
        ("stimulus set", "stimulus sets"),
    ]
    assert [r.loader for r in REGISTRIES.values()][-2:] == ["load_dataset", "load_stimulus_set"]


def test_a_non_callable_factory_names_the_real_registry_variable() -> None:
    with pytest.raises(TypeError, match=r"^data_registry\['x'\] must be a zero-argument callable"):
        Registry("dataset", cli_name="data", variable="data_registry")["x"] = 3
    with pytest.raises(TypeError, match=r"^stimulus_set_registry\['x'\]"):
        Registry("stimulus set")["x"] = 3


def test_an_unknown_identifier_names_the_cli_list_command_of_its_kind() -> None:
    registry = Registry("stimulus set")
    with pytest.raises(UnknownIdentifierError, match="run `brainscore list stimulus_sets` to see them all"):
        registry.load("zzzz")


def test_the_notes_provider_explains_a_failed_lookup() -> None:
    registry = Registry("model")
    registry["alexnet"] = lambda: "a"
    registry.set_notes_provider(lambda: LookupNotes(plugin_directory_given=False, missing="No dir.", failed="Broke."))
    message = str(registry._unknown("zzzz"))
    assert message.endswith("to see them all. Broke. No dir.")
    # without a plugin directory only likely typos are suggested, and then the missing-directory note is left out
    assert str(registry._unknown("alexnt")).endswith("Did you mean: 'alexnet'? Broke.")
    registry.set_notes_provider(None)
    assert str(registry._unknown("zzzz")).endswith("run `brainscore list models` to see them all.")


# --- one selection: Registry.select ---------------------------------------------------------------------------
def _registry(*identifiers: str) -> Registry[str]:
    registry: Registry[str] = Registry("model")
    for identifier in identifiers:
        registry[identifier] = lambda identifier=identifier: identifier
    return registry


def test_select_keeps_the_pattern_order_and_drops_repeats() -> None:
    registry = _registry("alexnet", "resnet18", "resnet50", "vgg16")
    assert registry.select(["vgg16", "resnet*", "alexnet", "resnet18", "vgg?6"]) == [
        "vgg16",
        "resnet18",
        "resnet50",
        "alexnet",
    ]
    assert registry.select([]) == []
    assert registry.select(["[av]*"]) == ["alexnet", "vgg16"]


def test_select_is_case_sensitive_for_identifiers_and_globs() -> None:
    registry = _registry("AlexNet", "alexnet")
    assert registry.select(["Alex*"]) == ["AlexNet"]
    assert registry.select(["alex*"]) == ["alexnet"]
    with pytest.raises(UnknownIdentifierError):
        registry.select(["ALEXNET"])


def test_select_prefers_an_exact_identifier_that_contains_glob_characters() -> None:
    registry = _registry("net[1]", "net1")
    assert registry.select(["net[1]"]) == ["net[1]"]


def test_select_an_unknown_identifier_raises_with_suggestions() -> None:
    registry = _registry("alexnet", "resnet18")
    with pytest.raises(UnknownIdentifierError) as error:
        registry.select(["alexnet", "resnet19"])
    assert error.value.identifier == "resnet19" and not error.value.pattern
    assert str(error.value).startswith("Unknown model identifier 'resnet19'. Did you mean: 'resnet18'")


def test_select_a_glob_matching_nothing_says_so_clearly() -> None:
    registry = _registry("alexnet", "resnet18")
    with pytest.raises(UnknownIdentifierError) as error:
        registry.select(["resnt*"])
    assert error.value.pattern and error.value.suggestions[0] == "resnet18"
    assert str(error.value).startswith("No registered model identifier matches the pattern 'resnt*'. Did you mean")


# --- one lazy-registration helper -------------------------------------------------------------------------------
def test_lazy_imports_the_module_only_when_called(tmp_path, monkeypatch) -> None:
    source = "class Thing:\n    def __init__(self, *a, **k):\n        self.a, self.k = a, k\n"
    (tmp_path / "lazy_target_mod.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "lazy_target_mod", raising=False)
    factory = lazy("lazy_target_mod", "Thing", 1, size=lazy("lazy_target_mod", "Thing", 2))
    assert "lazy_target_mod" not in sys.modules
    built = factory()
    assert built.a == (1,) and built.k["size"].a == (2,)  # a lazy argument is built first
    assert factory() is not built  # each call builds anew, as a lambda would
    assert repr(factory) == "lazy('lazy_target_mod', 'Thing', 1, size=lazy('lazy_target_mod', 'Thing', 2))"


def test_lazy_resolves_a_relative_module_against_the_caller_package() -> None:
    import example_plugins.metrics.rdm_euclidean as plugin

    factory = metric_registry["rdm_euclidean"]
    assert isinstance(factory, Lazy) and factory.module == f"{plugin.__name__}.metric"
    assert type(factory()).__name__ == "EuclideanRDM"


def test_the_builtin_registrations_defer_their_imports() -> None:
    lazies = [metric_registry[i] for i in ("pls", "ridge", "rdm", "cka", "i2n")] + [ceiling_registry["rsa_ceiling"]]
    assert all(isinstance(factory, Lazy) for factory in lazies)
    assert type(metric_registry["pls"]()).__name__ == "CrossValidatedPredictivity"
    assert metric_registry["pls"]().identifier == "pls"


def test_importing_the_registry_does_not_import_plugin_discovery() -> None:
    """registry.py knows nothing of discovery: importing it (and a failed lookup) leaves plugins unimported."""
    code = textwrap.dedent(
        f"""
        import sys, types
        parent = types.ModuleType("brainscore_core")
        parent.__path__ = [{str(Path(registry_module.__file__).parent)!r}]
        sys.modules["brainscore_core"] = parent
        import brainscore_core.registry as r
        assert "brainscore_core.plugins" not in sys.modules, "importing registry imported plugins"
        try:
            r.model_registry.load("zzzz")
        except r.UnknownIdentifierError as error:
            print(error)
        assert "brainscore_core.plugins" not in sys.modules, "a failed lookup imported plugins"
        print(sorted(m for m in sys.modules if m.startswith("brainscore_core")))
        """
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert "Unknown model identifier 'zzzz'" in completed.stdout
    assert "brainscore_core.plugins" not in completed.stdout
