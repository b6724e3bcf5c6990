"""Cache keys: stable hashes of JSON-able descriptions, of arrays and of assemblies."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import json
import os
import re
import sys
import types
from collections.abc import Mapping
from dataclasses import asdict, is_dataclass
from typing import Any

import numpy as np

__all__ = [
    "FORMAT_VERSION",
    "array_hash",
    "assembly_hash",
    "callable_identity",
    "canonical_json",
    "code_identity",
    "safe_name",
    "stable_hash",
]

#: Bump whenever the on-disk layout or the meaning of stored numbers changes: every old entry then misses.
FORMAT_VERSION = 1

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _plain(value: Any) -> Any:
    """``value`` with dataclasses, numpy scalars/arrays, tuples and sets turned into plain JSON types."""
    if is_dataclass(value) and not isinstance(value, type):
        return {"__type__": type(value).__qualname__, **_plain(asdict(value))}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 8 and 8.0 degrees are the same key
    return value


def canonical_json(description: Any) -> str:
    """Deterministic JSON (sorted keys, no whitespace) of a description made of plain values and dataclasses."""
    return json.dumps(_plain(description), sort_keys=True, separators=(",", ":"), default=repr)


def stable_hash(description: Any) -> str:
    """Hex SHA-256 of :func:`canonical_json` of ``description``."""
    return hashlib.sha256(canonical_json(description).encode()).hexdigest()


def _update_with_array(digest: hashlib._Hash, array: np.ndarray) -> None:
    array = np.asarray(array)
    if array.dtype.kind == "O":
        array = array.astype(str)
    digest.update(f"{array.dtype.str}:{array.shape}".encode())
    digest.update(np.ascontiguousarray(array).tobytes())


def array_hash(array: np.ndarray) -> str:
    """Hex SHA-256 over an array's dtype, shape and bytes."""
    digest = hashlib.sha256()
    _update_with_array(digest, array)
    return digest.hexdigest()


def assembly_hash(assembly: Any) -> str:
    """Hex SHA-256 of an :class:`xarray.DataArray`'s values, dims and every coordinate (name, dims, values)."""
    digest = hashlib.sha256(b"brainscore-assembly-v1")
    digest.update(repr(tuple(assembly.dims)).encode())
    _update_with_array(digest, assembly.values)
    for name in sorted(str(n) for n in assembly.coords):
        coord = assembly.coords[name]
        digest.update(f"\x00{name}:{tuple(coord.dims)}".encode())
        _update_with_array(digest, coord.values)
    return digest.hexdigest()


def safe_name(identifier: str) -> str:
    """A file-system-safe folder name for ``identifier``; a hash suffix keeps distinct identifiers apart."""
    cleaned = _UNSAFE.sub("_", identifier).strip("._") or "unnamed"
    if cleaned == identifier:
        return identifier
    return f"{cleaned[:80]}-{hashlib.sha256(identifier.encode()).hexdigest()[:8]}"


_PLAIN = (str, int, float, bool, type(None))


def _plain_parameter(value: Any, depth: int) -> Any:
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, _PLAIN) for v in value):
        return list(value)
    if isinstance(value, Mapping) and all(isinstance(v, _PLAIN) for v in value.values()):
        return {str(k): v for k, v in value.items()}
    if callable(value) and depth < 2:
        return callable_identity(value, depth + 1)
    return f"<{type(value).__module__}.{type(value).__qualname__}>"


@functools.lru_cache(maxsize=256)
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    with open(path, "rb") as stream:
        return hashlib.sha256(stream.read()).hexdigest()


def _module_digest(module_name: str) -> str | None:
    """SHA-256 of the source file of ``module_name`` (None when it has no readable file, e.g. a builtin)."""
    module = sys.modules.get(module_name)
    path = getattr(module, "__file__", None)
    if not path:
        return None
    try:
        stat = os.stat(path)
        return _file_digest(path, stat.st_mtime_ns, stat.st_size)
    except OSError:
        return None


def _bytecode_digest(code: types.CodeType, digest: Any) -> None:
    digest.update(code.co_code)
    digest.update(repr(code.co_names).encode())
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            _bytecode_digest(constant, digest)
        else:
            digest.update(repr(constant).encode())


def code_identity(obj: Any) -> dict[str, Any]:
    """What an edit of ``obj``'s code changes: a hash of its own source (bytecode when the source is not
    available) and of the source file of the module that defines it (so edited helpers count too).

    For an instance, the code of its class is described.
    """
    target = obj if isinstance(obj, type) or inspect.isroutine(obj) else type(obj)
    target = inspect.unwrap(target) if callable(target) else target
    digest = hashlib.sha256()
    try:
        digest.update(inspect.getsource(target).encode())
    except (OSError, TypeError):
        code = getattr(target, "__code__", None)
        if isinstance(code, types.CodeType):
            _bytecode_digest(code, digest)
        else:
            digest.update(f"{getattr(target, '__module__', '')}.{getattr(target, '__qualname__', '')}".encode())
    return {"source": digest.hexdigest(), "module": _module_digest(getattr(target, "__module__", "") or "")}


def _closure_parameters(function: Any, depth: int) -> dict[str, Any]:
    """Default arguments and closed-over values of a plain function (they change what it computes)."""
    described: dict[str, Any] = {}
    if getattr(function, "__defaults__", None):
        described["defaults"] = [_plain_parameter(v, depth) for v in function.__defaults__]
    if getattr(function, "__kwdefaults__", None):
        described["kwdefaults"] = {k: _plain_parameter(v, depth) for k, v in sorted(function.__kwdefaults__.items())}
    cells = getattr(function, "__closure__", None) or ()
    names = getattr(getattr(function, "__code__", None), "co_freevars", ())
    values = {}
    for name, cell in zip(names, cells, strict=False):
        with contextlib.suppress(ValueError):  # an empty cell
            values[name] = _plain_parameter(cell.cell_contents, depth)
    if values:
        described["closure"] = values
    return described


def callable_identity(function: Any, _depth: int = 0) -> dict[str, Any]:
    """A JSON-able description of a metric or ceiling: its type, ``identifier``, plain parameters and code.

    Covers functions (module and qualified name, defaults, closed-over values), :func:`functools.partial`
    (function, arguments) and callable objects (class plus public attributes); nested callables are described
    two levels deep. ``code`` (see :func:`code_identity`) makes an edited function a different key.
    """
    if isinstance(function, functools.partial):
        return {
            "partial": callable_identity(function.func, _depth),
            "args": [_plain_parameter(a, _depth) for a in function.args],
            "keywords": {k: _plain_parameter(v, _depth) for k, v in sorted(function.keywords.items())},
        }
    kind = function if isinstance(function, type) or hasattr(function, "__code__") else type(function)
    description: dict[str, Any] = {"type": f"{kind.__module__}.{kind.__qualname__}"}
    identifier = getattr(function, "identifier", None)
    if isinstance(identifier, str):
        description["identifier"] = identifier
    if not hasattr(function, "__code__") and hasattr(function, "__dict__"):
        description["parameters"] = {
            name: _plain_parameter(value, _depth)
            for name, value in sorted(vars(function).items())
            if not name.startswith("__")
        }
    if hasattr(function, "__code__"):
        description.update(_closure_parameters(function, _depth))
    description["code"] = code_identity(function)
    return description
