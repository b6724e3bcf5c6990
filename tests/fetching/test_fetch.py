"""fetch(): download, verify, publish; resume; refusals; mirrors; Brain-Score caches; the error for people."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from fetching_support import ASSEMBLY, CSV, ZIP, Served, Synthetic, sha1

from brainscore_core.brainio import load_assembly, load_stimulus_set
from brainscore_core.errors import DataError, DataUnavailableError
from brainscore_core.fetching import cached_path, data_dir, fetch, is_cached


def _published(root: Path) -> list[str]:
    """Every file under the data cache, relative, except locks (staging and partial files show up)."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and ".locks" not in p.parts)


def test_happy_path_downloads_verifies_and_publishes_real_brainio_files(server: Served, synthetic: Synthetic):
    synthetic.serve(server)
    files = synthetic.register("Toy2015.public", [ASSEMBLY, CSV, ZIP], server.url)

    paths = fetch("Toy2015.public")

    assert set(paths) == {ASSEMBLY, CSV, ZIP}
    for file in files:
        assert paths[file.name] == data_dir() / file.sha1 / file.name == cached_path(file)
        assert paths[file.name].read_bytes() == synthetic.files[file.name]
        assert is_cached(file)
    assert _published(data_dir()) == sorted(f"{f.sha1}/{f.name}" for f in files)  # no staging or partial left
    assert [r[0] for r in server.gets(f"/brainio-brainscore/{ASSEMBLY}")] == [
        f"/brainio-brainscore/{ASSEMBLY}?versionId=null"
    ]
    assembly = load_assembly(paths[ASSEMBLY])  # the files are usable BrainIO files
    assert assembly.sizes["presentation"] == 6 and set(assembly["region"].values) == {"V4", "IT"}
    stimuli = load_stimulus_set(paths[CSV], paths[ZIP], identifier="toy-public")
    assert stimuli.stimulus_ids == ["im0", "im1", "im2"]


def test_a_cached_file_is_not_downloaded_again(server: Served, synthetic: Synthetic):
    synthetic.serve(server)
    synthetic.register("Toy2015.public", [CSV], server.url)
    first = fetch("Toy2015.public")
    second = fetch("Toy2015.public")
    assert first == second
    assert len(server.gets(f"/brainio-brainscore/{CSV}")) == 1


def test_sha1_mismatch_keeps_nothing_and_says_so(server: Served, synthetic: Synthetic):
    synthetic.serve(server)
    (file,) = synthetic.register("Toy2015.public", ["blob.bin"], server.url)
    server.rules["/brainio-brainscore/blob.bin"] = {"corrupt": True}

    with pytest.raises(DataUnavailableError) as raised:
        fetch("Toy2015.public")

    message = str(raised.value)
    served = sha1(synthetic.files["blob.bin"][::-1])
    assert f"has SHA-1 {served}, not the registered {file.sha1}; nothing was kept" in message
    assert not is_cached(file)
    assert _published(data_dir()) == []


def test_truncated_body_is_resumed_with_a_range_request(server: Served, synthetic: Synthetic):
    synthetic.serve(server)
    synthetic.register("Toy2015.public", ["blob.bin"], server.url)
    server.rules["/brainio-brainscore/blob.bin"] = {"truncate": 1}

    paths = fetch("Toy2015.public")

    assert paths["blob.bin"].read_bytes() == synthetic.files["blob.bin"]
    ranges = [r[1] for r in server.gets("/brainio-brainscore/blob.bin")]
    half = len(synthetic.files["blob.bin"]) // 2
    assert ranges[0] is None and len(ranges) == 2
    resumed_at = int(ranges[1].removeprefix("bytes=").removesuffix("-"))
    assert 0 < resumed_at <= half  # the bytes that arrived were kept (less at most the chunk being read)


