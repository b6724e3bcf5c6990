"""The local HTTP server standing in for Brain-Score's bucket, and the synthetic BrainIO files (see conftest.py)."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from brainscore_core.fetching import RemoteFile, register_remote_data


def sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


@dataclass
class Served:
    """The server's state: what it serves, how it misbehaves, and what it was asked."""

    files: dict[str, bytes] = field(default_factory=dict)  #: URL path -> bytes
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    ranges: bool = True
    requests: list[tuple[str, str | None]] = field(default_factory=list)  #: (path with query, Range header)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def gets(self, path: str) -> list[tuple[str, str | None]]:
        """The requests for ``path`` (any query)."""
        return [r for r in self.requests if urlsplit(r[0]).path == path]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's parameter name
        pass

    def do_GET(self) -> None:
        state = self.server.state
        parts = urlsplit(self.path)
        with state.lock:
            state.requests.append((self.path, self.headers.get("Range")))
        rule = state.rules.get(parts.path, {})
        time.sleep(rule.get("delay", 0))
        status = rule.get("status")
        if rule.get("refuse_versions") and "versionId=" in parts.query:
            status = 403
        if status is None and parts.path not in state.files:
            status = 404
        if status is not None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = state.files[parts.path]
        if rule.get("corrupt"):
            body = body[::-1]
        start, asked = 0, self.headers.get("Range")
        if asked and state.ranges:
            start = 0 if rule.get("wrong_range") else int(asked.removeprefix("bytes=").split("-")[0])
            if start >= len(body):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(body)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            self.send_response(200)
        payload = body[start:]
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        with state.lock:
            truncate = rule.get("truncate", 0) > 0
            if truncate:
                rule["truncate"] -= 1
        if truncate:
            payload = payload[: len(payload) // 2]
        for offset in range(0, len(payload), 4096):
            self.wfile.write(payload[offset : offset + 4096])
            self.wfile.flush()
            time.sleep(rule.get("chunk_delay", 0))
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: Served

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up (a timeout test) is expected, not news


@dataclass
class Synthetic:
    """Small synthetic data sets in the real BrainIO layout, by file name."""

    files: dict[str, bytes]

    def remote(self, name: str, base_url: str, *, version: bool = True, size: bool = True) -> RemoteFile:
        data = self.files[name]
        query = "?versionId=null" if version else ""
        return RemoteFile(
            name=name,
            sha1=sha1(data),
            size=len(data) if size else None,
            url_path=f"brainio-brainscore/{name}{query}",
            bucket=base_url,
        )

    def serve(self, server: Served) -> None:
        for name, data in self.files.items():
            server.files[f"/brainio-brainscore/{name}"] = data

    def register(self, identifier: str, names: list[str], base_url: str, **options: Any) -> list[RemoteFile]:
        files = [self.remote(name, base_url, **options) for name in names]
        register_remote_data(identifier, files, description="synthetic test data")
        return files


ASSEMBLY = "assy_dicarlo_Toy2015_public.nc"
CSV = "stimulus_toy-public.csv"
ZIP = "stimulus_toy-public.zip"
