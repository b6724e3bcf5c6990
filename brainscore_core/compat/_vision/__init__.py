"""``brainscore_vision`` as pytest-brainscore provides it: the names Brain-Score's model plugins import, on our
registries, models and scoring.

Loaded under the name ``brainscore_vision`` (by :class:`brainscore_core.compat.CompatFinder`, only when
Brain-Score's own package is not installed). ``model_registry`` *is* ``brainscore_core.model_registry``: a plugin's
``model_registry['id'] = lambda: ModelCommitment(...)`` registers a lazy factory there.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from brainscore_core.compat._support import unsupported_getattr
from brainscore_core.registry import model_registry

from .model_interface import BrainModel

if __name__ != "brainscore_vision":  # pragma: no cover - a second copy would hold separate classes
    raise ImportError(f"Import brainscore_vision, not {__name__} (pytest-brainscore's compatibility layer).")

if TYPE_CHECKING:
    from brainscore_core.brain_model import BrainModel as CoreBrainModel
    from brainscore_core.score import Score

__all__ = ["BrainModel", "load_model", "load_model_bibtex", "model_registry", "score"]


def load_model(identifier: str) -> CoreBrainModel:
    """Build the model registered as ``identifier`` (Brain-Score's ``brainscore_vision.load_model``)."""
    from brainscore_core.loading import load_model as _load

    return _load(identifier)


def load_model_bibtex(identifier: str) -> str | None:
    """The BibTeX that the plugin registering ``identifier`` returns from ``model.get_bibtex``, or None."""
    registration = model_registry.snapshot().get(identifier)
    if registration is None or not registration.module:
        return None
    try:
        module = importlib.import_module(f"{registration.module}.model")
    except ModuleNotFoundError:
        return None
    get_bibtex = getattr(module, "get_bibtex", None)
    return None if get_bibtex is None else get_bibtex(identifier)


def score(model_identifier: str, benchmark_identifier: str, conda_active: bool = False) -> Score:
    """Score a registered model on a registered benchmark (Brain-Score's ``brainscore_vision.score``).

    ``conda_active`` is accepted and ignored: everything runs in this process and environment. The result is a
    :class:`brainscore_core.Score` (``float(result)``, ``.raw``, ``.ceiling``) that also compares like
    Brain-Score's (``result == pytest.approx(0.41)``), with ``attrs['raw']``, ``attrs['ceiling']``,
    ``attrs['model_identifier']``, ``attrs['benchmark_identifier']`` and ``attrs['comment']`` set.
    """
    from brainscore_core.compat._score import compat_score

    return compat_score(model_identifier, benchmark_identifier)


_BRAINSCORE_ONLY = {
    name: "Brain-Score's data, metric and benchmark plugins do not run here; use brainscore_core's registries "
    f"(brainscore_core.{name}) with this project's benchmark plugins"
    for name in (
        "benchmark_registry",
        "data_registry",
        "stimulus_set_registry",
        "metric_registry",
        "load_benchmark",
        "load_dataset",
        "load_stimulus_set",
        "load_metric",
        "load_ceiling",
    )
}
__getattr__ = unsupported_getattr("brainscore_vision", _BRAINSCORE_ONLY)
