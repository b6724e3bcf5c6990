"""Command-line options and ini keys, resolved once per session: command line > ini > default.

The mechanism only: each feature module declares its own options (``OPTIONS``, a tuple of :class:`Option`) and
checks its own combinations; ``plugin.py`` registers them all, in one order.

Every option ``--brainscore-<name>`` has an ini key ``brainscore_<name>`` (dashes become underscores). A
``brainscore`` marker's own keyword arguments take precedence over both (see :mod:`pytest_brainscore.marker`).
This module imports nothing heavy: resolving options must not slow down unrelated test suites.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest

__all__ = [
    "ALPHA_CORRECTIONS",
    "DEFAULT_ALPHA",
    "DEFAULT_TOLERANCE",
    "BrainscoreOptions",
    "Option",
    "add_options",
    "flag",
    "key",
    "resolve_options",
    "split_identifiers",
]

DEFAULT_TOLERANCE = 0.01
DEFAULT_ALPHA = 0.01
ALPHA_CORRECTIONS = ("none", "bonferroni")
_GROUP = "brainscore"


OptionKind = Literal["list", "paths", "path", "float", "string", "flag"]


@dataclass(frozen=True)
class Option:
    """One ``--brainscore-<name>`` option and its ini key, declared by the feature module that reads it."""

    name: str  #: the part after ``--brainscore-``
    kind: OptionKind
    help: str
    metavar: str | None = None

    @property
    def flag(self) -> str:
        return flag(self.name)

    @property
    def key(self) -> str:
        """Both the argparse destination and the ini key."""
        return key(self.name)


def flag(name: str) -> str:
    """``--brainscore-<name>``."""
    return f"--brainscore-{name}"


def key(name: str) -> str:
    """The argparse destination and ini key of ``--brainscore-<name>``: ``brainscore_<name>``."""
    return "brainscore_" + name.replace("-", "_")


_INI_TYPES: dict[OptionKind, Literal["linelist", "paths", "string"]] = {
    "list": "linelist",
    "paths": "paths",
    "path": "string",
    "float": "string",  # addini(type="float") exists only since pytest 8.4; the floor is pytest 8.0
    "string": "string",
}


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
    alpha: float = DEFAULT_ALPHA  #: one-sided level of the paired test, per pair
    alpha_correction: str = "none"  #: "none" or "bonferroni" (alpha / number of gated pairs)
    update_baseline: bool = False
    report: Path | None = None
    shard: str | None = None  #: ``K/N`` or ``auto`` (see :mod:`pytest_brainscore.sharding`)
    durations: Path | None = None
    skip_done: Path | None = None

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
            alpha = "" if self.alpha == DEFAULT_ALPHA else f", alpha {self.alpha:g}"
            correction = ", Bonferroni" if self.alpha_correction == "bonferroni" else ""
            update = ", update" if self.update_baseline else ""
            parts.append(f"baseline={self.baseline} (tolerance {self.tolerance:g}{alpha}{correction}{update})")
        if self.report:
            parts.append(f"report={self.report}")
        if self.shard:
            parts.append(f"shard={self.shard}")
        if self.skip_done:
            parts.append(f"skip-done={self.skip_done}")
        return "brainscore: " + ", ".join(parts)


def add_options(parser: pytest.Parser, options: Iterable[Option]) -> None:
    """Register the ``--brainscore-*`` options (each feature module's, in the order given) and their ini keys."""
    group = parser.getgroup(_GROUP, "model-brain alignment (pytest-brainscore)")
    for option in options:
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


def _float(config: pytest.Config, name: str) -> float | None:
    value, source = config.getoption(key(name)), flag(name)
    if value is None:
        value, source = config.getini(key(name)) or None, f"ini key {key(name)}"
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        raise pytest.UsageError(f"{source} must be a number, got {value!r}.") from None
    if math.isnan(number):
        raise pytest.UsageError(f"{source} must be a number, got {value!r}.")
    return number


def _path(config: pytest.Config, name: str) -> Path | None:
    value = config.getoption(key(name))
    if value is not None:
        return (config.invocation_params.dir / Path(value).expanduser()).resolve()
    value = config.getini(key(name))
    return (_ini_base(config) / Path(value).expanduser()).resolve() if value else None


def _flag(config: pytest.Config, name: str) -> bool:
    value = config.getoption(key(name))
    return bool(config.getini(key(name))) if value is None else bool(value)


def _string(config: pytest.Config, name: str) -> str | None:
    value = config.getoption(key(name)) or config.getini(key(name))
    return str(value) if value else None


def _list(config: pytest.Config, name: str) -> tuple[tuple[str, ...], bool]:
    value = config.getoption(key(name))
    if value is not None:
        return split_identifiers(value), True
    return split_identifiers(config.getini(key(name))), False


def _plugin_paths(config: pytest.Config, name: str) -> tuple[Path, ...]:
    value = config.getoption(key(name))
    if value is not None:
        parts = [p for v in value for p in re.split(rf"[,{re.escape(os.pathsep)}]", v) if p.strip()]
        paths = [(config.invocation_params.dir / Path(p.strip()).expanduser()).resolve() for p in parts]
        source = flag(name)
    else:
        paths = [Path(p).resolve() for p in config.getini(key(name))]
        source = f"ini key {key(name)}"
    for path in paths:
        if not path.is_dir():
            raise pytest.UsageError(f"{source}: plugin directory {path} does not exist or is not a directory.")
    return tuple(dict.fromkeys(paths))


def resolve_options(config: pytest.Config) -> BrainscoreOptions:
    """Read the options (command line > ini > default); a value that cannot be read raises :class:`pytest.UsageError`.

    Whether the values fit together is each feature's check (see ``plugin.resolve``).
    """
    models, models_on_cli = _list(config, "model")
    benchmarks, benchmarks_on_cli = _list(config, "benchmark")
    tolerance = _float(config, "tolerance")
    alpha = _float(config, "alpha")
    return BrainscoreOptions(
        models=models,
        benchmarks=benchmarks,
        selection_on_command_line=models_on_cli or benchmarks_on_cli,
        min_score=_float(config, "min-score"),
        plugins=_plugin_paths(config, "plugins"),
        cache_dir=_path(config, "cache-dir"),
        no_cache=_flag(config, "no-cache"),
        device=_string(config, "device"),
        list=_flag(config, "list"),
        baseline=_path(config, "baseline"),
        tolerance=DEFAULT_TOLERANCE if tolerance is None else tolerance,
        alpha=DEFAULT_ALPHA if alpha is None else alpha,
        alpha_correction=_string(config, "alpha-correction") or "none",
        update_baseline=_flag(config, "update-baseline"),
        report=_path(config, "report"),
        shard=_string(config, "shard"),
        durations=_path(config, "durations"),
        skip_done=_path(config, "skip-done"),
    )
