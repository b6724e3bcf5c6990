"""pytest11 entry point of pytest-brainscore: wires the feature modules, each of which owns its options, its
plugin object, its part of the summary and its files (as pytest's ``cacheprovider`` and ``junitxml`` do).

=================  ==============================================================================================
feature            module
=================  ==============================================================================================
selection, marker  :mod:`~pytest_brainscore.marker` (``--brainscore-model/-benchmark``), :mod:`.items`, :mod:`.listing`
scoring, fixtures  :mod:`~pytest_brainscore.session` (plugins, cache, device), :mod:`.fixtures`, :mod:`.resources`
gate               :mod:`~pytest_brainscore.gate` (``--brainscore-min-score``), :mod:`.records`
baseline           :mod:`~pytest_brainscore.baselines` (``BaselinePlugin``, the baseline file)
report             :mod:`~pytest_brainscore.reporting` (``ReportPlugin``, the JSON file)
views              :mod:`~pytest_brainscore.views` (``ViewsPlugin``: HTML report, Markdown summary, job summary)
pytest-html        :mod:`~pytest_brainscore.htmlextras` (each test's numbers and plot, only with pytest-html)
summary, xdist     :mod:`~pytest_brainscore.controller` (``BrainscoreController``; records cross xdist as dicts)
xdist scheduling   :mod:`~pytest_brainscore.grouping` (``--dist loadgroup``: one model's tests on one worker)
pytest-benchmark   :mod:`~pytest_brainscore.coexistence`
shards             :mod:`~pytest_brainscore.sharding` (``--brainscore-shard``); ``brainscore merge``: :mod:`.merging`
=================  ==============================================================================================

Importing this module (and so every pytest run) stays light: brainscore_core, xarray and torch are imported
only once a test, an option or ``--brainscore-list`` needs them.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from . import (
    _threads,
    baselines,
    brainscore_markers,
    coexistence,
    compat,
    controller,
    gate,
    grouping,
    htmlextras,
    listing,
    marker,
    plugin_dirs,
    reporting,
    resources,
    session,
    sharding,
    views,
)
from .controller import BrainscoreController, RecordBook
from .fixtures import (
    benchmark,
    brain_model,
    brainscore_benchmark,
    brainscore_case,
    brainscore_result,
    brainscore_score,
)
from .items import BrainscoreItem, generated_items, uses_plugin
from .options import BrainscoreOptions, add_options, resolve_options
from .session import BrainscoreSession, is_incompatible, session_key

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
# Brain-Score plugins' `from brainscore_vision import ...` resolves to our compatibility layer (never shadowing a
# real brainscore_vision); the finder module is light and loaded without importing brainscore_core.
compat.install_finder()

CONTROLLER_NAME = controller.NAME
PYTEST_BENCHMARK = "benchmark"  #: pytest-benchmark's plugin name
#: Every feature's options, in the order of ``pytest --help``.
OPTIONS = (
    *marker.OPTIONS,
    *gate.OPTIONS,
    *session.OPTIONS,
    *plugin_dirs.OPTIONS,
    *listing.OPTIONS,
    *baselines.OPTIONS,
    *reporting.OPTIONS,
    *sharding.OPTIONS,
    *views.OPTIONS,
)


def _session(config: pytest.Config) -> BrainscoreSession:
    return config.stash[session_key]


def is_controller(config: pytest.Config) -> bool:
    """Whether this process reports: not a pytest-xdist worker (a worker has ``config.workerinput``)."""
    return not hasattr(config, "workerinput")


def resolve(config: pytest.Config) -> BrainscoreOptions:
    """The session's options, each feature having checked its own."""
    options = resolve_options(config)
    gate.check_options(options)
    baselines.check_options(options)
    sharding.check_options(options)
    return options


def _register(config: pytest.Config, plugin: object, name: str) -> None:
    """Register a plugin object for this session; pytest unregisters it when it cleans up ``config``."""
    config.pluginmanager.register(plugin, name)
    config.add_cleanup(lambda: config.pluginmanager.unregister(plugin))


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser, OPTIONS)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> int | None:
    if config.option.help or not (config.getoption("brainscore_list") or config.getini("brainscore_list")):
        return None  # --help wins, as it does over --cache-show
    options = resolve(config)
    plugin_dirs.configure(config)
    return listing.list_and_exit(config, options)


