"""The ``brainscore`` marker: strict validation at collection, and parametrization over (model, benchmark) pairs.

``@pytest.mark.brainscore(model=..., benchmark=..., min_score=None, max_score=None, min_raw=None, tolerance=None)``:
``model`` and ``benchmark`` each take an identifier, a list, or glob patterns; a missing one comes from
``--brainscore-model`` / ``--brainscore-benchmark`` (or their ini keys). ``tolerance`` (a ceiled-scale drop in
[0, 1]) replaces ``--brainscore-tolerance`` for the marked test's baseline comparisons. A test that uses the
``brain_model``, ``benchmark`` or ``brainscore_result`` fixture without the marker is parametrized from those options
alone.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from .coexistence import is_ours, route_benchmark_fixture
from .options import BrainscoreOptions, Option, split_identifiers
from .records import Thresholds
from .session import BrainscoreSession, SelectionError, is_brainscore_error

if TYPE_CHECKING:
    from _pytest.outcomes import Failed  # pytest.fail.Exception

__all__ = [
    "DEFAULT_RAW_RANGE",
    "MARKER",
    "OPTIONS",
    "PAIR_FIXTURES",
    "BrainscoreCase",
    "MarkerSpec",
    "case_of",
    "identifiers_for",
    "parametrize",
    "parse_marker",
    "raise_deferred_error",
]

#: The selection options, for tests whose marker names no model or benchmark (and for generated items).
OPTIONS = (
    Option("model", "list", "Model identifier(s) or glob(s) for tests whose marker names none (repeatable).", "ID"),
    Option("benchmark", "list", "Benchmark identifier(s) or glob(s), likewise (repeatable, comma lists).", "ID"),
)
MARKER = "brainscore"
MARKER_KWARGS = ("model", "benchmark", "min_score", "max_score", "min_raw", "tolerance")
#: The fixtures that need a (model, benchmark) pair from the marker or the command line.
PAIR_FIXTURES = ("brain_model", "benchmark", "brainscore_benchmark", "brainscore_result")
#: Requesting one of these makes a test a brainscore test even without the marker (``benchmark`` alone does not:
#: with pytest-benchmark installed, that name is pytest-benchmark's fixture for every other test).
_BRAINSCORE_ONLY_FIXTURES = ("brain_model", "brainscore_benchmark", "brainscore_result")
#: The range of raw scores unless a benchmark declares ``raw_range = (low, high)`` (checked only for ``min_raw``).
DEFAULT_RAW_RANGE = (-1.0, 1.0)
SCORE_RANGE = (0.0, 1.0)


@dataclass(frozen=True)
class MarkerSpec:
    """The validated keyword arguments of one ``brainscore`` marker."""

    models: tuple[str, ...] | None
    benchmarks: tuple[str, ...] | None
    thresholds: Thresholds
    tolerance: float | None = None


@dataclass(frozen=True)
class BrainscoreCase:
    """The parameter of one brainscore test: its pair, its thresholds, and whether it is gated.

    A gated case (a marker test or a generated item) is scored after its body passes, and fails on a
    threshold violation or a baseline regression.
    """

    model: str | None
    benchmark: str | None
    thresholds: Thresholds = Thresholds()
    gated: bool = False
    tolerance: float | None = None  #: the marker's baseline tolerance (None: --brainscore-tolerance)

    @property
    def id(self) -> str:
        return "-".join(part for part in (self.model, self.benchmark) if part)


def _usage_error(where: str, message: str) -> Failed:
    return pytest.fail.Exception(f"brainscore marker on {where}: {message}", pytrace=False)


def _identifiers(value: Any, name: str, where: str) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, (list, tuple)) or not values or not all(isinstance(v, str) and v for v in values):
        raise _usage_error(where, f"{name}= must be an identifier, a glob or a non-empty list of them, got {value!r}.")
    return split_identifiers(values)


def _number(value: Any, name: str, where: str, valid: tuple[float, float], what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise _usage_error(where, f"{name}= must be a number, got {value!r}.")
    low, high = valid
    if not low <= value <= high:
        raise _usage_error(where, f"{name}={value!r} is outside the range of {what} [{low:g}, {high:g}].")
    return float(value)


def parse_marker(mark: pytest.Mark, where: str) -> MarkerSpec:
    """Validate ``mark``'s arguments; any misuse is a collection-time usage error naming ``where``."""
    if mark.args:
        raise _usage_error(where, f"takes keyword arguments only ({', '.join(MARKER_KWARGS)}), got {mark.args!r}.")
    unknown = [name for name in mark.kwargs if name not in MARKER_KWARGS]
    if unknown:
        hints = [
            f"{name!r} (did you mean {close[0]!r}?)"
            if (close := difflib.get_close_matches(name, MARKER_KWARGS, 1))
            else repr(name)
            for name in unknown
        ]
        raise _usage_error(where, f"unknown keyword argument(s) {', '.join(hints)}; known: {', '.join(MARKER_KWARGS)}.")
    kwargs = mark.kwargs
    models = _identifiers(kwargs["model"], "model", where) if kwargs.get("model") is not None else None
    benchmarks = _identifiers(kwargs["benchmark"], "benchmark", where) if kwargs.get("benchmark") is not None else None
    thresholds = Thresholds(
        min_score=_number(kwargs.get("min_score"), "min_score", where, SCORE_RANGE, "ceiled scores"),
        max_score=_number(kwargs.get("max_score"), "max_score", where, SCORE_RANGE, "ceiled scores"),
        # checked against each benchmark's own range once the benchmarks are known
        min_raw=_number(kwargs.get("min_raw"), "min_raw", where, (float("-inf"), float("inf")), "numbers"),
    )
    _check_order(thresholds, where)
    tolerance = _number(kwargs.get("tolerance"), "tolerance", where, SCORE_RANGE, "ceiled-score drops")
    return MarkerSpec(models, benchmarks, thresholds, tolerance)


