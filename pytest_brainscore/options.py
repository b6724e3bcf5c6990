"""Command-line options and ini keys, resolved once per session: command line > ini > default.

Every option ``--brainscore-<name>`` has an ini key ``brainscore_<name>`` (dashes become underscores). A
``brainscore`` marker's own keyword arguments take precedence over both (see :mod:`pytest_brainscore.marker`).
This module imports nothing heavy: resolving options must not slow down unrelated test suites.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

__all__ = ["DEFAULT_TOLERANCE", "BrainscoreOptions", "add_options", "resolve_options", "split_identifiers"]

DEFAULT_TOLERANCE = 0.01
_GROUP = "brainscore"


@dataclass(frozen=True)
class _Option:
    name: str  #: the part after ``--brainscore-``
    kind: str  #: "list", "paths", "path", "float", "string" or "flag"
    help: str
    metavar: str | None = None

    @property
    def flag(self) -> str:
        return f"--brainscore-{self.name}"

    @property
    def key(self) -> str:
        """Both the argparse destination and the ini key."""
        return "brainscore_" + self.name.replace("-", "_")


_OPTIONS = (
    _Option("model", "list", "Model identifier(s) or glob(s) for tests whose marker names none (repeatable).", "ID"),
    _Option("benchmark", "list", "Benchmark identifier(s) or glob(s), likewise (repeatable, comma lists).", "ID"),
    _Option("min-score", "float", "Minimum ceiled score for generated items and markers without min_score.", "SCORE"),
    _Option("plugins", "paths", "Extra Brain-Score plugin directories (models/, benchmarks/, ...) to discover.", "DIR"),
    _Option("cache-dir", "path", "Root of the on-disk cache (activations, ceilings); default $BRAINSCORE_HOME.", "DIR"),
    _Option("no-cache", "flag", "Neither read nor write the on-disk cache."),
    _Option("device", "string", "Torch device for models, e.g. cpu or cuda:0 (default: CUDA when present).", "DEVICE"),
    _Option("list", "flag", "List the registered models and benchmarks (filtered by the selection), then exit."),
    _Option("baseline", "path", "JSON file of committed scores to compare with (the CI gate).", "PATH"),
    _Option(
        "tolerance",
        "float",
        f"Allowed drop below the baseline, absolute (default {DEFAULT_TOLERANCE}); widened to twice the combined "
        "error of the two measurements when that is larger.",
        "DELTA",
    ),
    _Option("update-baseline", "flag", "Merge this session's scores into the --brainscore-baseline file."),
    _Option("report", "path", "Write every score of the session, with versions, to this JSON file.", "PATH"),
)

_INI_TYPES = {"list": "linelist", "paths": "paths", "path": "string", "float": "string", "string": "string"}


@dataclass(frozen=True)
class BrainscoreOptions:
    """The plugin's configuration for one session, after command line > ini > default resolution."""

    models: tuple[str, ...] = ()  #: identifiers or glob patterns
    benchmarks: tuple[str, ...] = ()
    selection_on_command_line: bool = False  #: --brainscore-model or --brainscore-benchmark was given
    min_score: float | None = None
    plugins: tuple[Path, ...] = ()
    cache_dir: Path | None = None
    no_cache: bool = False
    device: str | None = None
    list: bool = False
    baseline: Path | None = None
    tolerance: float = DEFAULT_TOLERANCE
    update_baseline: bool = False
    report: Path | None = None

    def describe(self) -> str:
        """One line for the pytest header."""
        parts = []
        if self.models:
            parts.append("models=" + ",".join(self.models))
        if self.benchmarks:
            parts.append("benchmarks=" + ",".join(self.benchmarks))
        if self.min_score is not None:
            parts.append(f"min-score={self.min_score:g}")
        if self.plugins:
            parts.append("plugins=" + os.pathsep.join(str(p) for p in self.plugins))
        parts.append("cache=off" if self.no_cache else f"cache={self.cache_dir or 'default'}")
        parts.append(f"device={self.device or 'auto'}")
        if self.baseline:
            parts.append(
                f"baseline={self.baseline} (tolerance {self.tolerance:g}{', update' if self.update_baseline else ''})"
            )
        if self.report:
            parts.append(f"report={self.report}")
        return "brainscore: " + ", ".join(parts)


def add_options(parser: pytest.Parser) -> None:
    """Register every ``--brainscore-*`` option and its ini key."""
    group = parser.getgroup(_GROUP, "model-brain alignment (pytest-brainscore)")
    for option in _OPTIONS:
        if option.kind == "flag":
            group.addoption(option.flag, dest=option.key, action="store_true", default=None, help=option.help)
            parser.addini(option.key, option.help, type="bool", default=False)
            continue
        action = "append" if option.kind in ("list", "paths") else "store"
        group.addoption(
            option.flag, dest=option.key, action=action, default=None, metavar=option.metavar, help=option.help
        )
        parser.addini(option.key, option.help, type=_INI_TYPES[option.kind])


