"""``check_models``: Brain-Score's submission checks, for the ``if __name__ == '__main__':`` block of a plugin's
``model.py``. Importing this module is cheap (nothing heavy is imported).

Brain-Score's versions score a mock benchmark on downloaded data; these check what can be checked offline and
point to ``brainscore check-plugin`` and the plugin's ``test.py`` for the rest.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["check_base_models", "check_brain_models"]


def _module(module_name: str) -> Any:
    return importlib.import_module(module_name)


def check_base_models(module_name: str) -> None:
    """For each name of ``module.get_model_list()``: ``get_layers(name)`` is a non-empty list and ``get_model(name)``
    builds. Raises AssertionError naming the model otherwise."""
    module = _module(module_name)
    for name in module.get_model_list():
        layers = module.get_layers(name)
        assert isinstance(layers, list) and layers, f"get_layers({name!r}) must return a non-empty list, got {layers!r}"
        assert module.get_model(name) is not None, f"get_model({name!r}) returned None"
    print("Checks passed offline; run `brainscore check-plugin <folder>` and the plugin's test.py to score it.")


def check_brain_models(module_name: str) -> None:
    """For each name of ``module.get_model_list()``: ``get_model(name)`` is a BrainModel."""
    from brainscore_core.brain_model import BrainModel

    module = _module(module_name)
    for name in module.get_model_list():
        model = module.get_model(name)
        assert isinstance(model, BrainModel), f"get_model({name!r}) must return a BrainModel, got {type(model)}"
    print("Checks passed offline; run `brainscore check-plugin <folder>` and the plugin's test.py to score it.")