def _check_order(thresholds: Thresholds, where: str) -> None:
    low, high = thresholds.min_score, thresholds.max_score
    if low is not None and high is not None and low > high:
        raise _usage_error(where, f"min_score={low:g} is greater than max_score={high:g}.")


def _our_pair_fixtures(metafunc: pytest.Metafunc) -> list[str]:
    """The pair fixtures the test requests that are this plugin's (a project's own ``benchmark`` fixture is not)."""
    requested = [name for name in PAIR_FIXTURES if name in metafunc.fixturenames]
    definitions = getattr(metafunc, "_arg2fixturedefs", None)  # pytest keeps the resolved fixtures here
    if definitions is None:
        return requested
    return [name for name in requested if definitions.get(name) and is_ours(definitions[name][-1])]


def _raw_range(session: BrainscoreSession, benchmark: str) -> tuple[float, float]:
    """The benchmark's ``raw_range`` (on its registered factory, else on the built benchmark), else [-1, 1]."""
    factory = session.registry("benchmark").registration(benchmark).factory
    declared = getattr(factory, "raw_range", None) or getattr(session.benchmark(benchmark), "raw_range", None)
    low, high = declared or DEFAULT_RAW_RANGE
    return float(low), float(high)


def parametrize(metafunc: pytest.Metafunc, session: BrainscoreSession) -> None:
    """Parametrize a brainscore test over its pairs (``pytest_generate_tests``); other tests are left alone.

    A test whose selection fails (bad marker arguments, an identifier or pattern matching nothing, a plugin
    directory that cannot be read, a benchmark that cannot be built to check ``min_raw``) is not parametrized:
    its error is kept and raised when the test is set up (:func:`raise_deferred_error`), so it fails alone and
    every other test of the module still runs.
    """
    mark = metafunc.definition.get_closest_marker(MARKER)
    route_benchmark_fixture(metafunc, brainscore_test=mark is not None or _requests_brainscore_fixture(metafunc))
    fixtures = _our_pair_fixtures(metafunc)
    if mark is None and not fixtures:
        return
    where = metafunc.definition.nodeid
    try:
        cases = _cases(metafunc, session, mark, fixtures)
    except pytest.fail.Exception as error:  # our usage errors: one line, as they are
        session.defer_error(where, error)
    except Exception as error:  # noqa: BLE001 - kept for the test's set-up, never swallowed
        if is_brainscore_error(error):  # says what is wrong: one line naming the test
            session.defer_error(where, pytest.fail.Exception(f"{where}: {error}", pytrace=False))
        else:  # anything else is raised with its own traceback
            session.defer_error(where, error)
    else:
        metafunc.parametrize("brainscore_case", [_param(case, metafunc.config) for case in cases])


