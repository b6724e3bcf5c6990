"""``brainscore check-plugin PATH``: the pre-flight a plugin author runs before sharing a plugin.

Each check reports in plain words what it found and, when it fails, how to fix it. The checks:

1. the path is a plugin folder (catches running from the wrong directory or pointing at a parent folder);
2. ``__init__.py`` imports, with relative imports for sibling modules;
3. it registers at least one identifier, and every registration written in the source actually executes;
4. ``test.py`` exists, compiles and loads only identifiers the plugin registers (or that are registered elsewhere);
5. ``requirements.txt``, if present, parses;
6. every registered object builds and answers its interface (models: the BrainModel interface, its own
   identifier, and layers that exist; benchmarks: identifier, version, parent, visual degrees;
   metrics/ceilings: callable; data and stimulus sets load, with every image file present);
7. every benchmark loads its data and stimuli (its ``stimuli``, its public properties and the zero-argument
   loaders it keeps), with every image file present.

Builds and loads run from an empty temporary directory, so a path relative to the current directory fails
here as it would for anyone else. A missing file gets a fix that names the right folder level.
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import functools
import inspect
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataUnavailableError, UnknownLayerError
from ..plugins._discovery import KINDS, default_host, ensure_discovered, import_plugin_folder
from ..plugins._inspection import (
    declared_requirements,
    imported_names,
    is_provided,
    passes_region_layer_map,
    weight_needs,
)
from ..plugins._layouts import BRAINSCORE_MODELS, is_brainscore_plugin
from ..plugins._offline import OfflineFactory, WeightsOfflineError
from ..registry import REGISTRIES, Registration
from ..supported_data_standards.brainio.s3 import WeightFileMissingError
from .building import factory_problem

__all__ = ["Check", "PluginReport", "check_plugin"]

#: ``model_registry`` -> ``models``: the registry names a plugin's source uses, by :attr:`Registry.cli_name`
_REGISTRY_NAMES = {registry.variable: name for name, registry in REGISTRIES.items()}
#: ``load_model`` -> ``models``: the loaders a plugin's ``test.py`` calls, by :attr:`Registry.cli_name`
_LOADERS = {registry.loader: name for name, registry in REGISTRIES.items()}


@dataclass
class Check:
    name: str
    ok: bool
    message: str
    fix: str = ""


@dataclass
class PluginReport:
    path: Path
    checks: list[Check] = field(default_factory=list)
    registered: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def add(self, name: str, ok: bool, message: str, fix: str = "") -> bool:
        self.checks.append(Check(name, ok, message, fix))
        return ok

    def render(self) -> str:
        lines = [f"Checking plugin {self.path}"]
        for check in self.checks:
            lines.append(f"  [{'PASS' if check.ok else 'FAIL'}] {check.name}: {check.message}")
            if not check.ok and check.fix:
                lines.append(f"         fix: {check.fix}")
        failed = sum(not c.ok for c in self.checks)
        lines.append("All checks passed." if not failed else f"{failed} check(s) failed.")
        return "\n".join(lines)


def _static_registrations(folder: Path) -> tuple[dict[str, set[str]], bool]:
    """Literal identifiers the source registers, per kind, and whether any registration uses a computed key."""
    claimed: dict[str, set[str]] = {}
    dynamic = False
    for source in sorted(folder.glob("*.py")):
        if source.name == "test.py":
            continue
        try:
            tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            key, registry = None, None
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                        registry, key = target.value.id, target.slice
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "register"
                and isinstance(node.func.value, ast.Name)
                and node.args
            ):
                registry, key = node.func.value.id, node.args[0]
            if registry not in _REGISTRY_NAMES or key is None:
                continue
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                claimed.setdefault(_REGISTRY_NAMES[registry], set()).add(key.value)
            else:
                dynamic = True
    return claimed, dynamic


def _test_loads(test_file: Path) -> dict[str, set[str]]:
    """Literal identifiers ``test.py`` loads with ``load_model('x')``, ``brainscore_core.load_model('x')`` and
    friends (a plugin's own ``loaders.load_stimulus_set('x')`` is not one of them)."""
    loads: dict[str, set[str]] = {}
    tree = ast.parse(test_file.read_text(encoding="utf-8"), filename=str(test_file))
    modules = {
        alias.asname or alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name.split(".")[0] in ("brainscore_core", "brainscore_vision")
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            if isinstance(node.func, ast.Attribute):
                owner = node.func.value
                name = node.func.attr if isinstance(owner, ast.Name) and owner.id in modules else None
            else:
                name = getattr(node.func, "id", None)
            if name in _LOADERS and isinstance(node.args[0].value, str):
                loads.setdefault(_LOADERS[name], set()).add(node.args[0].value)
    return loads


def _absolute_sibling_imports(folder: Path) -> list[str]:
    """Sibling modules imported absolutely (``from model import x``): works only when run from inside the folder."""
    siblings = {p.stem for p in folder.glob("*.py")} | {
        p.name for p in folder.iterdir() if (p / "__init__.py").is_file()
    }
    found: list[str] = []
    for source in sorted(folder.glob("*.py")):
        if source.name == "test.py":
            continue
        try:
            tree = ast.parse(source.read_text(encoding="utf-8"))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.level == 0
                and node.module
                and node.module.split(".")[0] in siblings
            ):
                found.append(f"{source.name}: from {node.module} import ...")
            elif isinstance(node, ast.Import):
                found += [f"{source.name}: import {a.name}" for a in node.names if a.name.split(".")[0] in siblings]
    return found


def _registrations_from(folder: Path) -> dict[str, list[Registration[Any]]]:
    prefix = str(folder) + os.sep
    found: dict[str, list[Registration[Any]]] = {}
    for kind, registry in REGISTRIES.items():
        for identifier in registry:
            registration = registry.registration(identifier)
            if registration.origin.startswith(prefix):
                found.setdefault(kind, []).append(registration)
    return found


def _locate(path: Path, report: PluginReport) -> Path | None:
    if not path.exists():
        hint = f"The path is resolved against the current directory {Path.cwd()}."
        nearby = [p for p in Path.cwd().rglob(path.name) if (p / "__init__.py").is_file()][:3] if path.name else []
        if nearby:
            hint += " Did you mean: " + ", ".join(str(p) for p in nearby) + "?"
        report.add("plugin folder", False, f"{path} does not exist.", hint)
        return None
    if not path.is_dir():
        report.add("plugin folder", False, f"{path} is a file.", "Give the folder that holds the plugin's __init__.py.")
        return None
    if not (path / "__init__.py").is_file():
        children = [p.name for p in path.iterdir() if (p / "__init__.py").is_file()]
        kinds = [k for k in KINDS if (path / k).is_dir()]
        if kinds or children:
            fix = "Point check-plugin at one plugin folder, e.g. " + str(path / (children[0] if children else kinds[0]))
        else:
            fix = "Create __init__.py that registers your identifiers, e.g. model_registry['my-model'] = lambda: ..."
        report.add("plugin folder", False, f"{path} has no __init__.py, so it is not a plugin folder.", fix)
        return None
    report.add("plugin folder", True, f"{path.name}/ has an __init__.py")
    return path


class _FactoryError(Exception):
    """A registered factory needs arguments or returned None."""


@contextlib.contextmanager
def _neutral_directory() -> Iterator[Path]:
    """Run the block from an empty temporary directory, so paths relative to the current directory fail here
    as they will for everyone who runs the plugin from elsewhere."""
    previous = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="brainscore-check-") as empty:
        os.chdir(empty)
        try:
            yield Path(empty).resolve()
        finally:
            os.chdir(previous)


