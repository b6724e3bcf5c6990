"""Under ``pytest -n N --dist loadgroup``, run every test of one model on one pytest-xdist worker.

A model is then built, and its stimuli extracted, once per worker instead of once on every worker. xdist's own
``loadgroup`` puts a ``@group`` suffix on node ids, which pytest 9.2 no longer lets a plugin change
(pytest-xdist#1386): its groups silently fall apart. This scheduler groups from the node id alone (the
controller sees nothing else), by these rules, first match wins:

1. a node id ending in xdist's ``@group`` suffix (for when xdist's mechanism works): that group, except for the
   per-pair groups of the brainscore marker, which are grouped by model (rule 2);
2. a test parametrized with a brainscore pair (``...[<model>-<benchmark>]``) or a generated item
   (``brainscore[<model>-<benchmark>]``): its model (the longest registered model identifier that prefixes it);
3. a model plugin's own ``models/<name>/test.py``: its file (its tests share the plugin's model);
4. anything else: the test alone (as ``--dist load``).

Groups with the most tests go first, as with xdist's ``--loadscope-reorder`` (its default).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pytest

__all__ = ["GroupingPlugin", "group_of"]

PLUGIN_NAME = "brainscore-grouping"
_PARAMETERS = re.compile(r"\[(?P<id>[^\[\]]*)\]$")
_MODEL_PLUGIN_TEST = re.compile(r"(^|/)models/[^/]+/test\.py$")
_XDIST_GROUP = re.compile(r"@(?P<group>[^\[\]@]+)$")  #: the suffix xdist's loadgroup appends (when it can)
_PAIR_GROUP = "brainscore:"  #: prefix of the xdist_group that pytest_brainscore.marker gives each pair


def group_of(nodeid: str, models: Iterable[str]) -> str:
    """The scheduling group of ``nodeid`` (see the module's rules); ``models`` are the registered identifiers."""
    suffix = _XDIST_GROUP.search(nodeid) if "::" in nodeid else None
    if suffix:
        nodeid = nodeid[: suffix.start()]
        if not suffix.group("group").startswith(_PAIR_GROUP):  # our marker's per-pair groups: by model instead
            return "xdist_group:" + suffix.group("group")
    path, _, rest = nodeid.partition("::")
    found = _PARAMETERS.search(nodeid)
    if found:
        parameters = found.group("id")
        prefixes = [model for model in models if parameters == model or parameters.startswith(f"{model}-")]
        if prefixes:
            return "model:" + max(prefixes, key=len)
    if rest and _MODEL_PLUGIN_TEST.search(path):
        return "file:" + path
    return nodeid


def _scheduler_class() -> type[Any]:
    from xdist.scheduler import LoadScopeScheduling  # type: ignore[import-untyped]

    class ModelGroupScheduling(LoadScopeScheduling):  # type: ignore[misc]
        """xdist's scope scheduling, with one scope per group of :func:`group_of`."""

        def __init__(self, config: pytest.Config, log: Any, models: list[str]) -> None:
            super().__init__(config, log)
            self._models = models

        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid, self._models)

    return ModelGroupScheduling


class GroupingPlugin:
    """Registered on an xdist controller: provides the scheduler for ``--dist loadgroup``."""

    def __init__(self, models: Any) -> None:
        self._models = models  # a zero-argument callable: discovery runs only when a scheduler is made

    @pytest.hookimpl(optionalhook=True, tryfirst=True)
    def pytest_xdist_make_scheduler(self, config: pytest.Config, log: Any) -> Any:
        if config.getvalue("dist") != "loadgroup":
            return None
        return _scheduler_class()(config, log, list(self._models()))
