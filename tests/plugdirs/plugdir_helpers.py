"""Small plugin folders written on the fly for the plugin-folder tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

__all__ = ["native_model_plugin", "write_plugin"]


def write_plugin(folder: Path, init: str, **files: str) -> Path:
    """A plugin folder with ``__init__.py`` = ``init`` and the other files given (``model_py=`` -> model.py)."""
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text(textwrap.dedent(init))
    for name, text in files.items():
        (folder / name.replace("_py", ".py").replace("_txt", ".txt")).write_text(textwrap.dedent(text))
    return folder


def native_model_plugin(folder: Path, *identifiers: str) -> Path:
    """A native plugin registering each identifier as a model whose factory returns ``(identifier, folder)``."""
    lines = ["from brainscore_core import model_registry"]
    lines += [f"model_registry[{i!r}] = lambda: ({i!r}, {str(folder)!r})" for i in identifiers]
    return write_plugin(folder, "\n".join(lines) + "\n")