def test_a_partial_download_survives_the_run_and_is_resumed_by_the_next(server: Served, synthetic: Synthetic):
    synthetic.serve(server)
    (file,) = synthetic.register("Toy2015.public", ["blob.bin"], server.url)
    server.rules["/brainio-brainscore/blob.bin"] = {"truncate": 3}  # first call: 1 try + 2 retries, all cut short

    with pytest.raises(DataUnavailableError, match=r"kept, to resume next time"):
        fetch("Toy2015.public")
    assert not is_cached(file)

    paths = fetch("Toy2015.public")

    assert paths["blob.bin"].read_bytes() == synthetic.files["blob.bin"]
    ranges = [r[1] for r in server.gets("/brainio-brainscore/blob.bin")]
    assert ranges[0] is None and all(r is not None for r in ranges[1:])  # every later request resumed
    assert len(ranges) == 4


def test_a_server_without_range_support_sends_the_whole_file_again(server: Served, synthetic: Synthetic):
    synthetic.serve(server)
    synthetic.register("Toy2015.public", ["blob.bin"], server.url)
    server.ranges = False
    server.rules["/brainio-brainscore/blob.bin"] = {"truncate": 1}
    paths = fetch("Toy2015.public")
    assert paths["blob.bin"].read_bytes() == synthetic.files["blob.bin"]
    assert len(server.gets("/brainio-brainscore/blob.bin")) == 2


@pytest.mark.parametrize("status", [403, 404])
def test_refusals_fail_at_once_with_the_status(server: Served, synthetic: Synthetic, status: int):
    synthetic.serve(server)
    (file,) = synthetic.register("Toy2015.public", [CSV], server.url, version=False)
    server.rules[f"/brainio-brainscore/{CSV}"] = {"status": status}

    with pytest.raises(DataUnavailableError, match=rf"{CSV}: HTTP {status}") as raised:
        fetch("Toy2015.public")

    assert len(server.gets(f"/brainio-brainscore/{CSV}")) == 1  # a refusal is not retried
    assert raised.value.files == [(CSV, file.size)]
    assert not is_cached(file)


def test_a_refused_version_id_falls_back_to_the_plain_key(server: Served, synthetic: Synthetic):
    synthetic.serve(server)
    synthetic.register("Toy2015.public", [CSV], server.url)
    server.rules[f"/brainio-brainscore/{CSV}"] = {"refuse_versions": True}
    paths = fetch("Toy2015.public")
    assert paths[CSV].read_bytes() == synthetic.files[CSV]
    assert [r[0] for r in server.gets(f"/brainio-brainscore/{CSV}")] == [
        f"/brainio-brainscore/{CSV}?versionId=null",
        f"/brainio-brainscore/{CSV}",
    ]


def test_a_silent_server_times_out_after_the_retries(server: Served, synthetic: Synthetic, monkeypatch):
    monkeypatch.setenv("BRAINSCORE_FETCH_TIMEOUT", "0.3")
    monkeypatch.setenv("BRAINSCORE_FETCH_RETRIES", "1")
    synthetic.serve(server)
    synthetic.register("Toy2015.public", [CSV], server.url)
    server.rules[f"/brainio-brainscore/{CSV}"] = {"delay": 1.0}

    with pytest.raises(DataUnavailableError, match=r"no answer within 0\.3 s \(BRAINSCORE_FETCH_TIMEOUT\), 2 time"):
        fetch("Toy2015.public")
    assert len(server.gets(f"/brainio-brainscore/{CSV}")) == 2


def test_a_server_that_is_gone_is_retried_then_reported(gone_url: str, synthetic: Synthetic):
    synthetic.register("Toy2015.public", [CSV, ZIP], gone_url)
    with pytest.raises(DataUnavailableError, match=r"connection refused \(server down or gone\), 3 time") as raised:
        fetch("Toy2015.public")
    assert [name for name, _ in raised.value.files] == [CSV, ZIP]


