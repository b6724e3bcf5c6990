"""What a Brain-Score model plugin folder uses, read from its source without running it (for ``check-plugin``).

- :func:`imported_names`: every ``brainscore_vision`` / ``brainscore_core.supported_data_standards`` name the
  folder's Python files import, and :func:`is_provided` says whether this project provides it;
- :func:`weight_needs`: the weights its code fetches (S3 helpers with literal arguments, torchvision pretrained
  weights, URLs of weight files, torch hub repositories), each with where the file must be and whether it is;
- :func:`declared_requirements`: the packages its ``requirements.txt`` and ``setup.py`` declare, and which of
  them are not installed (they are reported, never installed).
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ImportedName",
    "Requirement",
    "WeightNeed",
    "declared_requirements",
    "imported_names",
    "is_provided",
    "passes_region_layer_map",
    "weight_needs",
]

_COMPAT_ROOTS = ("brainscore_vision", "brainscore_core.supported_data_standards")
_WEIGHT_SUFFIXES = (".pth", ".pt", ".pth.tar", ".ckpt", ".bin", ".h5", ".safetensors", ".npz", ".pkl", ".tar")
_URL = re.compile(r"https?://[^\s'\"]+")


@dataclass(frozen=True)
class ImportedName:
    module: str  #: e.g. ``brainscore_vision.model_helpers.activations.pytorch``
    name: str | None  #: e.g. ``PytorchWrapper``; None for ``import brainscore_vision``
    file: str  #: the plugin file importing it

    def __str__(self) -> str:
        return self.module if self.name is None else f"{self.module}.{self.name}"


@dataclass(frozen=True)
class WeightNeed:
    what: str  #: how the plugin gets it, e.g. "load_weight_file" or "torchvision pretrained weights"
    source: str  #: where it comes from (URL, bucket/key, repository)
    path: Path | None  #: where it must be on this machine, when known
    present: bool | None  #: whether it is there (None: cannot tell statically)


@dataclass(frozen=True)
class Requirement:
    text: str  #: the requirement as written
    name: str  #: the distribution name
    installed: bool
    declared_in: str  #: requirements.txt or setup.py


def _python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _trees(folder: Path) -> list[tuple[Path, ast.Module]]:
    trees = []
    for path in _python_files(folder):
        try:
            trees.append((path, ast.parse(path.read_text(encoding="utf-8", errors="replace"), filename=str(path))))
        except SyntaxError:
            continue
    return trees


def imported_names(folder: Path) -> list[ImportedName]:
    """The compatibility names the folder's files import (sibling plugins under ``brainscore_vision.models``
    excluded: those are plugin folders, not names of the compatibility layer)."""
    found: dict[str, ImportedName] = {}
    for path, tree in _trees(folder):
        relative = str(path.relative_to(folder))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module.startswith(_COMPAT_ROOTS) and not node.module.startswith("brainscore_vision.models"):
                    for alias in node.names:
                        item = ImportedName(node.module, alias.name, relative)
                        found.setdefault(str(item), item)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith(_COMPAT_ROOTS) and not alias.name.startswith("brainscore_vision.models"):
                        item = ImportedName(alias.name, None, relative)
                        found.setdefault(str(item), item)
    return sorted(found.values(), key=str)


def passes_region_layer_map(folder: Path) -> bool:
    """Whether the folder's code (``test.py`` and ``setup.py`` excluded) passes ``region_layer_map=`` to a call."""
    return any(
        isinstance(node, ast.keyword) and node.arg == "region_layer_map" and not _is_none(node.value)
        for path, tree in _trees(folder)
        if path.name not in ("test.py", "setup.py")
        for node in ast.walk(tree)
    )


