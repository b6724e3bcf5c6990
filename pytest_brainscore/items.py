"""Test items generated from the command line alone: ``pytest --brainscore-model=X --brainscore-benchmark=Y``.

When no collected test uses the plugin and a model or benchmark selection was given on the command line, the
plugin adds one item per (model, benchmark) pair; each scores the pair and applies the gate
(``--brainscore-min-score`` and the baseline), so one command scores and gates.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from .gate import gate
from .marker import MARKER, BrainscoreCase, case_of, identifiers_for
from .records import Thresholds
from .session import BrainscoreSession

__all__ = ["BrainscoreItem", "generated_items", "uses_plugin"]


class BrainscoreItem(pytest.Item):
    """Scores one pair and applies the gate; named ``brainscore[<model>-<benchmark>]``."""

    def __init__(self, *, case: BrainscoreCase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.brainscore_case = case
        self.add_marker(MARKER)

    def runtest(self) -> None:
        gate(self, self.brainscore_case)

    def reportinfo(self) -> tuple[os.PathLike[str] | str, int | None, str]:
        return self.path, 0, f"brainscore: {self.brainscore_case.model} on {self.brainscore_case.benchmark}"


def uses_plugin(item: pytest.Item) -> bool:
    """Whether ``item`` is a brainscore test (marker, pair fixtures, or the scoring factory)."""
    return (
        case_of(item) is not None
        or item.get_closest_marker(MARKER) is not None
        or "brainscore_score" in getattr(item, "fixturenames", ())
    )


def generated_items(
    session: pytest.Session,
    brainscore: BrainscoreSession,
    keep: Callable[[list[tuple[str, str]]], set[tuple[str, str]]] | None = None,
) -> list[BrainscoreItem]:
    """One item per selected pair that ``keep`` (given all pairs) keeps (the caller checks that no collected
    test uses the plugin); the other pairs' items are never made."""
    options = brainscore.options
    if not options.models or not options.benchmarks:
        given, missing = ("model", "benchmark") if options.models else ("benchmark", "model")
        raise pytest.UsageError(
            f"--brainscore-{given} was given but no test uses the brainscore plugin, and there is no {missing} to "
            f"score it with: add --brainscore-{missing}=ID (or the ini key brainscore_{missing})."
        )
    where = "--brainscore-model/--brainscore-benchmark"
    models = identifiers_for(brainscore, "model", options.models, where)
    benchmarks = identifiers_for(brainscore, "benchmark", options.benchmarks, where)
    thresholds = Thresholds(min_score=options.min_score)
    pairs = [(model, benchmark) for model in models for benchmark in benchmarks]
    kept = set(pairs) if keep is None else keep(pairs)
    items = []
    for model, benchmark in pairs:
        if (model, benchmark) in kept:
            case = BrainscoreCase(model, benchmark, thresholds, gated=True)
            name = f"brainscore[{case.id}]"
            items.append(BrainscoreItem.from_parent(session, name=name, nodeid=name, case=case))
    return items
