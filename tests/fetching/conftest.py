"""A local HTTP server standing in for Brain-Score's bucket, and a test catalog of small synthetic BrainIO files.

The server (stdlib ``ThreadingHTTPServer`` on 127.0.0.1, one thread) serves ``files`` and records every request.
Switches per path (``Served.rules[path]``): ``status`` (e.g. 403/404), ``refuse_versions`` (403 for a request with
``versionId=``), ``truncate`` (so many responses end after half the body), ``delay`` (seconds before answering),
``chunk_delay`` (seconds between 4 kB chunks of the body), ``corrupt`` (serve other bytes), ``wrong_range`` (answer
a ``Range`` request with the range from byte 0); ``Served.ranges`` switches ``Range`` support.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fetching_support import ASSEMBLY, CSV, ZIP, Served, Synthetic, _Handler, _Server

from brainscore_core import neuroid_assembly, stimulus_set
from brainscore_core.brainio import write_assembly, write_stimulus_set
from brainscore_core.fetching import catalog as catalog_module
from brainscore_core.fetching.catalog import remote_data_registry


@pytest.fixture
def server() -> Iterator[Served]:
    """A running local server; ``server.url`` is its base URL (``http://127.0.0.1:<port>``)."""
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.state = Served()
    httpd.state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd.state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture
def gone_url() -> str:
    """The base URL of a server that is gone: nothing listens on its port any more (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(autouse=True)
def fetching_environment(isolated_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty data cache, home folder and Brain-Score cache; no mirror; fast retries; a clean catalog."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # ~/.brainio is home/.brainio, never the real one
    monkeypatch.delenv("BRAINIO_HOME", raising=False)
    monkeypatch.delenv("BRAINSCORE_DATA_MIRROR", raising=False)
    monkeypatch.delenv("BRAINSCORE_LOCK_TIMEOUT", raising=False)
    monkeypatch.setenv("BRAINSCORE_FETCH_TIMEOUT", "2")
    monkeypatch.setenv("BRAINSCORE_FETCH_RETRIES", "2")
    monkeypatch.setenv("BRAINSCORE_FETCH_BACKOFF", "0.01")
    registered = remote_data_registry.snapshot()
    declared = dict(catalog_module._benchmark_data)
    try:
        yield isolated_cache
    finally:
        remote_data_registry.restore(registered)
        catalog_module._benchmark_data.clear()
        catalog_module._benchmark_data.update(declared)


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Synthetic:
    """A toy neural assembly (``assy_*.nc``: presentation x neuroid x time_bin, repetitions, two regions) and its
    stimulus set (``stimulus_*.csv`` with ``image_id``/``filename`` and a flat zip of PNGs), written by
    ``brainscore_core.brainio``; plus a 256 kB blob so that downloads come in many chunks."""
    folder = tmp_path_factory.mktemp("synthetic")
    ids = ["im0", "im1", "im2"]
    values = np.arange(6 * 4, dtype=np.float32).reshape(6, 4, 1)
    assembly = neuroid_assembly(
        values,
        stimulus_id=ids * 2,
        presentation_coords={"image_id": ids * 2, "repetition": [0, 0, 0, 1, 1, 1]},
        neuroid_coords={"region": ["V4", "V4", "IT", "IT"]},
        time_bins=[(70, 170)],
    )
    write_assembly(assembly, folder / ASSEMBLY)
    images = [np.full((8, 8, 3), 40 * i, dtype=np.uint8) for i in range(3)]
    stimuli = stimulus_set("toy-public", {"stimulus_id": ids, "object_name": ["a", "b", "a"]}, images=images)
    write_stimulus_set(stimuli, folder / CSV, folder / ZIP)
    blob = np.random.default_rng(0).bytes(256 * 1024)
    files = {name: (folder / name).read_bytes() for name in (ASSEMBLY, CSV, ZIP)}
    files["blob.bin"] = blob
    return Synthetic(files)