_PATH_TOKEN = re.compile(r"[^\s'\"(),;]+")


def _mentioned_paths(error: BaseException) -> list[Path]:
    """File paths an error names: ``OSError.filename`` and path-like words of its message."""
    found: list[str] = []
    if isinstance(error, OSError) and error.filename:
        found.append(os.fspath(error.filename))
    for token in _PATH_TOKEN.findall(str(error)):
        token = token.rstrip(".:")
        if ("/" in token or os.sep in token or re.search(r"\.[A-Za-z0-9]{1,5}$", token)) and "://" not in token:
            found.append(token)
    unique: list[Path] = []
    for text in found:
        if Path(text) not in unique:
            unique.append(Path(text))
    return unique


def _missing_file_hint(path: Path, folder: Path, neutral: Path) -> str | None:
    """How to fix a path that does not exist, naming the right folder level; None if ``path`` exists."""
    if path.is_absolute() and path.is_relative_to(neutral):
        path = path.relative_to(neutral)  # resolved against the (empty) current directory
    if path.is_absolute() and path.exists():
        return None
    use = "paths must be relative to the plugin folder: use Path(__file__).parent / ..."
    given_relative = not path.is_absolute()
    if given_relative:
        if (folder / path).exists():
            return (
                f"{str(path)!r} is resolved against the current directory, not the plugin folder; {use}"
                f" (here Path(__file__).parent / {path.as_posix()!r})."
            )
        path = folder / path
    if path.parent.is_dir():
        close = difflib.get_close_matches(path.name, sorted(p.name for p in path.parent.iterdir()), n=3)
        if close:
            return f"{path.name!r} is not in {path.parent}; did you mean {', '.join(repr(c) for c in close)}?"
    found = [p for p in folder.rglob(path.name) if p != path][:1]
    if found:
        level = found[0].parent.relative_to(folder).as_posix()
        return (
            f"{path.name!r} is not at {path} but at {found[0]}: point the path at that folder level, "
            f"Path(__file__).parent / {level!r}; {use}"
        )
    if not given_relative and path.is_relative_to(folder):
        return f"{path} does not exist and no file named {path.name!r} is in the plugin folder {folder}; {use}"
    return None  # a file outside the plugin (e.g. downloaded weights): the error's own message says more