def pytest_configure(config: pytest.Config) -> None:
    for line in (*resources.MARKER_LINES, *brainscore_markers.MARKER_LINES):
        config.addinivalue_line("markers", line)
    _register(config, brainscore_markers.BrainscoreMarkersPlugin(), brainscore_markers.BrainscoreMarkersPlugin.NAME)
    options = resolve(config)
    plugin_dirs.configure(config)
    baseline = baselines.load_for_session(options)
    brainscore = BrainscoreSession(options, baseline)
    config.stash[session_key] = brainscore
    config.add_cleanup(brainscore.close)
    _register(config, plugin_dirs.PluginDirsPlugin(brainscore.core), plugin_dirs.PluginDirsPlugin.NAME)
    shard = None
    if options.shard or options.skip_done:  # every process deselects the same items
        shard = sharding.ShardPlugin(
            options, lambda benchmark: getattr(brainscore.benchmark(benchmark), "version", None)
        )
        _register(config, shard, sharding.PLUGIN_NAME)
    if is_controller(config):  # an xdist worker leaves the summary, the baseline file and the report to it
        _configure_controller(config, options, baseline is not None, shard)
    else:  # each xdist worker gets its share of the cores for torch and BLAS threads
        workers = config.workerinput.get("workercount")  # type: ignore[attr-defined]
        if workers:
            _threads.limit_threads(int(workers))
    pytest_html = config.pluginmanager.get_plugin(htmlextras.PYTEST_HTML)
    if pytest_html is not None:  # each test's row in pytest-html's report gets its pairs' numbers and plot
        _register(config, htmlextras.PytestHtmlExtras(pytest_html), htmlextras.PLUGIN_NAME)
    pytest_benchmark = config.pluginmanager.get_plugin(PYTEST_BENCHMARK)
    if pytest_benchmark is not None:  # its `benchmark` fixture and ours (or a test module's), each to its tests
        for name, shield in coexistence.shield_plugins(pytest_benchmark).items():
            _register(config, shield, name)


def _configure_controller(
    config: pytest.Config, options: BrainscoreOptions, uses_baseline: bool, shard: sharding.ShardPlugin | None
) -> None:
    book = RecordBook()
    parts: list[controller.SummaryPart] = []
    baseline_plugin = None
    if uses_baseline:
        baseline_plugin = baselines.BaselinePlugin(options, book.records)
        _register(config, baseline_plugin, baselines.PLUGIN_NAME)
        parts.append(baseline_plugin)
    if options.report is not None:
        report_plugin = reporting.ReportPlugin(options.report, options, book, baseline_plugin)
        if shard is not None:
            report_plugin.sections.append(shard.report_section)
        _register(config, report_plugin, reporting.PLUGIN_NAME)
        parts.append(report_plugin)
    if shard is not None:
        parts.append(shard)
    views_plugin = views.configure(config, options, book, baseline_plugin)
    if views_plugin is not None:
        _register(config, views_plugin, views.PLUGIN_NAME)
        parts.append(views_plugin)
    _register(config, BrainscoreController(book, parts), CONTROLLER_NAME)
    if config.pluginmanager.hasplugin("xdist"):  # --dist loadgroup: one model's tests on one worker
        _register(config, grouping.GroupingPlugin(lambda: _session(config).registry("model")), grouping.PLUGIN_NAME)


def pytest_report_header(config: pytest.Config) -> list[str]:
    options = _session(config).options
    return [options.describe(), *compat.header_lines(), *plugin_dirs.header_lines(config, options)]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marker.parametrize(metafunc, _session(metafunc.config))


@pytest.hookimpl(tryfirst=True)  # before -k/-m deselection, so that generated items can be deselected too
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    brainscore = _session(config)
    if brainscore.options.selection_on_command_line and not any(uses_plugin(item) for item in items):
        shard = config.pluginmanager.get_plugin(sharding.PLUGIN_NAME)
        items.extend(generated_items(session, brainscore, shard.keep_generated if shard is not None else None))


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker.raise_deferred_error(item, _session(item.config))  # a wrong selection fails its own test only
    resources.skip_without_gpu(item, _session(item.config).options)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
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
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    # Records go on the report that ends the test: the call, or a setup that did not pass.
    if gate.has_records(item) and (report.when != "setup" or report.outcome != "passed"):
        records = gate.take_records(item)
        if records:
            controller.attach_records(report, records)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_report_to_serializable(
    config: pytest.Config, report: pytest.CollectReport | pytest.TestReport
) -> Generator[None, dict[str, Any] | None, dict[str, Any] | None]:
    data = yield  # pytest's own serialisation copies the report's attributes, our records among them
    if data is not None:
        controller.records_to_serializable(data)
    return data


@pytest.hookimpl(wrapper=True)
def pytest_report_from_serializable(
    config: pytest.Config, data: dict[str, Any]
) -> Generator[None, pytest.CollectReport | pytest.TestReport | None, pytest.CollectReport | pytest.TestReport | None]:
    report = yield
    if report is not None:
        controller.records_from_serializable(report)
    return report
