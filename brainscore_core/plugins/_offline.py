"""Building a Brain-Score plugin's model offline: a download fails with one message naming the file and its place.

Brain-Score's model plugins fetch weights while ``get_model`` runs: torchvision ``pretrained=True`` / ``weights=``
and ``torch.hub.load_state_dict_from_url`` (through ``torch.hub.download_url_to_file``), ``torch.hub.load`` of a
GitHub repository, Brain-Score's S3 helpers (:mod:`brainscore_core.supported_data_standards.brainio.s3`, offline
by their own rule), and direct URLs (``urlretrieve``, ``requests``, ``gdown`` ...). While such a model is built
(:func:`offline_build`), unless ``BRAINSCORE_DOWNLOAD_WEIGHTS=1`` allows downloads:

- a torch hub download raises :class:`WeightsOfflineError` naming the URL and the exact path torch reads it from
  (the built-in ``alexnet`` plugin's message); with the file there, torch loads it and nothing is fetched;
- ``torch.hub.load('owner/repo', ...)`` uses the repository already in the torch hub directory, else raises
  naming the folder to clone it into;
- any other network connection raises naming the host, the plugin line that started it and, when the caller
  says, the URL and the file it was saving to.

With downloads allowed, each torch hub download is announced on stderr (what, from where, to where) and runs.
"""

from __future__ import annotations

import contextlib
import linecache
import os
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from ..errors import DataError

__all__ = ["DOWNLOAD_ENV", "OfflineFactory", "WeightsOfflineError", "downloads_allowed", "offline_build"]

DOWNLOAD_ENV = "BRAINSCORE_DOWNLOAD_WEIGHTS"  #: the S3 helpers' switch; it allows these downloads too
_NOTHING = "Nothing is downloaded automatically (set BRAINSCORE_DOWNLOAD_WEIGHTS=1 to allow downloads)."


class WeightsOfflineError(DataError):
    """A Brain-Score plugin's model tried to download something while being built offline."""