def _fix_hint(error: BaseException, folder: Path, neutral: Path) -> str | None:
    """A fix naming the right folder level for an error about a missing file, or None."""
    for path in _mentioned_paths(error):
        try:
            hint = _missing_file_hint(path, folder, neutral)
        except (OSError, ValueError):
            continue
        if hint is not None:
            return hint
    return None


def _describe(value: Any) -> str:
    if hasattr(value, "stimulus_ids"):
        return f"{len(value)} stimuli"
    sizes = getattr(value, "sizes", None)
    if sizes is not None:
        return " x ".join(f"{size} {dim}" for dim, size in dict(sizes).items()) or "a scalar"
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple):
        return f"{type(value).__name__} of shape {shape}"
    return type(value).__name__


def _is_loader(value: Any) -> bool:
    """A zero-argument loader stored on a benchmark (the lazy-loading convention of ``Benchmark``)."""
    plain = inspect.isfunction(value) or inspect.ismethod(value) or isinstance(value, functools.partial)
    return plain and factory_problem(value) is None


def _data_loads(benchmark: Any) -> Iterator[tuple[str, Callable[[], Any]]]:
    """``(name, load)`` for what a benchmark shows and compares with: its ``stimuli``, its other public
    properties (``ceiling`` excepted: computing it is not a check of the files) and the zero-argument loaders
    left on the instance (also inside dicts, e.g. one loader per session)."""
    properties = [name for name, _ in inspect.getmembers(type(benchmark), lambda m: isinstance(m, property))]
    for name in sorted(properties, key=lambda n: n != "stimuli"):
        if name.startswith("_") or name == "ceiling":
            continue
        if name == "stimuli" and getattr(benchmark, "_stimuli", "") is None:
            continue  # the benchmark declares no stimuli
        yield name, functools.partial(getattr, benchmark, name)
    for attribute, value in list(vars(benchmark).items()):
        if _is_loader(value):
            yield attribute, value
        elif isinstance(value, dict):
            for key, item in value.items():
                if _is_loader(item):
                    yield f"{attribute}[{key!r}]", item


def _load_checked(load: Callable[[], Any]) -> Any:
    value = load()
    verify = getattr(value, "verify", None)
    if hasattr(value, "stimulus_ids") and callable(verify):
        verify()  # every image file exists (and matches its declared sha256)
    return value


def _failure(error: BaseException) -> str:
    return traceback.format_exception_only(type(error), error)[-1].strip()


