"""pytest11 entry point of pytest-brainscore: the hooks, each delegating to the module that does the job.

Importing this module (and so every pytest run) stays light: brainscore_core, xarray and torch are imported
only once a test, an option or ``--brainscore-list`` needs them.
"""

from __future__ import annotations

import pytest

from . import coexistence, gate, listing, marker, options, resources
from .baselines import Baseline, BaselineError
from .controller import BrainscoreController
from .fixtures import (
    benchmark,
    brain_model,
    brainscore_benchmark,
    brainscore_case,
    brainscore_result,
    brainscore_score,
)
from .items import BrainscoreItem, generated_items, uses_plugin
from .reporting import attach_records
from .session import BrainscoreSession, is_brainscore_error, is_incompatible, session_key

__all__ = [
    "benchmark",
    "brain_model",
    "brainscore_benchmark",
    "brainscore_case",
    "brainscore_result",
    "brainscore_score",
]

# Plugin authors' test.py files check their plugins with brainscore_core.testing's helpers; rewritten like test
# modules, a failing helper check shows the compared values. This runs when pytest loads its plugins, before any
# conftest or test module can import the helpers (none of the imports above does); registering imports nothing.
pytest.register_assert_rewrite("brainscore_core.testing")

CONTROLLER_NAME = "brainscore-controller"
PYTEST_BENCHMARK = "benchmark"  #: pytest-benchmark's plugin name


def _session(config: pytest.Config) -> BrainscoreSession:
    return config.stash[session_key]


def pytest_addoption(parser: pytest.Parser) -> None:
    options.add_options(parser)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> int | None:
    if not (config.getoption("brainscore_list") or config.getini("brainscore_list")):
        return None
    session = BrainscoreSession(options.resolve_options(config))
    try:
        listing.print_listing(session)
    except Exception as error:
        if is_brainscore_error(error):  # e.g. a BRAINSCORE_PLUGINS_PATH entry that is not a directory
            raise pytest.UsageError(str(error)) from None
        raise
    finally:
        session.close()
    return 0


def pytest_configure(config: pytest.Config) -> None:
    for line in resources.MARKER_LINES:
        config.addinivalue_line("markers", line)
    resolved = options.resolve_options(config)
    baseline = None
    if resolved.baseline is not None and resolved.baseline.is_file():
        try:
            baseline = Baseline.load(resolved.baseline)
        except BaselineError as error:
            raise pytest.UsageError(str(error)) from None
    elif resolved.update_baseline:
        baseline = Baseline()
    config.stash[session_key] = BrainscoreSession(resolved, baseline)
    if not hasattr(config, "workerinput"):  # an xdist worker leaves reporting to the controller
        config.pluginmanager.register(BrainscoreController(resolved), CONTROLLER_NAME)
    pytest_benchmark = config.pluginmanager.get_plugin(PYTEST_BENCHMARK)
    if pytest_benchmark is not None:  # its `benchmark` fixture and ours (or a test module's), each to its tests
        for name, shield in coexistence.shield_plugins(pytest_benchmark).items():
            config.pluginmanager.register(shield, name)


def pytest_unconfigure(config: pytest.Config) -> None:
    if session_key in config.stash:
        config.stash[session_key].close()
    for name in (CONTROLLER_NAME, *coexistence.shield_plugins()):
        plugin = config.pluginmanager.get_plugin(name)
        if plugin is not None:
            config.pluginmanager.unregister(plugin)


def pytest_report_header(config: pytest.Config) -> str:
    return _session(config).options.describe()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marker.parametrize(metafunc, _session(metafunc.config))


@pytest.hookimpl(tryfirst=True)  # before -k/-m deselection, so that generated items can be deselected too
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    brainscore = _session(config)
    if brainscore.options.selection_on_command_line and not any(uses_plugin(item) for item in items):
        items.extend(generated_items(session, brainscore))


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker.raise_deferred_error(item, _session(item.config))  # a wrong selection fails its own test only
    resources.skip_without_gpu(item, _session(item.config).options)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    case = marker.case_of(item)
    if case is None and not gate.has_records(item) and "brainscore_score" not in getattr(item, "fixturenames", ()):
        return (yield)
    try:
        result = yield
    except Exception as error:  # the body ran the benchmark itself: an incompatible pair is a skip, not a failure
        if case is not None and case.model and case.benchmark and is_incompatible(error):
            raise gate.skip_incompatible(item, case.model, case.benchmark, error) from None
        raise
    if not isinstance(item, BrainscoreItem):  # generated items gate in their runtest
        gate.gate(item, case)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    # Records go on the report that ends the test: the call, or a setup that did not pass.
    if gate.has_records(item) and (report.when != "setup" or report.outcome != "passed"):
        records = gate.take_records(item)
        if records:
            attach_records(report, records)
    return report
