"""Brain-Score's own test markers, so that the ``test.py`` of a Brain-Score plugin folder runs unchanged.

Brain-Score marks its plugin tests with ``private_access``, ``travis_slow``, ``memory_intense``, ``slow`` and
``requires_gpu``. :mod:`.resources` registers the last three (they mean the same here); this module registers the
other two, so the files collect under ``--strict-markers``, and decides what happens to them:

- ``private_access`` is always skipped: the test needs Brain-Score's access-controlled data, which this plugin
  cannot fetch. The reason names the benchmarks the test asks for (its parameters and its ``score(...)`` calls).
- ``travis_slow`` marks what Brain-Score's CI runs in its slow job; here it runs (deselect with ``-m``).
- A Brain-Score-style test (its module imports ``brainscore_vision``) that asks for a benchmark nobody registered
  is skipped, not failed, with a reason that names the benchmark and says how to provide it.
"""

from __future__ import annotations

import ast
import inspect
import sys
import textwrap
from collections.abc import Iterator

import pytest

__all__ = [
    "MARKER_LINES",
    "BrainscoreMarkersPlugin",
    "benchmarks_named_by",
    "is_brainscore_style",
    "private_access_reason",
    "skip_private_access",
    "unprovided_benchmark_reason",
]

MARKER_LINES = (
    (
        "private_access: a Brain-Score test that needs Brain-Score's access-controlled (private) data; always "
        "skipped by pytest-brainscore, which cannot fetch it."
    ),
    "travis_slow: a test Brain-Score's CI runs only in its slow job; runs here, deselect with -m 'not travis_slow'.",
)

#: Keyword names under which Brain-Score tests pass a benchmark identifier.
_BENCHMARK_KEYWORDS = ("benchmark_identifier", "benchmark")


def _string_arguments(call: ast.Call) -> Iterator[str]:
    """The literal benchmark identifiers of a ``score(model, benchmark)`` / ``load_benchmark(x)`` call."""
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    positional = {"score": 1, "load_benchmark": 0}.get(name)
    if positional is None:
        return
    if len(call.args) > positional:
        argument = call.args[positional]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            yield argument.value
    for keyword in call.keywords:
        value = keyword.value
        if keyword.arg in _BENCHMARK_KEYWORDS and isinstance(value, ast.Constant) and isinstance(value.value, str):
            yield value.value


def benchmarks_named_by(item: pytest.Item) -> list[str]:
    """Benchmark identifiers ``item`` asks for: string parameters named like a benchmark argument, and literal
    identifiers in the ``score(...)`` / ``load_benchmark(...)`` calls of its function's source."""
    found: list[str] = []
    callspec = getattr(item, "callspec", None)
    if callspec is not None:
        for name, value in callspec.params.items():
            if isinstance(value, str) and "benchmark" in name.lower():
                found.append(value)
    function = getattr(item, "function", None)
    if function is not None:
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
        except (OSError, TypeError, SyntaxError):
            tree = None
        if tree is not None:
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    found += list(_string_arguments(node))
    return list(dict.fromkeys(found))


def private_access_reason(item: pytest.Item) -> str:
    """Why a ``private_access`` test is skipped, naming the private data it asks for when the source says."""
    named = benchmarks_named_by(item)
    what = f" (benchmark {', '.join(named)})" if named else ""
    return (
        f"private_access: needs Brain-Score's access-controlled data{what}, which pytest-brainscore cannot fetch; "
        "run it in Brain-Score itself, or register a benchmark plugin with that identifier and drop the marker"
    )


def skip_private_access(item: pytest.Item) -> None:
    """Skip ``item`` if it is marked ``private_access``."""
    if item.get_closest_marker("private_access") is not None:
        pytest.skip(private_access_reason(item))


def is_brainscore_style(item: pytest.Item) -> bool:
    """Whether ``item``'s module is written against Brain-Score's API (it imports ``brainscore_vision``)."""
    module = getattr(item, "module", None)
    return module is not None and any(
        getattr(value, "__name__", "").split(".")[0] == "brainscore_vision"
        or getattr(value, "__module__", "") == "brainscore_vision"
        or str(getattr(value, "__module__", "")).startswith("brainscore_vision.")
        for value in vars(module).values()
    )


def unprovided_benchmark_reason(item: pytest.Item, error: BaseException) -> str | None:
    """The skip reason when a Brain-Score-style test asked for a benchmark nobody registered, else None."""
    from brainscore_core.errors import UnknownIdentifierError  # imported only once such a test has failed

    if not isinstance(error, UnknownIdentifierError) or error.kind != "benchmark" or error.pattern:
        return None
    if not is_brainscore_style(item):
        return None
    close = f" (registered benchmarks close to it: {', '.join(error.suggestions)})" if error.suggestions else ""
    return (
        f"needs the Brain-Score benchmark {error.identifier!r}, which pytest-brainscore does not provide{close}; "
        "register a benchmark plugin with that identifier (--brainscore-plugins=DIR) to run this test"
    )


class BrainscoreMarkersPlugin:
    """The pytest hooks of Brain-Score's markers: skip ``private_access``, skip an unprovided benchmark."""

    NAME = "brainscore-markers"

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        skip_private_access(item)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Iterator[None]:
        try:
            return (yield)
        except Exception as error:
            reason = unprovided_benchmark_reason(item, error) if _core_imported() else None
            if reason is None:
                raise
            pytest.skip(reason)


def _core_imported() -> bool:
    return "brainscore_core.errors" in sys.modules