def _check_benchmark_data(report: PluginReport, identifier: str, benchmark: Any, folder: Path, neutral: Path) -> None:
    loaded: list[str] = []
    for name, load in _data_loads(benchmark):
        try:
            value = _load_checked(load)
        except DataUnavailableError as error:  # remote data not cached here: not a defect of the plugin
            first = str(error).split(":", 1)[0]
            report.add(
                f"benchmark {identifier} data",
                True,
                f"not loaded: {first} on this machine (remote data, not cached); run `brainscore fetch {identifier}` "
                "where there is network (or set BRAINSCORE_DATA_MIRROR), then check again to load it",
            )
            return
        except Exception as error:  # noqa: BLE001 - any error while loading the plugin's data is a failed check
            fix = _fix_hint(error, folder, neutral) or (
                f'Load it yourself from another folder (python -c "import brainscore_core as b; '
                f"b.load_benchmark('{identifier}')\", then its {name}) to debug; paths must be relative to the "
                "plugin folder: use Path(__file__).parent / ..."
            )
            report.add(f"benchmark {identifier} data", False, f"loading {name} raised {_failure(error)}", fix)
            return
        loaded.append(f"{name} ({_describe(value)})")
    report.add(
        f"benchmark {identifier} data",
        True,
        "loads " + ", ".join(loaded) if loaded else "declares no data or stimuli to load",
    )


def _check_build(report: PluginReport, kind: str, registration: Registration[Any], folder: Path, neutral: Path) -> None:
    identifier = registration.identifier
    loader = REGISTRIES[kind].loader
    factory = registration.factory
    if kind == "models" and is_brainscore_plugin(folder) and not isinstance(factory, OfflineFactory):
        factory = OfflineFactory(identifier, folder, factory)  # built offline, as discovery builds it
    try:
        problem = factory_problem(factory)
        if problem is not None:
            raise _FactoryError(f"factory {problem}, but registries call factories without arguments")
        built = _load_checked(factory)
        if built is None:
            raise _FactoryError("factory returned None")
        if kind == "models" and callable(getattr(built, "check_layers", None)):
            built.check_layers()  # a region_layer_map edited after construction
    except Exception as error:  # noqa: BLE001 - any error in the plugin's factory is a failed check, reported
        if isinstance(error, (WeightsOfflineError, WeightFileMissingError)):
            fix = (
                "Put the weights file at the path the message names; Brain-Score plugins are built offline "
                "(BRAINSCORE_DOWNLOAD_WEIGHTS=1 allows downloads)."
            )
        elif isinstance(error, ImportError):
            fix = "Install the missing package and list it in requirements.txt."
        elif isinstance(error, UnknownLayerError):
            fix = "Name one of the network's layers (see the close matches above) in region_layer_map or layers=."
        elif isinstance(error, _FactoryError):
            fix = f"Register a zero-argument callable that returns the object, e.g. lambda: build({identifier!r})."
        else:
            fix = _fix_hint(error, folder, neutral) or (
                f"Run the factory yourself (python -c \"import brainscore_core as b; b.{loader}('{identifier}')\")"
                " to debug."
            )
        what = f"its {error}" if isinstance(error, _FactoryError) else f"building it raised {_failure(error)}"
        report.add(f"build {identifier}", False, what, fix)
        return
    _check_built(report, kind, identifier, built)
    if kind == "benchmarks" and callable(built):
        _check_benchmark_data(report, identifier, built, folder, neutral)


