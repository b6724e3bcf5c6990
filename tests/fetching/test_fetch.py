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
    assert os.path.samefile(original, paths[ASSEMBLY])  # a hard link on one file system: no space used
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


def test_a_kept_part_that_is_not_a_prefix_of_the_file_is_discarded_and_downloaded_afresh(
    server: Served, synthetic: Synthetic
):
    synthetic.serve(server)
    (file,) = synthetic.register("Toy2015.public", ["blob.bin"], server.url)
    partial = data_dir() / ".partial" / file.sha1 / "blob.bin"
    partial.parent.mkdir(parents=True)
    partial.write_bytes(b"x" * 1000)  # e.g. left by a download of a file that changed on the server since

    paths = fetch("Toy2015.public")

    assert paths["blob.bin"].read_bytes() == synthetic.files["blob.bin"]
    assert [r[1] for r in server.gets("/brainio-brainscore/blob.bin")] == ["bytes=1000-", None]
    assert not partial.exists()


def test_waiting_too_long_for_another_fetcher_names_the_lock(server: Served, synthetic: Synthetic, monkeypatch):
    from filelock import FileLock

    synthetic.serve(server)
    (file,) = synthetic.register("Toy2015.public", [CSV], server.url)
    monkeypatch.setenv("BRAINSCORE_LOCK_TIMEOUT", "0.2")
    lock = data_dir() / ".locks" / f"{file.sha1}.lock"
    lock.parent.mkdir(parents=True)
    with FileLock(str(lock)), pytest.raises(DataError) as raised:
        fetch("Toy2015.public")
    assert str(raised.value) == (
        f"Gave up after 0.2 s waiting for the download lock {lock}: another process is fetching {CSV}. Wait for "
        f"it and run again; to wait longer set BRAINSCORE_LOCK_TIMEOUT=SECONDS; if no such process runs any more, "
        f"delete {lock}."
    )
    assert server.requests == []


def test_quiet_under_capture_and_ci_a_progress_bar_when_asked(server: Served, synthetic: Synthetic, capfd):
    from brainscore_core.config import configure
    from brainscore_core.fetching.download import show_progress

    synthetic.serve(server)
    synthetic.register("Toy2015.public", [CSV], server.url)
    synthetic.register("Toy2015.blob", ["blob.bin"], server.url)
    with configure(progress=None):
        assert not show_progress()  # stderr is captured: not a terminal
        fetch("Toy2015.public")
    assert capfd.readouterr().err == ""
    with configure(progress=True):
        fetch("Toy2015.blob")
    err = capfd.readouterr().err
    assert "blob.bin" in err and "256k/256k" in err and "B/s" in err  # name, size, speed


@pytest.mark.parametrize("terminal, ci, expected", [(True, "", True), (True, "true", False), (False, "", False)])
def test_progress_only_on_a_terminal_outside_ci(monkeypatch, terminal: bool, ci: str, expected: bool):
    import sys

    from brainscore_core.config import configure
    from brainscore_core.fetching.download import show_progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)
    monkeypatch.setenv("CI", ci)
    with configure(progress=None):
        assert show_progress() is expected