def downloads_allowed() -> bool:
    """Whether ``BRAINSCORE_DOWNLOAD_WEIGHTS`` allows downloads (off by default)."""
    return os.environ.get(DOWNLOAD_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def _plugin_line(folder: Path) -> str:
    """``model.py:42: <source line>`` of the innermost frame inside the plugin folder, or empty."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if Path(filename).resolve().is_relative_to(folder):
            line = linecache.getline(filename, frame.f_lineno).strip()
            relative = Path(filename).resolve().relative_to(folder)
            return f"{relative}:{frame.f_lineno}" + (f" ({line})" if line else "")
        frame = frame.f_back
    return ""


def _download_arguments() -> tuple[str | None, str | None]:
    """The URL and the target file of the download under way, read from the calling frames' arguments."""
    url = target = None
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and (url is None or target is None):
        names = frame.f_locals
        if url is None and isinstance(names.get("url"), str) and "://" in names["url"]:
            url = names["url"]
        for key in ("filename", "dst", "output", "fname", "local_filepath"):
            if target is None and isinstance(names.get(key), (str, os.PathLike)):
                target = os.fspath(names[key])
        frame = frame.f_back
    return url, target


def _refuse_connection(identifier: str, folder: Path, host: object) -> WeightsOfflineError:
    url, target = _download_arguments()
    where = _plugin_line(folder)
    what = f" {url}" if url else ""
    place = f", to be saved as {target}" if target else ""
    started = f"; the download starts at {where}" if where else ""
    return WeightsOfflineError(
        f"Model {identifier!r} (plugin {folder}) tried to download{what} from {host} while being built{place}"
        f"{started}. Download the file yourself and put it where the plugin reads it"
        f"{f' ({target})' if target else ''}, then build again. {_NOTHING}"
    )


class _Patches:
    """Attribute replacements undone in reverse order."""

    def __init__(self) -> None:
        self._undo: list[tuple[object, str, object]] = []

    def set(self, owner: object, name: str, value: object) -> None:
        self._undo.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    def undo(self) -> None:
        for owner, name, value in reversed(self._undo):
            setattr(owner, name, value)
        self._undo.clear()


def _patch_torch_hub(patches: _Patches, identifier: str, folder: Path, allowed: bool) -> None:
    hub = getattr(sys.modules.get("torch"), "hub", None)
    if hub is None:
        return  # torch is not imported: nothing of it can download
    download = hub.download_url_to_file
    load = hub.load

    def download_url_to_file(url: str, dst: str, *args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True  # pytest shows the plugin line that downloads, not this guard
        if allowed:
            print(f"brainscore: model {identifier!r} downloads {url} to {dst}", file=sys.stderr)
            return download(url, dst, *args, **kwargs)
        name = Path(dst).name
        raise WeightsOfflineError(
            f"Model {identifier!r} (plugin {folder}) needs the weights file {name} at {dst}, which does not exist. "
            f"Download {url} and save it there (or set TORCH_HOME so that the torch hub directory holds "
            f"checkpoints/{name}). {_NOTHING}"
        )

    def hub_load(repo_or_dir: str, model: str, *args: Any, source: str = "github", **kwargs: Any) -> Any:
        __tracebackhide__ = True
        if source == "local" or allowed:
            return load(repo_or_dir, model, *args, source=source, **kwargs)
        owner, _, rest = repo_or_dir.partition("/")
        name, _, ref = rest.partition(":")
        candidates = [Path(hub.get_dir()) / f"{owner}_{name}_{r}" for r in ([ref] if ref else ["main", "master"])]
        found = next((c for c in candidates if (c / "hubconf.py").is_file()), None)
        if found is not None:
            return load(str(found), model, *args, source="local", **kwargs)
        raise WeightsOfflineError(
            f"Model {identifier!r} (plugin {folder}) loads {model!r} from the torch hub repository {repo_or_dir}, "
            f"which is not in the torch hub directory: clone https://github.com/{owner}/{name} into "
            f"{candidates[0]} (its weights then go to {Path(hub.get_dir()) / 'checkpoints'}). {_NOTHING}"
        )

    patches.set(hub, "download_url_to_file", download_url_to_file)
    patches.set(hub, "load", hub_load)


def _patch_sockets(patches: _Patches, identifier: str, folder: Path) -> None:
    def refuse_address(host: object, *args: Any, **kwargs: Any) -> Any:
        raise _refuse_connection(identifier, folder, host)

    def refuse_connect(self: socket.socket, address: Any) -> Any:
        if self.family == getattr(socket, "AF_UNIX", None):
            return original_connect(self, address)
        raise _refuse_connection(identifier, folder, address[0] if isinstance(address, tuple) else address)

    original_connect = socket.socket.connect
    patches.set(socket, "getaddrinfo", refuse_address)
    patches.set(socket, "create_connection", lambda address, *a, **k: refuse_address(address[0]))
    patches.set(socket.socket, "connect", refuse_connect)


@contextlib.contextmanager
def offline_build(identifier: str, folder: Path) -> Iterator[None]:
    """For the block (the build of model ``identifier`` from plugin ``folder``), downloads fail with a message
    naming the file and where to put it; with ``BRAINSCORE_DOWNLOAD_WEIGHTS=1``, torch hub downloads are
    announced and run."""
    patches = _Patches()
    allowed = downloads_allowed()
    try:
        _patch_torch_hub(patches, identifier, folder, allowed)
        if not allowed:
            _patch_sockets(patches, identifier, folder)
        yield
    finally:
        patches.undo()


class OfflineFactory:
    """A Brain-Score plugin's registered factory, run inside :func:`offline_build`."""

    def __init__(self, identifier: str, folder: Path, factory: Callable[[], Any]) -> None:
        self.identifier = identifier
        self.folder = folder
        self.__wrapped__ = factory  # inspect.signature (check-plugin's factory check) sees the plugin's own

    def __call__(self) -> Any:
        with offline_build(self.identifier, self.folder):
            return self.__wrapped__()

    def __repr__(self) -> str:
        return f"OfflineFactory({self.identifier!r}, {self.__wrapped__!r})"