def _check_built(report: PluginReport, kind: str, identifier: str, built: Any) -> None:
    """The built object answers its kind's interface."""
    if kind == "models":
        from ..brain_model import BrainModel

        missing = [m for m in ("look_at", "start_task", "start_recording", "visual_degrees") if not hasattr(built, m)]
        if missing:
            report.add(
                f"model {identifier}",
                False,
                f"the object lacks {missing}.",
                "Return a BrainModel (e.g. a ModelCommitment) from the factory.",
            )
            return
        problems = []
        if getattr(built, "identifier", None) != identifier:
            problems.append(f"its identifier is {getattr(built, 'identifier', None)!r}, registered as {identifier!r}")
        degrees = built.visual_degrees()
        if not isinstance(degrees, (int, float)) or degrees <= 0:
            problems.append(f"visual_degrees() returned {degrees!r}")
        kind_note = "a BrainModel" if isinstance(built, BrainModel) else "BrainModel-like"
        report.add(
            f"model {identifier}",
            not problems,
            "; ".join(problems) or f"builds; {kind_note}, {degrees} visual degrees",
            "Pass identifier=<the registered identifier> when building the model.",
        )
    elif kind == "benchmarks":
        problems = [
            f"no {a}"
            for a in ("identifier", "version", "parent", "visual_degrees")
            if getattr(built, a, None) in (None, "")
        ]
        if getattr(built, "identifier", identifier) != identifier:
            problems.append(f"its identifier is {built.identifier!r}, registered as {identifier!r}")
        if not callable(built):
            problems.append("it is not callable as benchmark(model)")
        report.add(
            f"benchmark {identifier}",
            not problems,
            "; ".join(problems) or f"builds; version {built.version}, parent {built.parent}",
            "Subclass brainscore_core.Benchmark.",
        )
    elif kind in ("metrics", "ceilings"):
        report.add(
            f"{REGISTRIES[kind].kind} {identifier}",
            callable(built),
            "builds and is callable" if callable(built) else "the object is not callable",
            "Return a callable metric(source, target) -> Score.",
        )
    else:
        report.add(f"{kind} {identifier}", True, f"loads ({_describe(built)})")


def _check_brainscore_plugin(report: PluginReport, folder: Path) -> None:
    """What a plugin written for Brain-Score uses: compatibility names, region maps, weights, requirements."""
    module = f"{BRAINSCORE_MODELS}.{folder.name}"
    named = default_host().brainscore_folders.get(folder.name) == folder and module in sys.modules
    report.add(
        "Brain-Score plugin",
        True,
        f"written for Brain-Score (imports brainscore_vision); imported as {module}"
        if named
        else "written for Brain-Score (imports brainscore_vision); imported under a private name (another folder "
        f"holds {module}, or Brain-Score itself is installed)",
    )
    names = imported_names(folder)
    missing = [name for name in names if not is_provided(name)]
    report.add(
        "Brain-Score names",
        not missing,
        f"all {len(names)} imported names are provided: " + ", ".join(str(n).rsplit(".", 1)[-1] for n in names)
        if not missing
        else "not provided by pytest-brainscore: " + "; ".join(f"{n} ({n.file})" for n in missing),
        'Build the model from the provided names (README "The `brainscore_vision` names we provide"), or run '
        "this plugin with Brain-Score itself in a separate environment.",
    )
    inline = passes_region_layer_map(folder)
    for identifier in report.registered.get("models", []):
        json_map = folder / "region_layer_map" / f"{identifier}.json"
        if json_map.is_file():
            where = f"read from region_layer_map/{json_map.name}"
        elif inline:
            where = "given in the source (region_layer_map=...)"
        else:
            where = (
                f"no region_layer_map/{identifier}.json and none in the source: layer selection will run when a "
                "region is first recorded (each candidate layer is scored; the choice is cached)"
            )
        report.add(f"region map {identifier}", True, where)
    needs = weight_needs(folder)
    absent = [need for need in needs if need.present is False]
    if needs:
        described = "; ".join(
            f"{need.what}: {need.source}"
            + (f" at {need.path} ({'present' if need.present else 'absent'})" if need.path is not None else "")
            for need in needs
        )
        report.add(
            "weight files",
            not absent,
            f"the code fetches {len(needs)} weight source(s): {described}",
            "Put each absent file at the path shown (nothing is downloaded automatically; "
            "BRAINSCORE_DOWNLOAD_WEIGHTS=1 allows downloads).",
        )
    requirements = declared_requirements(folder)
    if requirements:
        files = sorted({r.declared_in for r in requirements})
        absent_packages = sorted({r.name for r in requirements if not r.installed})
        report.add(
            "requirements",
            not absent_packages,
            f"{' and '.join(files)} found, declaring {', '.join(sorted({r.name for r in requirements}))}; "
            "pytest-brainscore never installs them"
            + (f"; not installed: {', '.join(absent_packages)}" if absent_packages else "; all installed"),
            f"Install them yourself: pip install {' '.join(absent_packages)}",
        )