def test_a_host_name_that_does_not_resolve_fails_at_once(synthetic: Synthetic):
    synthetic.register("Toy2015.public", [CSV], "http://brainscore-test.invalid")
    with pytest.raises(DataUnavailableError, match=r"host name does not resolve"):
        fetch("Toy2015.public")


def test_the_error_names_the_data_set_its_files_and_sizes_and_the_three_ways_out(
    gone_url: str, synthetic: Synthetic, tmp_path: Path
):
    synthetic.register("Toy2015.public", [ASSEMBLY, "blob.bin"], gone_url)
    with pytest.raises(DataUnavailableError) as raised:
        fetch("Toy2015.public")
    message = str(raised.value)
    assembly_size = len(synthetic.files[ASSEMBLY])
    assert message.startswith(
        f"Data set 'Toy2015.public' is not available: 2 file(s) missing: {ASSEMBLY} "
        f"({assembly_size / 1e3:.1f} kB), blob.bin (262.1 kB); "
    )
    assert "run `brainscore fetch Toy2015.public`" in message
    assert f"it downloads into {data_dir()}" in message
    assert "set BRAINSCORE_DATA_MIRROR to a lab mirror: an http(s):// URL prefix or a local directory" in message
    assert f"set BRAINIO_HOME to it (searched: {tmp_path / 'home' / '.brainio'})" in message
    assert "No BRAINSCORE_DATA_MIRROR is set." in message
    assert isinstance(raised.value, DataError)


def test_unknown_sizes_are_said_to_be_unknown(gone_url: str, synthetic: Synthetic):
    synthetic.register("Toy2015.public", [CSV], gone_url, size=False)
    with pytest.raises(DataUnavailableError, match=rf"{CSV} \(size unknown\)\."):
        fetch("Toy2015.public")


def test_mirror_directory_flat_or_in_the_data_cache_layout(
    gone_url: str, synthetic: Synthetic, tmp_path: Path, monkeypatch
):
    files = synthetic.register("Toy2015.public", [CSV, ZIP], gone_url)
    mirror = tmp_path / "mirror"
    (mirror / files[1].sha1).mkdir(parents=True)
    (mirror / CSV).write_bytes(synthetic.files[CSV])  # flat
    (mirror / files[1].sha1 / ZIP).write_bytes(synthetic.files[ZIP])  # <sha1>/<name>
    monkeypatch.setenv("BRAINSCORE_DATA_MIRROR", str(mirror))

    paths = fetch("Toy2015.public")

    assert paths[CSV].read_bytes() == synthetic.files[CSV] and paths[ZIP].read_bytes() == synthetic.files[ZIP]
    assert (mirror / CSV).read_bytes() == synthetic.files[CSV]  # the mirror is untouched


def test_a_damaged_mirror_file_is_not_used(gone_url: str, synthetic: Synthetic, tmp_path: Path, monkeypatch):
    (file,) = synthetic.register("Toy2015.public", [CSV], gone_url)
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / CSV).write_bytes(b"not the csv")
    monkeypatch.setenv("BRAINSCORE_DATA_MIRROR", str(mirror))
    with pytest.raises(DataUnavailableError, match=rf"{mirror / CSV} has SHA-1 {sha1(b'not the csv')}"):
        fetch("Toy2015.public")
    assert not is_cached(file)
    assert (mirror / CSV).read_bytes() == b"not the csv"


def test_a_missing_mirror_folder_is_named(gone_url: str, synthetic: Synthetic, tmp_path: Path, monkeypatch):
    synthetic.register("Toy2015.public", [CSV], gone_url)
    monkeypatch.setenv("BRAINSCORE_DATA_MIRROR", str(tmp_path / "nowhere"))
    with pytest.raises(DataUnavailableError, match=r"BRAINSCORE_DATA_MIRROR folder .*nowhere does not exist"):
        fetch("Toy2015.public")