def test_two_processes_download_once(server: Served, synthetic: Synthetic):
    """Both workers ask while the file's lock is held (as by a third fetcher), so both contend for it."""
    import subprocess
    import sys
    import time

    from filelock import FileLock

    synthetic.serve(server)
    file = synthetic.remote("blob.bin", server.url)
    script = (
        "from brainscore_core.fetching import RemoteFile, fetch, register_remote_data\n"
        f"register_remote_data('Toy.blob', [RemoteFile('blob.bin', {file.sha1!r}, {file.size}, "
        f"{file.url_path!r}, {file.bucket!r})])\n"
        "print('asking', flush=True)\n"
        "print(fetch('Toy.blob')['blob.bin'])\n"
    )
    environment = {**os.environ, "BRAINSCORE_HOME": str(data_dir().parent)}
    lock = data_dir() / ".locks" / f"{file.sha1}.lock"
    lock.parent.mkdir(parents=True)
    with FileLock(str(lock)):
        workers = [
            subprocess.Popen([sys.executable, "-c", script], env=environment, stdout=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        assert [worker.stdout.readline().strip() for worker in workers if worker.stdout] == ["asking", "asking"]
        time.sleep(0.3)  # both are now waiting for the lock
        assert server.requests == []
    outputs = [worker.communicate(timeout=120)[0].strip() for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0]
    assert outputs == [str(cached_path(file))] * 2
    assert len(server.gets("/brainio-brainscore/blob.bin")) == 1


def test_defaults_and_backoff_doubling(gone_url: str, synthetic: Synthetic, monkeypatch):
    from brainscore_core.fetching import download, fetch_settings, retrieval

    for name in ("BRAINSCORE_FETCH_TIMEOUT", "BRAINSCORE_FETCH_RETRIES", "BRAINSCORE_FETCH_BACKOFF"):
        monkeypatch.delenv(name)
    assert fetch_settings() == download.FetchSettings(timeout=60.0, retries=3, backoff=1.0)
    assert retrieval._lock_timeout() == 3600.0
    monkeypatch.setenv("BRAINSCORE_LOCK_TIMEOUT", "12")
    assert retrieval._lock_timeout() == 12.0
    pauses: list[float] = []
    monkeypatch.setattr(download.time, "sleep", pauses.append)
    synthetic.register("Toy2015.public", [CSV], gone_url)
    with pytest.raises(DataUnavailableError, match=r"4 time\(s\) \(3 retries"):
        fetch("Toy2015.public")
    assert pauses == [1.0, 2.0, 4.0]


@pytest.mark.parametrize("name, value", [("BRAINSCORE_FETCH_RETRIES", "many"), ("BRAINSCORE_FETCH_TIMEOUT", "0")])
def test_a_bad_setting_is_named(monkeypatch, name: str, value: str):
    from brainscore_core.fetching import fetch_settings

    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=rf"{name}='{value}' is not a"):
        fetch_settings()


def test_cache_clear_leaves_the_data_cache_alone(server: Served, synthetic: Synthetic):
    from brainscore_core import cache

    synthetic.serve(server)
    synthetic.register("Toy2015.public", [CSV], server.url)
    path = fetch("Toy2015.public")[CSV]
    cache.clear()
    assert path.read_bytes() == synthetic.files[CSV]


def test_a_range_answer_from_another_offset_is_not_appended(server: Served, synthetic: Synthetic):
    synthetic.serve(server)
    (file,) = synthetic.register("Toy2015.public", ["blob.bin"], server.url)
    partial = data_dir() / ".partial" / file.sha1 / "blob.bin"
    partial.parent.mkdir(parents=True)
    partial.write_bytes(synthetic.files["blob.bin"][:1000])
    server.rules["/brainio-brainscore/blob.bin"] = {"wrong_range": True}
    paths = fetch("Toy2015.public")
    assert paths["blob.bin"].read_bytes() == synthetic.files["blob.bin"]
    assert [r[1] for r in server.gets("/brainio-brainscore/blob.bin")] == ["bytes=1000-", None]


def test_a_mirror_folder_without_the_file_is_named(gone_url: str, synthetic: Synthetic, tmp_path: Path, monkeypatch):
    (file,) = synthetic.register("Toy2015.public", [CSV], gone_url)
    (tmp_path / "mirror").mkdir()
    monkeypatch.setenv("BRAINSCORE_DATA_MIRROR", str(tmp_path / "mirror"))
    with pytest.raises(DataUnavailableError) as raised:
        fetch("Toy2015.public")
    assert f"BRAINSCORE_DATA_MIRROR folder {tmp_path / 'mirror'} holds neither {CSV} nor {file.sha1}/{CSV}." in str(
        raised.value
    )


def test_leftovers_of_a_killed_fetcher_are_swept_and_pooch_keeps_its_log_level(server: Served, synthetic: Synthetic):
    import logging

    import pooch

    from brainscore_core.cache._process import HOST_TAG

    synthetic.serve(server)
    (file,) = synthetic.register("Toy2015.public", [CSV], server.url)
    leftover = data_dir() / file.sha1 / f".staging-{2**22 + 1}-{HOST_TAG}-abc"  # a pid that is gone
    leftover.mkdir(parents=True)
    (leftover / "tmp123").write_bytes(b"half")
    pooch.get_logger().setLevel(logging.INFO)
    fetch("Toy2015.public")
    assert sorted(p.name for p in (data_dir() / file.sha1).iterdir()) == [CSV]
    assert pooch.get_logger().level == logging.INFO


def test_an_unwritable_data_cache_reads_verified_local_copies_in_place(
    gone_url: str, synthetic: Synthetic, tmp_path: Path, monkeypatch
):
    from brainscore_core.config import configure

    files = synthetic.register("Toy2015.public", [CSV, ZIP], gone_url)
    brainio = tmp_path / "home" / ".brainio" / files[0].sha1 / CSV
    brainio.parent.mkdir(parents=True)
    brainio.write_bytes(synthetic.files[CSV])
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / ZIP).write_bytes(synthetic.files[ZIP])
    monkeypatch.setenv("BRAINSCORE_DATA_MIRROR", str(mirror))
    (tmp_path / "a-file").write_text("")
    with configure(cache_dir=tmp_path / "a-file" / "cache"):  # cannot be created
        assert fetch("Toy2015.public") == {CSV: brainio, ZIP: mirror / ZIP}
        (mirror / ZIP).write_bytes(b"changed")
        with pytest.raises(DataUnavailableError, match=r"cannot be written .*no Brain-Score cache or"):
            fetch("Toy2015.public")


def test_a_complete_kept_part_is_used_without_a_request_or_replaced_when_wrong(server: Served, synthetic: Synthetic):
    synthetic.serve(server)
    files = synthetic.register("Toy2015.public", [CSV, ZIP], server.url)
    for file, content in zip(files, (synthetic.files[CSV], b"w" * len(synthetic.files[ZIP])), strict=True):
        partial = data_dir() / ".partial" / file.sha1 / file.name
        partial.parent.mkdir(parents=True)
        partial.write_bytes(content)  # the CSV complete and right, the zip complete but wrong
    paths = fetch("Toy2015.public")
    assert all(paths[name].read_bytes() == synthetic.files[name] for name in (CSV, ZIP))
    assert server.gets(f"/brainio-brainscore/{CSV}") == []
    assert [r[1] for r in server.gets(f"/brainio-brainscore/{ZIP}")] == [None]
