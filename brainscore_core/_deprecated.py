"""Old import paths of modules made private: they keep working, with a :class:`DeprecationWarning`."""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable
from typing import Any


def forward_to(old: str, new: str, public: str) -> Callable[[str], Any]:
    """A module ``__getattr__`` for the old module ``old``: each name is looked up in ``new``, with a warning
    that names ``public`` (the package exporting the name) as the place to import it from."""

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(f"module {old!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(new), name)
        exported = name in getattr(importlib.import_module(public), "__all__", ())
        where = public if exported else f"{new} (private: it may change without notice)"
        warnings.warn(f"{old} is private now (renamed {new}); import {name} from {where}.", DeprecationWarning, 2)
        return value

    return __getattr__