def check_plugin(path: str | os.PathLike[str], *, build: bool = True) -> PluginReport:
    """Run every pre-flight check on the plugin folder at ``path``."""
    folder = Path(path).expanduser()
    report = PluginReport(folder.resolve() if folder.exists() else folder)
    if _locate(folder, report) is None:
        return report
    folder = folder.resolve()

    absolute = _absolute_sibling_imports(folder)
    report.add(
        "imports",
        not absolute,
        "sibling modules are imported relatively"
        if not absolute
        else "absolute imports of sibling modules: "
        + "; ".join(absolute)
        + " (works only when Python runs from inside the folder)",
        "Use relative imports, e.g. `from .model import get_model`.",
    )

    ensure_discovered()
    try:
        import_plugin_folder(folder)
    except Exception as error:  # noqa: BLE001 - any error in the plugin's __init__.py is a failed check, reported
        last = traceback.format_exception_only(type(error), error)[-1].strip()
        fix = (
            "Install the package and list it in requirements.txt."
            if isinstance(error, ImportError)
            else "Fix the error above; run `python -c 'import <your plugin>'` to see the full traceback."
        )
        report.add("import", False, f"importing __init__.py raised {last}", fix)
        return report
    report.add("import", True, "__init__.py imports")

    registered = _registrations_from(folder)
    report.registered = {kind: [r.identifier for r in regs] for kind, regs in registered.items()}
    total = sum(len(v) for v in registered.values())
    listing = "; ".join(f"{kind}: {', '.join(ids)}" for kind, ids in report.registered.items())
    report.add(
        "registers",
        total > 0,
        f"{total} identifier(s) registered ({listing})" if total else "importing the plugin registered nothing.",
        "Register at module level in __init__.py, e.g. model_registry['my-model'] = lambda: build_model().",
    )

    claimed, dynamic = _static_registrations(folder)
    never = sorted(
        f"{kind}:{i}" for kind, ids in claimed.items() for i in ids if i not in report.registered.get(kind, [])
    )
    note = " (plus registrations with computed identifiers, e.g. in a loop)" if dynamic else ""
    report.add(
        "registrations execute",
        not never,
        f"every registration in the source ran{note}"
        if not never
        else f"these registrations are written in the source but never ran: {', '.join(never)}",
        "Move them to module level of __init__.py (not inside a function or an `if __name__ == '__main__'` block).",
    )

    test_file = folder / "test.py"
    if not test_file.is_file():
        report.add(
            "test.py",
            False,
            "the plugin has no test.py.",
            "Add test.py with at least one test that loads each registered identifier.",
        )
    else:
        try:
            loads = _test_loads(test_file)
        except SyntaxError as error:
            report.add("test.py", False, f"test.py does not compile: {error}", "Fix the syntax error.")
        else:
            foreign = sorted(
                f"{kind}:{i}"
                for kind, ids in loads.items()
                for i in ids
                if i not in report.registered.get(kind, []) and i not in REGISTRIES[kind]
            )
            report.add(
                "test.py",
                not foreign,
                "present"
                + ("" if not foreign else f", but it loads identifiers nobody registers: {', '.join(foreign)}"),
                "Load the identifiers this plugin registers (check their spelling).",
            )

    requirements = folder / "requirements.txt"
    if requirements.is_file():
        from packaging.requirements import InvalidRequirement, Requirement

        bad = []
        for number, line in enumerate(requirements.read_text(encoding="utf-8").splitlines(), start=1):
            text = line.split("#", 1)[0].strip()
            if text and not text.startswith("-"):
                try:
                    Requirement(text)
                except InvalidRequirement as error:
                    bad.append(f"line {number} {text!r}: {error}")
        report.add(
            "requirements.txt",
            not bad,
            "parses" if not bad else "; ".join(bad),
            "One PEP 508 requirement per line, e.g. `torchvision>=0.17`.",
        )

    if is_brainscore_plugin(folder):
        _check_brainscore_plugin(report, folder)

    if build:
        with _neutral_directory() as neutral:
            for kind, registrations in registered.items():
                for registration in registrations:
                    _check_build(report, kind, registration, folder, neutral)
    return report
