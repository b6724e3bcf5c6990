"""What the compatibility modules share: the error for Brain-Score names we do not provide."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from ..errors import BrainScoreError

__all__ = ["DOCS", "NotSupportedError", "not_supported", "unsupported_getattr"]

DOCS = 'README "The `brainscore_vision` names we provide"'


class NotSupportedError(BrainScoreError, ModuleNotFoundError):
    """A ``brainscore_vision`` name (or module) that Brain-Score has and pytest-brainscore does not provide.

    An ``ImportError`` (``ModuleNotFoundError``), so ``from brainscore_vision... import name`` reports it as such.
    """


def not_supported(name: str, advice: str = "") -> NoReturn:
    """Raise :class:`NotSupportedError` for the Brain-Score name ``name`` with ``advice``."""
    raise NotSupportedError(
        f"{name} is a Brain-Score name that pytest-brainscore's brainscore_vision compatibility layer does not "
        f"support. {advice or 'Build the model from the supported names'} (see the {DOCS}), or run the plugin "
        "with Brain-Score itself in a separate environment.",
        name=name,
    )


def unsupported_getattr(module: str, known: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__``: names in ``known`` (Brain-Score's, which we lack) raise :class:`NotSupportedError`
    with their advice; any other name is an AttributeError that names the module and the documentation."""

    def __getattr__(name: str) -> Any:
        if name in known:
            not_supported(f"{module}.{name}", known[name])
        raise AttributeError(
            f"module {module!r} (pytest-brainscore's Brain-Score compatibility layer) has no attribute {name!r}; "
            f"the {DOCS} lists what it provides.",
            name=name,
        )

    return __getattr__
