"""A small verified JSON store for computed results (benchmark ceilings, layer-selection scores).

Layout: ``<cache_dir>/results/<namespace>/[<model>/]<key>.json``. Each file holds the describing key, the
payload and a SHA-256 of the payload; an unreadable or mismatching file warns and is recomputed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..config import settings
from ._activations import CacheCorruptionWarning, is_unwritable_error, note_unwritable, sweep_once, unwritable
from ._atomic import FileIdentity, atomic_write_bytes, file_identity, same_file
from ._keys import FORMAT_VERSION, canonical_json, safe_name, stable_hash
from ._lock import acquire_lock, release_lock

__all__ = ["ResultCache"]

T = TypeVar("T")


def _payload_digest(payload: Any) -> str:
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


class ResultCache:
    """JSON results in one ``namespace`` (``"ceilings"``, ``"layer_selection"``), optionally grouped by model.

    ``root``/``enabled`` default to :func:`brainscore_core.config.settings`, read at every use.
    """

    def __init__(self, namespace: str, root: str | Path | None = None, enabled: bool | None = None) -> None:
        self.namespace = namespace
        self._root = None if root is None else Path(root)
        self._enabled = enabled

    @property
    def root(self) -> Path:
        base = self._root if self._root is not None else settings().cache_dir / "results"
        return base / safe_name(self.namespace)

    @property
    def enabled(self) -> bool:
        return self._enabled if self._enabled is not None else settings().cache_enabled

    def path(self, description: Any, model: str | None = None) -> Path:
        key = stable_hash({"format": FORMAT_VERSION, "namespace": self.namespace, "key": description})
        folder = self.root / safe_name(model) if model is not None else self.root
        return folder / f"{key}.json"

    def get(self, description: Any, model: str | None = None) -> Any | None:
        """The stored payload for ``description``, or None (miss, caching off, or a discarded corrupt file)."""
        if not self.enabled:
            return None
        path = self.path(description, model)
        try:
            with open(path, "rb") as stream:  # files are replaced whole (atomic_write_bytes): this is one version
                try:
                    record = json.loads(stream.read())
                    payload = record["payload"]
                    if record.get("sha256") != _payload_digest(payload):
                        raise ValueError("checksum mismatch")
                    return payload
                except (OSError, ValueError, KeyError, TypeError) as error:
                    self._discard(path, error, file_identity(os.fstat(stream.fileno())))
                    return None
        except FileNotFoundError:
            return None
        except OSError as error:
            if not path.parent.is_dir():  # no folder for it (e.g. the cache path is a file): a plain miss
                return None
            self._discard(path, error, None)
            return None

    @staticmethod
    def _discard(path: Path, error: Exception, identity: FileIdentity | None) -> None:
        """Warn about a corrupted file and remove it: only the very file found corrupted (``identity``, taken
        while it is open), never a sound one that another process wrote under the same name meanwhile."""
        warnings.warn(
            f"Discarding corrupted result cache file {path}: {error}. It will be recomputed.",
            CacheCorruptionWarning,
            stacklevel=3,
        )
        if identity is None or same_file(path, identity):
            with contextlib.suppress(OSError):  # e.g. a read-only cache
                path.unlink(missing_ok=True)

    def put(self, description: Any, payload: Any, model: str | None = None) -> None:
        """Store ``payload`` (JSON-able) for ``description`` atomically (no-op when caching is off)."""
        location = self.root.parent.parent
        if not self.enabled or unwritable(location):
            return
        record = {
            "format": FORMAT_VERSION,
            "model": model,
            "description": json.loads(canonical_json(description)),
            "sha256": _payload_digest(payload),
            "payload": payload,
        }
        path = self.path(description, model)
        try:
            sweep_once(path.parent)
            atomic_write_bytes(path, json.dumps(record, indent=1, allow_nan=True).encode())
        except OSError as error:
            if not is_unwritable_error(error):
                raise
            note_unwritable(location, error)

    def get_or_compute(
        self,
        description: Any,
        compute: Callable[[], T],
        *,
        encode: Callable[[T], Any],
        decode: Callable[[Any], T],
        model: str | None = None,
    ) -> T:
        """Return the cached result for ``description`` or compute, store and return it.

        Concurrent processes asking for the same result wait for the first one instead of recomputing.
        """
        if not self.enabled:
            return compute()
        cached = self.get(description, model)
        if cached is not None:
            return decode(cached)
        path = self.path(description, model)
        handle = None
        if not unwritable(self.root.parent.parent):
            try:
                handle = acquire_lock(path.with_suffix(".lock"))
            except OSError as error:
                if not is_unwritable_error(error):
                    raise
                note_unwritable(self.root.parent.parent, error)
        try:
            cached = self.get(description, model)
            if cached is not None:
                return decode(cached)
            result = compute()
            try:
                self.put(description, encode(result), model)
            except (TypeError, ValueError) as error:  # not JSON-able: still a valid result, just not cached
                warnings.warn(
                    f"Result for {self.namespace!r} was not cached: it cannot be written as JSON ({error}).",
                    RuntimeWarning,
                    stacklevel=2,
                )
            return result
        finally:
            release_lock(handle)