def split_identifiers(values: list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Flatten repeated, comma- or whitespace-separated identifier lists, keeping order, dropping repeats."""
    flat: list[str] = []
    for value in values or ():
        for part in re.split(r"[,\s]+", value.strip()):
            if part and part not in flat:
                flat.append(part)
    return tuple(flat)


def _ini_base(config: pytest.Config) -> Path:
    return config.inipath.parent if config.inipath else config.invocation_params.dir


def _float(config: pytest.Config, option: _Option) -> float | None:
    value, source = config.getoption(option.key), option.flag
    if value is None:
        value, source = config.getini(option.key) or None, f"ini key {option.key}"
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        raise pytest.UsageError(f"{source} must be a number, got {value!r}.") from None
    if math.isnan(number):
        raise pytest.UsageError(f"{source} must be a number, got {value!r}.")
    return number


def _path(config: pytest.Config, option: _Option) -> Path | None:
    value = config.getoption(option.key)
    if value is not None:
        return (config.invocation_params.dir / Path(value).expanduser()).resolve()
    value = config.getini(option.key)
    return (_ini_base(config) / Path(value).expanduser()).resolve() if value else None


def _flag(config: pytest.Config, option: _Option) -> bool:
    value = config.getoption(option.key)
    return bool(config.getini(option.key)) if value is None else bool(value)


def _list(config: pytest.Config, option: _Option) -> tuple[tuple[str, ...], bool]:
    value = config.getoption(option.key)
    if value is not None:
        return split_identifiers(value), True
    return split_identifiers(config.getini(option.key)), False


def _plugin_paths(config: pytest.Config, option: _Option) -> tuple[Path, ...]:
    value = config.getoption(option.key)
    if value is not None:
        parts = [p for v in value for p in re.split(rf"[,{re.escape(os.pathsep)}]", v) if p.strip()]
        paths = [(config.invocation_params.dir / Path(p.strip()).expanduser()).resolve() for p in parts]
        source = option.flag
    else:
        paths = [Path(p).resolve() for p in config.getini(option.key)]
        source = f"ini key {option.key}"
    for path in paths:
        if not path.is_dir():
            raise pytest.UsageError(f"{source}: plugin directory {path} does not exist or is not a directory.")
    return tuple(dict.fromkeys(paths))


def resolve_options(config: pytest.Config) -> BrainscoreOptions:
    """Read and validate the options; inconsistent ones raise :class:`pytest.UsageError`."""
    spec = {option.name: option for option in _OPTIONS}
    models, models_on_cli = _list(config, spec["model"])
    benchmarks, benchmarks_on_cli = _list(config, spec["benchmark"])
    device_value: Any = config.getoption(spec["device"].key) or config.getini(spec["device"].key) or None
    tolerance = _float(config, spec["tolerance"])
    options = BrainscoreOptions(
        models=models,
        benchmarks=benchmarks,
        selection_on_command_line=models_on_cli or benchmarks_on_cli,
        min_score=_float(config, spec["min-score"]),
        plugins=_plugin_paths(config, spec["plugins"]),
        cache_dir=_path(config, spec["cache-dir"]),
        no_cache=_flag(config, spec["no-cache"]),
        device=device_value,
        list=_flag(config, spec["list"]),
        baseline=_path(config, spec["baseline"]),
        tolerance=DEFAULT_TOLERANCE if tolerance is None else tolerance,
        update_baseline=_flag(config, spec["update-baseline"]),
        report=_path(config, spec["report"]),
    )
    _validate(options)
    return options


def _validate(options: BrainscoreOptions) -> None:
    if options.min_score is not None and not 0.0 <= options.min_score <= 1.0:
        raise pytest.UsageError(
            f"--brainscore-min-score={options.min_score:g} is outside the range of ceiled scores [0, 1]."
        )
    if options.tolerance < 0:
        raise pytest.UsageError(f"--brainscore-tolerance={options.tolerance:g} must be zero or positive.")
    if options.update_baseline and options.baseline is None:
        raise pytest.UsageError(
            "--brainscore-update-baseline needs a file to write: add --brainscore-baseline=PATH "
            "(or the ini key brainscore_baseline)."
        )
    if options.baseline is not None and not options.update_baseline and not options.baseline.is_file():
        raise pytest.UsageError(
            f"Baseline file {options.baseline} does not exist. Create it with "
            f"--brainscore-baseline={options.baseline} --brainscore-update-baseline."
        )
