"""Per-session state: brainscore_core set-up, and models, benchmarks and scores built at most once.

brainscore_core (and with it xarray, and torch for real models) is imported on first use only, so a session
that never touches the plugin pays nothing for it.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

import pytest

from .options import BrainscoreOptions, Option

if TYPE_CHECKING:
    from brainscore_core import Score
    from brainscore_core.errors import UnknownIdentifierError

    from .baselines import Baseline

__all__ = [
    "OPTIONS",
    "BrainscoreSession",
    "SelectionError",
    "is_brainscore_error",
    "is_data_unavailable",
    "is_incompatible",
    "session_key",
]

#: The scoring options: where plugins and the cache are, and the device.
OPTIONS = (
    Option("plugins", "paths", "Extra Brain-Score plugin directories (models/, benchmarks/, ...) to discover.", "DIR"),
    Option("cache-dir", "path", "Root of the on-disk cache (activations, ceilings); default $BRAINSCORE_HOME.", "DIR"),
    Option("no-cache", "flag", "Neither read nor write the on-disk cache."),
    Option("device", "string", "Torch device for models, e.g. cpu or cuda:0 (default: CUDA when present).", "DEVICE"),
)


class SelectionError(Exception):
    """An identifier or pattern matches no registered model or benchmark."""


class BrainscoreSession:
    """What one pytest process (the controller or an xdist worker) knows about models, benchmarks and scores."""

    def __init__(self, options: BrainscoreOptions, baseline: Baseline | None = None) -> None:
        self.options = options
        self.baseline = baseline  #: the committed scores to compare with (None without --brainscore-baseline)
        self._core: Any = None
        self._settings = contextlib.ExitStack()  # the brainscore_core settings override, undone by close()
        self._models: dict[str, Any] = {}
        self._benchmarks: dict[str, Any] = {}
        self._scores: dict[tuple[str, str], Score] = {}
        self._failures: dict[tuple[str, str], _Raised] = {}  # what scoring a pair raised, re-raised to each test
        self._unavailable: dict[str, BaseException] = {}  # benchmark -> its data could not be had (not retried)
        self._deferred_errors: dict[str, _Raised] = {}  # definition node id -> the selection error

    # --- selection errors, raised when the test is set up ----------------------------------------------------
    def defer_error(self, definition: str, error: BaseException) -> None:
        """Keep the selection error of the test defined at node id ``definition`` for its set-up."""
        self._deferred_errors[definition] = _Raised(error)

    def raise_deferred_error(self, definition: str) -> None:
        """Raise the selection error kept for ``definition`` (with its original traceback), if any."""
        if definition in self._deferred_errors:
            self._deferred_errors[definition].reraise()

    # --- brainscore_core -------------------------------------------------------------------------------
    def core(self) -> Any:
        """The ``brainscore_core`` package, configured from the options on first call."""
        if self._core is None:
            import brainscore_core
            from brainscore_core.config import configure
            from brainscore_core.plugins import add_plugin_directories

            if self.options.plugins:
                add_plugin_directories(*self.options.plugins)
            changes: dict[str, Any] = {}
            if self.options.cache_dir is not None:
                changes["cache_dir"] = self.options.cache_dir
            if self.options.no_cache:
                changes["cache_enabled"] = False
            if self.options.device:
                changes["device"] = self.options.device
            if changes:
                self._settings.enter_context(configure(**changes))
            self._core = brainscore_core
        return self._core

    def close(self) -> None:
        """Restore the brainscore_core settings that were in force before the session (``config.add_cleanup``)."""
        self._settings.close()

    # --- identifiers -----------------------------------------------------------------------------------
    def registry(self, kind: str) -> Any:
        core = self.core()
        return core.model_registry if kind == "model" else core.benchmark_registry

    def expand(self, kind: str, patterns: Sequence[str], context: str) -> list[str]:
        """Registered ``kind`` identifiers matching ``patterns`` (identifiers or globs), in the given order.

        A pattern matching nothing raises :class:`SelectionError` naming ``context`` and the closest identifiers.
        """
        from brainscore_core.errors import UnknownIdentifierError

        try:
            return list(self.registry(kind).select(patterns))
        except UnknownIdentifierError as error:
            raise SelectionError(self._no_match_message(kind, error, context)) from None

    def _no_match_message(self, kind: str, error: UnknownIdentifierError, context: str) -> str:
        from brainscore_core.plugins import failed_plugins_note, missing_plugin_directory_note

        what = "pattern" if error.pattern else "identifier"
        message = f"{context}: no registered {kind} matches the {what} {error.identifier!r}."
        missing = missing_plugin_directory_note("--brainscore-plugins=DIR")
        if error.suggestions:
            message += " Close identifiers: " + ", ".join(error.suggestions) + "."
        elif missing:
            message += " " + missing
        message += " Run `pytest --brainscore-list` to see them all."
        note = failed_plugins_note()
        return f"{message} {note}" if note else message

    # --- objects, built once -----------------------------------------------------------------------------
    def model(self, identifier: str) -> Any:
        """The BrainModel registered as ``identifier``, built once per session."""
        if identifier not in self._models:
            self._models[identifier] = self.core().load_model(identifier)
        return self._models[identifier]

    def benchmark(self, identifier: str) -> Any:
        """The Benchmark registered as ``identifier``, built once per session."""
        if identifier in self._unavailable:
            raise self._unavailable[identifier]
        if identifier not in self._benchmarks:
            try:
                self._benchmarks[identifier] = self.core().load_benchmark(identifier)
            except Exception as error:
                if not is_data_unavailable(error):
                    raise
                self._unavailable[identifier] = _data_failure(f"benchmark {identifier!r}", error)
                raise self._unavailable[identifier] from None
        return self._benchmarks[identifier]

    def score(self, model: str, benchmark: str) -> Score:
        """The Score of ``model`` on ``benchmark``, computed once per session (errors are remembered too).

        An :class:`~brainscore_core.IncompatibleModelError` propagates; callers turn it into a skip.
        """
        key = (model, benchmark)
        if key not in self._scores and key not in self._failures:
            try:
                self._scores[key] = self.core().score(self.model(model), self.benchmark(benchmark))
            except Exception as error:  # noqa: BLE001 - re-raised below, to every test of the pair
                failure: BaseException = error
                if is_data_unavailable(error):  # fetched while scoring: one line, as at build time, and only once
                    self._unavailable.setdefault(benchmark, _data_failure(f"benchmark {benchmark!r}", error))
                    failure = _data_failure(f"{model} on {benchmark}", error)
                self._failures[key] = _Raised(failure)
        if key in self._failures:
            self._failures[key].reraise()
        return self._scores[key]


class _Raised:
    """An exception and the traceback it was first raised with, to raise again as it was.

    Raising the same exception object again would add this module's frames to its traceback each time, so the
    third test of a pair would show a longer traceback than the first.
    """

    def __init__(self, error: BaseException) -> None:
        self.error = error
        self.traceback: TracebackType | None = error.__traceback__

    def reraise(self) -> None:
        raise self.error.with_traceback(self.traceback)


def is_incompatible(error: BaseException) -> bool:
    """Whether ``error`` says that a model lacks what a benchmark needs (never imports brainscore_core)."""
    errors = sys.modules.get("brainscore_core.errors")
    return errors is not None and isinstance(error, errors.IncompatibleModelError)


def is_data_unavailable(error: BaseException) -> bool:
    """Whether ``error`` says that a benchmark's data could not be had (never imports brainscore_core)."""
    errors = sys.modules.get("brainscore_core.errors")
    return errors is not None and isinstance(error, errors.DataUnavailableError)


def _data_failure(what: str, error: BaseException) -> BaseException:
    """The test failure for data that could not be had: the error's message alone (it says what to do), no
    traceback; never a skip, so that a gate cannot pass by not running."""
    return pytest.fail.Exception(f"{what}: {type(error).__name__}: {error}", pytrace=False)


def is_brainscore_error(error: BaseException) -> bool:
    """Whether ``error`` is one of brainscore_core's own errors (never imports brainscore_core)."""
    errors = sys.modules.get("brainscore_core.errors")
    return errors is not None and isinstance(error, errors.BrainScoreError)


session_key = pytest.StashKey[BrainscoreSession]()
