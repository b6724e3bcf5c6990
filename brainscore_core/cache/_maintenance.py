"""``brainscore cache info`` and ``brainscore cache clear``: inspect and empty the on-disk cache."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from ..config import settings
from ._activations import ActivationsCache
from ._atomic import remove_tree, sweep_trash
from ._keys import safe_name

__all__ = ["clear", "info"]


def _size(path: Path) -> int:
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except FileNotFoundError:
                continue
    return total


def _result_files(results_root: Path) -> list[Path]:
    if not results_root.is_dir():
        return []
    found = []
    for path in results_root.rglob("*.json"):  # not staging files, nor folders being removed (``.trash-*``)
        if not any(part.startswith(".") for part in path.relative_to(results_root).parts):
            found.append(path)
    return found


def _result_model(path: Path) -> str | None:
    try:
        model: str | None = json.loads(path.read_text()).get("model")
        return model
    except (OSError, ValueError):
        return None


def info() -> dict[str, Any]:
    """Where the cache is and what it holds.

    Keys: ``location`` (str), ``enabled`` (bool), ``size_bytes`` (int, everything under the location),
    ``activation_entries`` ({model identifier: number of layer entries}), ``result_entries``
    ({namespace: number of stored results, e.g. ``ceilings``, ``layer_selection``}).
    """
    current = settings()
    root = current.cache_dir
    per_model = Counter(model for model, _ in ActivationsCache(root / "activations").entries())
    results_root = root / "results"
    per_namespace = Counter(p.relative_to(results_root).parts[0] for p in _result_files(results_root))
    return {
        "location": str(root),
        "enabled": current.cache_enabled,
        "size_bytes": _size(root) if root.is_dir() else 0,
        "activation_entries": dict(sorted(per_model.items())),
        "result_entries": dict(sorted(per_namespace.items())),
    }


def clear(model: str | None = None) -> int:
    """Delete cached entries and return how many were removed.

    Safe while other processes use the cache: every folder is first moved out of sight in one rename, so a
    concurrent reader sees a whole entry or none (a miss, never a corruption warning), and a concurrent writer
    publishes nothing rather than part of an entry.

    With ``model``, only that model's activations and its layer-selection results go; ceilings stay. Without,
    everything under the cache location that this package wrote (activations and results) is removed.
    """
    root = settings().cache_dir
    activations = ActivationsCache(root / "activations")
    results_root = root / "results"
    if model is None:
        removed = sum(1 for _ in activations.entries()) + len(_result_files(results_root))
        remove_tree(root / "activations")
        remove_tree(results_root)
        sweep_trash(root)  # what an earlier, concurrent clear could not finish
        return removed
    removed = 0
    model_directory = activations.model_directory(model)
    removed += sum(1 for owner, _ in activations.entries() if owner == model)
    remove_tree(model_directory)
    sweep_trash(model_directory.parent)
    if results_root.is_dir():
        for namespace in results_root.iterdir():
            folder = namespace / safe_name(model)
            if folder.is_dir():
                removed += sum(1 for p in _result_files(folder) if _result_model(p) in (model, None))
                remove_tree(folder)
    return removed
