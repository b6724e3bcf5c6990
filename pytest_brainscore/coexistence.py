"""Living next to pytest-benchmark, which defines a ``benchmark`` fixture too.

Both plugins' ``benchmark`` fixtures are visible to every test, and pytest would hand the same one to all of them.
:func:`route_benchmark_fixture` gives brainscore tests this plugin's fixture and every other test the other
plugin's. pytest-benchmark also checks, after each phase of every test, that the value called ``benchmark`` is
one of its own, and stops the whole session (INTERNALERROR) when it is not: for a brainscore test, and for a
test module's own ``benchmark`` fixture (the pattern of plugin ``test.py`` files). :func:`shield_plugins` hide
such a value from that check only (innermost, after the report is made) and put it back (outermost); tests that
use pytest-benchmark's fixture are left to it. Without pytest-benchmark nothing here changes anything.
"""

from __future__ import annotations

import sys
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

__all__ = ["is_ours", "route_benchmark_fixture", "shield_plugins"]

_FIXTURES_MODULE = "pytest_brainscore.fixtures"
_HIDDEN = pytest.StashKey[Any]()


def is_ours(definition: Any) -> bool:
    """Whether a fixture definition is one of this plugin's fixtures."""
    return getattr(definition.func, "__module__", None) == _FIXTURES_MODULE


def _is_projects_own(definition: Any) -> bool:
    """Whether a fixture definition is a project's own (a test module's or a conftest's), not a plugin's."""
    if getattr(definition, "baseid", ""):
        return True
    module = sys.modules.get(getattr(definition.func, "__module__", None) or "")
    return Path(getattr(module, "__file__", None) or "").name == "conftest.py"


def route_benchmark_fixture(metafunc: pytest.Metafunc, *, brainscore_test: bool) -> None:
    """Give the test the right ``benchmark`` fixture when another installed plugin defines one too.

    A brainscore test gets this plugin's, any other test the other plugin's. A project's own ``benchmark``
    fixture (in a conftest or a test module) wins as usual and is never touched.
    """
    definitions = getattr(metafunc, "_arg2fixturedefs", None)  # pytest keeps the resolved fixtures here
    if not definitions:
        return
    chain = definitions.get("benchmark")
    if not chain or "benchmark" not in metafunc.fixturenames or _is_projects_own(chain[-1]):
        return
    ours = tuple(definition for definition in chain if is_ours(definition))
    others = tuple(definition for definition in chain if not is_ours(definition))
    if ours and others:
        definitions["benchmark"] = (*others, *ours) if brainscore_test else others


def _foreign_benchmark_value(item: pytest.Function, owner: str) -> bool:
    """Whether ``item`` holds a ``benchmark`` value not made by the plugin module ``owner`` (pytest-benchmark)."""
    info = getattr(item, "_fixtureinfo", None)
    chain = info.name2fixturedefs.get("benchmark") if info is not None else None
    if not chain or "benchmark" not in getattr(item, "funcargs", {}):
        return False
    return getattr(chain[-1].func, "__module__", None) != owner


class _Hide:
    def __init__(self, owner: str) -> None:
        self.owner = owner

    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if isinstance(item, pytest.Function) and _foreign_benchmark_value(item, self.owner):
            item.stash[_HIDDEN] = item.funcargs.pop("benchmark")
        return report


class _Restore:
    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        try:
            return (yield)
        finally:
            if _HIDDEN in item.stash and isinstance(item, pytest.Function):
                item.funcargs["benchmark"] = item.stash[_HIDDEN]
                del item.stash[_HIDDEN]


def shield_plugins(pytest_benchmark: object | None = None) -> dict[str, object]:
    """The plugin objects to register (by name) when pytest-benchmark (its plugin module given) is active."""
    owner = getattr(pytest_benchmark, "__name__", "pytest_benchmark.plugin")
    return {"brainscore-benchmark-hide": _Hide(owner), "brainscore-benchmark-restore": _Restore()}
