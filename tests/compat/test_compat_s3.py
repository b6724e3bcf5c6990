"""The S3 weight helpers: local caches first, SHA-1 checked, no download without permission (one error naming the
file, the path and the URL), and a download (against a server on 127.0.0.1) that says what goes where."""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from brainscore_core.errors import ChecksumMismatchError
from brainscore_core.supported_data_standards.brainio import s3

CONTENT = b"pretend these are weights\n" * 100
SHA1 = hashlib.sha1(CONTENT).hexdigest()


@pytest.fixture
def homes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_cache: Path) -> dict[str, Path]:
    """Every local root under ``tmp_path``: our cache (``isolated_cache``), Brain-Score's and BrainIO's homes."""
    monkeypatch.delenv("BRAINSCORE_HOME", raising=False)
    monkeypatch.delenv(s3.DOWNLOAD_ENV, raising=False)
    monkeypatch.delenv("BRAINSCORE_S3_WEIGHT_FOLDER", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BRAINIO_HOME", str(tmp_path / "brainio"))
    return {"cache": isolated_cache, "brain-score": tmp_path / "home" / ".brain-score", "brainio": tmp_path / "brainio"}


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """An HTTP server on 127.0.0.1 serving ``tmp_path/bucket`` as the bucket endpoint; yields the requested paths."""
    root = tmp_path / "served"
    (root / "brainscore-storage" / "models" / "user_1").mkdir(parents=True)
    (root / "brainscore-storage" / "models" / "user_1" / "net.pth").write_bytes(CONTENT)
    requests: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def do_GET(self):
            requests.append(self.path)
            self.path = self.path.split("?")[0]
            super().do_GET()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv(s3.ENDPOINT_ENV, f"http://127.0.0.1:{httpd.server_address[1]}/{{bucket}}")
    try:
        yield requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_sha1_hash_is_the_files_sha1(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_bytes(CONTENT)
    assert s3.sha1_hash(path) == SHA1


@pytest.mark.parametrize("root", ["cache", "brain-score", "brainio"])
def test_a_file_in_any_local_root_is_used_without_network(homes, root: str, server: list[str]) -> None:
    path = homes[root] / "models" / "user_1" / "net.pth"
    path.parent.mkdir(parents=True)
    path.write_bytes(CONTENT)
    assert s3.load_file("brainscore-storage", "user_1/net.pth", version_id="null") == path
    assert s3.load_weight_file("brainscore-storage", "user_1/net.pth", "null", sha1=SHA1) == path
    assert server == []


def test_folder_name_and_the_environment_choose_the_folder(homes, monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in ("weights", "custom"):
        (homes["cache"] / folder).mkdir(parents=True)
        (homes["cache"] / folder / "a.bin").write_bytes(CONTENT)
    assert s3.load_file("bucket", "a.bin", None, folder_name="weights") == homes["cache"] / "weights" / "a.bin"
    monkeypatch.setenv("BRAINSCORE_S3_WEIGHT_FOLDER", "custom")
    assert s3.load_file("bucket", "a.bin", None) == homes["cache"] / "custom" / "a.bin"


def test_a_wrong_sha1_is_an_error_naming_the_file(homes) -> None:
    path = homes["cache"] / "models" / "net.pth"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"something else")
    with pytest.raises(ChecksumMismatchError, match=r"net\.pth"):
        s3.load_weight_file("brainscore-storage", "net.pth", "null", sha1=SHA1)


def test_offline_a_missing_file_is_one_error_naming_file_path_and_url(homes, server: list[str]) -> None:
    with pytest.raises(s3.WeightFileMissingError) as raised:
        s3.load_weight_file("brainscore-storage", "user_1/net.pth", "abc", sha1=SHA1)
    message = str(raised.value)
    expected_path = homes["cache"] / "models" / "user_1" / "net.pth"
    assert "'models/user_1/net.pth'" in message and f"Put it at {expected_path}" in message
    assert "/brainscore-storage/models/user_1/net.pth?versionId=abc" in message
    assert f"set {s3.DOWNLOAD_ENV}=1" in message
    assert server == []  # nothing was requested
    assert not expected_path.exists()


def test_with_permission_the_file_is_downloaded_and_announced(homes, server, monkeypatch, capsys) -> None:
    monkeypatch.setenv(s3.DOWNLOAD_ENV, "1")
    path = s3.load_weight_file("brainscore-storage", "user_1/net.pth", "null", sha1=SHA1)
    assert path == homes["cache"] / "models" / "user_1" / "net.pth"
    assert path.read_bytes() == CONTENT
    assert server == ["/brainscore-storage/models/user_1/net.pth?versionId=null"]
    assert f"-> {path}" in capsys.readouterr().err
    assert [p.name for p in path.parent.iterdir()] == ["net.pth"]  # no partial file left
    s3.load_file("brainscore-storage", "user_1/net.pth", "null")
    assert len(server) == 1  # the second call reads the local file


def test_a_failed_download_says_where_to_put_the_file(homes, server, monkeypatch) -> None:
    monkeypatch.setenv(s3.DOWNLOAD_ENV, "1")
    with pytest.raises(s3.WeightFileMissingError, match=r"downloading the weight file .*missing\.pth.* failed"):
        s3.load_file("brainscore-storage", "missing.pth", None)
    assert list((homes["cache"] / "models").iterdir()) == []


def test_download_weights_fetches_a_folder(homes, server, monkeypatch, tmp_path: Path) -> None:
    from brainscore_vision.model_helpers import download_weights

    import brainscore_core  # noqa: F401  (installs the finder)

    monkeypatch.setenv(s3.DOWNLOAD_ENV, "1")
    download_weights("brainscore-storage", "models/user_1", [("net.pth", "null", SHA1)], tmp_path / "target")
    assert (tmp_path / "target" / "net.pth").read_bytes() == CONTENT
