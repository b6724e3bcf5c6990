"""One selection mechanism: `brainscore demo`, `pytest --brainscore-list` and the pytest plugin's patterns all go
through Registry.select (exact identifiers or case-sensitive globs, order kept, repeats dropped)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from _pytest._io import TerminalWriter  # what the listing writes with (pytest's own terminal writer)

from brainscore_core.cli.demo import select_identifiers
from brainscore_core.errors import UnknownIdentifierError
from brainscore_core.plugins import add_plugin_directories
from brainscore_core.registry import model_registry
from pytest_brainscore.listing import print_listing
from pytest_brainscore.options import BrainscoreOptions
from pytest_brainscore.session import BrainscoreSession, SelectionError

PLUGIN = '''
"""Selection test models."""
from brainscore_core import model_registry

for name in ("sel_alpha", "sel_beta", "sel_Gamma"):
    model_registry[name] = lambda name=name: name
'''


@pytest.fixture
def selection_models(tmp_path: Path, plugin_host) -> Path:
    folder = tmp_path / "models" / "selection_models"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text(PLUGIN)
    add_plugin_directories(tmp_path)
    return tmp_path


def test_demo_selects_through_the_registry(selection_models) -> None:
    assert select_identifiers(model_registry, ["sel_b*", "sel_*", "sel_beta"]) == ["sel_beta", "sel_Gamma", "sel_alpha"]
    assert select_identifiers(model_registry, None) == list(model_registry)
    with pytest.raises(UnknownIdentifierError, match=r"^No registered model identifier matches the pattern 'sel_g\*'"):
        select_identifiers(model_registry, ["sel_g*"])  # case-sensitive, as everywhere


def test_the_pytest_session_selects_through_the_registry_with_its_own_message(selection_models) -> None:
    session = BrainscoreSession(BrainscoreOptions())
    assert session.expand("model", ["sel_beta", "sel_*"], "ctx") == ["sel_beta", "sel_Gamma", "sel_alpha"]
    with pytest.raises(SelectionError) as error:
        session.expand("model", ["sel_G*", "sel_alpah"], "--brainscore-model")
    assert str(error.value).startswith(
        "--brainscore-model: no registered model matches the identifier 'sel_alpah'. Close identifiers: sel_alpha"
    )
    assert str(error.value).endswith("Run `pytest --brainscore-list` to see them all.")
    with pytest.raises(SelectionError, match="no registered model matches the pattern 'SEL_\\*'"):
        session.expand("model", ["SEL_*"], "ctx")


def test_brainscore_list_filters_by_the_same_selection(selection_models) -> None:
    out = io.StringIO()
    print_listing(
        BrainscoreSession(BrainscoreOptions(models=("sel_beta", "sel_a*"), benchmarks=())), TerminalWriter(out)
    )
    assert out.getvalue().startswith("Models (2):\n  sel_alpha  Selection test models.\n  sel_beta   Selection")
    with pytest.raises(UnknownIdentifierError, match="'sel_zeta'"):
        print_listing(BrainscoreSession(BrainscoreOptions(models=("sel_zeta",))), TerminalWriter(io.StringIO()))