def raise_deferred_error(item: pytest.Item, session: BrainscoreSession) -> None:
    """Fail ``item`` at set-up with the error its definition's selection raised at collection, if any."""
    if not isinstance(item, pytest.Function) or item.parent is None:
        return
    session.raise_deferred_error(f"{item.parent.nodeid}::{item.originalname}")


def _requests_brainscore_fixture(metafunc: pytest.Metafunc) -> bool:
    return any(name in metafunc.fixturenames for name in _BRAINSCORE_ONLY_FIXTURES)


def _cases(
    metafunc: pytest.Metafunc, session: BrainscoreSession, mark: pytest.Mark | None, fixtures: list[str]
) -> list[BrainscoreCase]:
    """The test's cases; a wrong selection raises a ``pytest.fail`` exception with the message for the user."""
    where = metafunc.definition.nodeid
    spec = parse_marker(mark, where) if mark is not None else MarkerSpec(None, None, Thresholds())
    options: BrainscoreOptions = session.options
    gated = mark is not None
    wants_benchmark = {"brainscore_result", "benchmark", "brainscore_benchmark"} & set(fixtures)
    needs_model = gated or "brainscore_result" in fixtures or "brain_model" in fixtures
    needs_benchmark = gated or bool(wants_benchmark)
    model_patterns = spec.models or options.models
    benchmark_patterns = spec.benchmarks or options.benchmarks
    for needed, patterns, kind in (
        (needs_model, model_patterns, "model"),
        (needs_benchmark, benchmark_patterns, "benchmark"),
    ):
        if needed and not patterns:
            raise _usage_error(
                where,
                f"no {kind} selected: pass {kind}=... to @pytest.mark.brainscore, or --brainscore-{kind}=ID "
                f"(ini key brainscore_{kind}).",
            )
    try:
        models: list[str | None] = [*session.expand("model", model_patterns, where)] if needs_model else [None]
        benchmarks: list[str | None] = (
            [*session.expand("benchmark", benchmark_patterns, where)] if needs_benchmark else [None]
        )
    except SelectionError as error:
        raise pytest.fail.Exception(str(error), pytrace=False) from None
    thresholds = _effective_thresholds(spec.thresholds, options, where) if gated else Thresholds()
    if thresholds.min_raw is not None:
        for benchmark in filter(None, benchmarks):
            _number(thresholds.min_raw, "min_raw", where, _raw_range(session, benchmark), f"{benchmark}'s raw scores")
    return [
        BrainscoreCase(model, benchmark, thresholds, gated, spec.tolerance)
        for model in models
        for benchmark in benchmarks
    ]


def _param(case: BrainscoreCase, config: pytest.Config) -> Any:
    """The case as a parameter; with pytest-xdist, grouped so ``--dist loadgroup`` scores each pair on one worker."""
    if not config.pluginmanager.hasplugin("xdist"):
        return pytest.param(case, id=case.id)
    return pytest.param(case, id=case.id, marks=pytest.mark.xdist_group(f"brainscore:{case.id}"))


def _effective_thresholds(marked: Thresholds, options: BrainscoreOptions, where: str) -> Thresholds:
    """The marker's thresholds, with ``--brainscore-min-score`` filling in a missing ``min_score``."""
    if marked.min_score is not None or options.min_score is None:
        return marked
    thresholds = Thresholds(options.min_score, marked.max_score, marked.min_raw)
    if marked.max_score is not None and options.min_score > marked.max_score:
        raise _usage_error(
            where,
            f"--brainscore-min-score={options.min_score:g} is greater than the marker's "
            f"max_score={marked.max_score:g}; give the test its own min_score.",
        )
    return thresholds


def identifiers_for(session: BrainscoreSession, kind: str, patterns: Sequence[str], where: str) -> list[str]:
    """Expand ``patterns`` for ``where``, turning a miss into a usage error."""
    try:
        return session.expand(kind, patterns, where)
    except SelectionError as error:
        raise pytest.UsageError(str(error)) from None
    except Exception as error:
        if is_brainscore_error(error):  # e.g. a BRAINSCORE_PLUGINS_PATH entry that is not a directory
            raise pytest.UsageError(str(error)) from None
        raise


def case_of(item: pytest.Item) -> BrainscoreCase | None:
    """The brainscore case of ``item`` (a parametrized test or a generated item), else None."""
    case = getattr(item, "brainscore_case", None)
    if case is None and hasattr(item, "callspec"):
        case = item.callspec.params.get("brainscore_case")
    return case if isinstance(case, BrainscoreCase) else None