def test_mirror_url_is_a_prefix_of_the_file_names(server: Served, synthetic: Synthetic, monkeypatch):
    synthetic.register("Toy2015.public", [CSV], "http://brainscore-test.invalid")
    server.files[f"/lab/mirror/{CSV}"] = synthetic.files[CSV]
    monkeypatch.setenv("BRAINSCORE_DATA_MIRROR", f"{server.url}/lab/mirror/")
    paths = fetch("Toy2015.public")
    assert paths[CSV].read_bytes() == synthetic.files[CSV]
    assert [r[0] for r in server.requests] == [f"/lab/mirror/{CSV}"]


@pytest.mark.parametrize("where", ["home", "BRAINIO_HOME"])
def test_a_brainscore_cache_is_found_verified_and_never_modified(
    gone_url: str, synthetic: Synthetic, tmp_path: Path, monkeypatch, where: str
):
    (file,) = synthetic.register("Toy2015.public", [ASSEMBLY], gone_url)
    brainio = tmp_path / "home" / ".brainio" if where == "home" else tmp_path / "elsewhere"
    if where == "BRAINIO_HOME":
        monkeypatch.setenv("BRAINIO_HOME", str(brainio))
    original = brainio / file.sha1 / ASSEMBLY
    original.parent.mkdir(parents=True)
    original.write_bytes(synthetic.files[ASSEMBLY])
    os.chmod(original, 0o444)
    os.chmod(original.parent, 0o555)  # read-only (for a user other than root, a write there would raise)
    before = {p: (p.stat().st_mtime_ns, p.stat().st_mode) for p in brainio.rglob("*")}
    try:
        paths = fetch("Toy2015.public")
        after = {p: (p.stat().st_mtime_ns, p.stat().st_mode) for p in brainio.rglob("*")}
    finally:
        os.chmod(original.parent, 0o755)
    assert paths[ASSEMBLY].read_bytes() == synthetic.files[ASSEMBLY]
    assert paths[ASSEMBLY] == cached_path(file)  # ours, not theirs
    assert after == before
    assert original.read_bytes() == synthetic.files[ASSEMBLY]
    assert sorted(p.name for p in brainio.rglob("*")) == sorted([file.sha1, ASSEMBLY])


def test_a_damaged_brainscore_cache_entry_is_skipped_with_a_warning(
    server: Served, synthetic: Synthetic, tmp_path: Path
):
    synthetic.serve(server)
    (file,) = synthetic.register("Toy2015.public", [CSV], server.url)
    damaged = tmp_path / "home" / ".brainio" / file.sha1 / CSV
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(b"damaged")
    with pytest.warns(UserWarning, match=r"that Brain-Score cache entry is damaged; it was left as it is"):
        paths = fetch("Toy2015.public")
    assert paths[CSV].read_bytes() == synthetic.files[CSV]  # then downloaded
    assert damaged.read_bytes() == b"damaged"


def test_concurrent_fetchers_download_once(server: Served, synthetic: Synthetic):
    synthetic.serve(server)
    synthetic.register("Toy2015.public", ["blob.bin"], server.url)
    server.rules["/brainio-brainscore/blob.bin"] = {"chunk_delay": 0.005}  # ~0.3 s for 64 chunks
    results: list[dict[str, Path]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            results.append(fetch("Toy2015.public"))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(results) == 4 and all(r == results[0] for r in results)
    assert len(server.gets("/brainio-brainscore/blob.bin")) == 1
    assert results[0]["blob.bin"].read_bytes() == synthetic.files["blob.bin"]


def test_one_missing_file_leaves_the_others_cached(server: Served, synthetic: Synthetic):
    synthetic.serve(server)
    files = synthetic.register("Toy2015.public", [CSV, ZIP], server.url, version=False)
    server.rules[f"/brainio-brainscore/{ZIP}"] = {"status": 404}
    with pytest.raises(DataUnavailableError, match=r"1 file\(s\) missing: stimulus_toy-public\.zip"):
        fetch("Toy2015.public")
    assert is_cached(files[0]) and not is_cached(files[1])