def is_provided(name: ImportedName) -> bool:
    """Whether ``name`` imports here (the module imports and has the name; a submodule counts)."""
    try:
        module = importlib.import_module(name.module)
    except ImportError:
        return False
    if name.name is None:
        return True
    try:
        getattr(module, name.name)
    except (AttributeError, ImportError):
        try:
            importlib.import_module(f"{name.module}.{name.name}")
        except ImportError:
            return False
    return True


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _is_none(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _call_name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def _s3_need(call: ast.Call) -> WeightNeed | None:
    """A ``load_weight_file`` / ``load_file`` call with literal ``bucket`` and ``relative_path``."""
    from ..supported_data_standards.brainio.s3 import local_roots

    arguments = dict(zip(("bucket", "relative_path", "version_id"), call.args, strict=False))
    arguments.update({keyword.arg: keyword.value for keyword in call.keywords if keyword.arg})
    bucket, relative = _literal(arguments.get("bucket")), _literal(arguments.get("relative_path"))
    if bucket is None or relative is None:
        return WeightNeed(_call_name(call), "S3 (arguments computed at run time)", None, None)
    folder = _literal(arguments.get("folder_name")) or "models"
    candidates = [root / folder / relative for root in local_roots()]
    present = next((c for c in candidates if c.is_file()), None)
    return WeightNeed(_call_name(call), f"s3://{bucket}/{folder}/{relative}", present or candidates[0], bool(present))


def _hub_checkpoint(url: str) -> Path:
    import torch

    return Path(torch.hub.get_dir()) / "checkpoints" / url.rsplit("/", 1)[-1].split("?")[0]


def _torchvision_weights(architecture: str, weights: ast.AST | None) -> object | None:
    """torchvision's weights entry that ``architecture(weights=...)`` / ``(pretrained=True)`` loads, or None."""
    try:
        enum = importlib.import_module("torchvision.models").get_model_weights(architecture)
    except (ImportError, ValueError, KeyError):
        return None
    if weights is None:  # pretrained=True: torchvision's legacy flag means the first ImageNet weights
        return getattr(enum, "IMAGENET1K_V1", None) or getattr(enum, "DEFAULT", None)
    if isinstance(weights, ast.Attribute):
        return getattr(enum, weights.attr, None)
    text = _literal(weights)
    return getattr(enum, text, None) if text else None


def _pretrained_need(architecture: str, weights: ast.AST | None) -> WeightNeed:
    entry = _torchvision_weights(architecture, weights)
    url = getattr(entry, "url", None)
    if isinstance(url, str):
        checkpoint = _hub_checkpoint(url)
        return WeightNeed(f"torchvision {architecture} pretrained weights", url, checkpoint, checkpoint.is_file())
    return WeightNeed(f"{architecture}(pretrained weights)", "the library's download URL", None, None)


def weight_needs(folder: Path) -> list[WeightNeed]:
    """The weights the folder's code (``test.py`` and ``setup.py`` excluded) fetches, as far as its source says."""
    needs: list[WeightNeed] = []
    for path, tree in _trees(folder):
        if path.name in ("test.py", "setup.py"):
            continue
        through_hub = any(
            isinstance(node, ast.Call) and _call_name(node) in ("load_state_dict_from_url", "load_url")
            for node in ast.walk(tree)
        )
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    for url in _URL.findall(node.value):
                        if url.split("?")[0].endswith(_WEIGHT_SUFFIXES):
                            if through_hub:  # the torch hub cache is where load_state_dict_from_url reads it
                                checkpoint = _hub_checkpoint(url)
                                needs.append(WeightNeed("URL (torch hub)", url, checkpoint, checkpoint.is_file()))
                            else:
                                needs.append(WeightNeed("URL", url, None, None))
                continue
            name = _call_name(node)
            keywords = {keyword.arg: keyword.value for keyword in node.keywords if keyword.arg}
            if name in ("load_weight_file", "load_file"):
                need = _s3_need(node)
                if need is not None:
                    needs.append(need)
            elif (
                name == "load"
                and isinstance(node.func, ast.Attribute)
                and _literal(node.args[0] if node.args else None)
            ):
                repository = _literal(node.args[0]) or ""
                if "/" in repository and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "hub":
                    needs.append(WeightNeed("torch.hub.load", f"github.com/{repository}", None, None))
            elif _is_true(keywords.get("pretrained")) or ("weights" in keywords and not _is_none(keywords["weights"])):
                needs.append(_pretrained_need(name, keywords.get("weights")))
    unique: dict[tuple[str, str], WeightNeed] = {}
    for need in needs:
        unique.setdefault((need.what, need.source), need)
    return list(unique.values())


def _distribution_name(text: str) -> str | None:
    """The distribution a requirement names (None for lines that name none: options, URLs, bad lines)."""
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement as Parsed

    if text.startswith("-") or ("://" in text and "@" not in text):
        return None
    try:
        return Parsed(text).name
    except InvalidRequirement:
        return None


def _installed(name: str) -> bool:
    try:
        importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def _setup_requirements(setup: Path) -> list[str]:
    """The string literals of the ``requirements = [...]`` list (or ``install_requires=[...]``) in ``setup.py``."""
    try:
        tree = ast.parse(setup.read_text(encoding="utf-8", errors="replace"))
    except SyntaxError:
        return []
    found: list[str] = []
    for node in ast.walk(tree):
        value = None
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id in ("requirements", "install_requires") for t in node.targets)
        ) or (isinstance(node, ast.keyword) and node.arg == "install_requires"):
            value = node.value
        if isinstance(value, (ast.List, ast.Tuple)):
            found += [s for s in (_literal(e) for e in value.elts) if s]
    return list(dict.fromkeys(found))


def declared_requirements(folder: Path) -> list[Requirement]:
    """The packages ``requirements.txt`` and ``setup.py`` declare, each with whether it is installed."""
    declared: list[Requirement] = []
    sources: list[tuple[str, list[str]]] = []
    requirements = folder / "requirements.txt"
    if requirements.is_file():
        lines = [line.split("#", 1)[0].strip() for line in requirements.read_text(errors="replace").splitlines()]
        sources.append(("requirements.txt", [line for line in lines if line]))
    setup = folder / "setup.py"
    if setup.is_file():
        sources.append(("setup.py", _setup_requirements(setup)))
    for where, texts in sources:
        for text in texts:
            name = _distribution_name(text)
            if name is not None:
                declared.append(Requirement(text, name, _installed(name), where))
    return declared
