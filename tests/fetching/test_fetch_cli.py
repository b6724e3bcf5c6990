"""``brainscore fetch [--dry-run] ID...``: data or benchmark identifiers and globs; one line per file; one-line
errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fetching_support import ASSEMBLY, CSV, ZIP, Served, Synthetic

from brainscore_core.cli import main
from brainscore_core.fetching import cached_path, data_dir, data_for_benchmark, fetch
from brainscore_core.registry import benchmark_registry


@pytest.fixture
def toy_benchmarks() -> Iterator[None]:
    """Two benchmarks that declare the toy data, one that declares none; removed afterwards."""
    before = benchmark_registry.snapshot()
    for identifier in ("ToyFetch2015.IT-pls", "ToyFetch2015.V4-pls", "ToyLocal.IT-pls"):
        benchmark_registry.register(identifier, lambda: None, description="toy")
    data_for_benchmark("ToyFetch2015.IT-pls", ["Toy2015.public", "toy-public"])
    data_for_benchmark("ToyFetch2015.V4-pls", ["Toy2015.public", "toy-public"])
    yield
    benchmark_registry.restore(before)


@pytest.fixture
def toy_data(server: Served, synthetic: Synthetic, toy_benchmarks: None) -> Served:
    synthetic.serve(server)
    synthetic.register("Toy2015.public", [ASSEMBLY], server.url)
    synthetic.register("toy-public", [CSV, ZIP], server.url)
    return server


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    status = main(["fetch", *args])
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def test_dry_run_prints_url_sha1_path_and_state_per_file_and_touches_nothing(
    toy_data: Served, synthetic: Synthetic, capsys
):
    fetch("toy-public")  # the stimulus set is cached, the assembly is not
    requests_before = len(toy_data.requests)

    status, lines, err = _run(capsys, "--dry-run", "ToyFetch2015.IT-pls")

    assert status == 0, err
    files = {
        name: synthetic.remote(name, toy_data.url)
        for name in (ASSEMBLY, CSV, ZIP)  # the benchmark's data, in the declared order
    }
    missing = f"missing ({len(synthetic.files[ASSEMBLY]) / 1e3:.1f} kB)"
    assert lines == [
        f"{f.url}  sha1:{f.sha1}  {cached_path(f)}  {missing if name == ASSEMBLY else 'cached'}"
        for name, f in files.items()
    ]
    assert len(toy_data.requests) == requests_before  # no network
    assert not (data_dir() / files[ASSEMBLY].sha1).exists()  # nothing written


def test_dry_run_of_a_glob_lists_each_data_set_once(toy_data: Served, capsys):
    status, lines, err = _run(capsys, "--dry-run", "ToyFetch2015.*")
    assert status == 0, err
    assert len(lines) == 3  # two benchmarks, the same three files


def test_dry_run_shows_the_mirror_url_and_files_in_a_brainscore_cache(
    toy_data: Served, synthetic: Synthetic, tmp_path: Path, capsys, monkeypatch
):
    monkeypatch.setenv("BRAINSCORE_DATA_MIRROR", "https://mirror.example.org/brainscore")
    assembly = synthetic.remote(ASSEMBLY, toy_data.url)
    in_brainio = tmp_path / "home" / ".brainio" / assembly.sha1 / ASSEMBLY
    in_brainio.parent.mkdir(parents=True)
    in_brainio.write_bytes(synthetic.files[ASSEMBLY])

    status, lines, err = _run(capsys, "--dry-run", "Toy2015.public")

    assert status == 0, err
    expected = f"https://mirror.example.org/brainscore/{ASSEMBLY}  sha1:{assembly.sha1}  {cached_path(assembly)}"
    assert lines == [f"{expected}  in {in_brainio}"]


def test_fetch_downloads_and_prints_each_file(toy_data: Served, synthetic: Synthetic, capsys):
    status, lines, err = _run(capsys, "ToyFetch2015.IT-pls")
    assert status == 0, err
    paths = {name: cached_path(synthetic.remote(name, toy_data.url)) for name in (ASSEMBLY, CSV, ZIP)}
    assert lines == [
        f"Toy2015.public: {ASSEMBLY} -> {paths[ASSEMBLY]}",
        f"toy-public: {CSV} -> {paths[CSV]}",
        f"toy-public: {ZIP} -> {paths[ZIP]}",
    ]
    assert all(path.read_bytes() == synthetic.files[name] for name, path in paths.items())


def test_fetch_offline_is_one_error_line(synthetic: Synthetic, gone_url: str, toy_benchmarks: None, capsys):
    synthetic.register("Toy2015.public", [ASSEMBLY], gone_url)
    status, lines, err = _run(capsys, "Toy2015.public")
    assert status == 2 and lines == []
    assert err.count("\n") == 1
    assert err.startswith("error: Data set 'Toy2015.public' is not available: 1 file(s) missing: ")
    assert "run `brainscore fetch Toy2015.public`" in err


def test_an_unknown_identifier_lists_close_data_and_benchmark_identifiers(toy_data: Served, capsys):
    status, _, err = _run(capsys, "--dry-run", "Toy2015.publik")
    assert status == 2
    assert err.startswith("error: Unknown data set or benchmark identifier 'Toy2015.publik'. Did you mean: ")
    assert "'Toy2015.public'" in err


def test_a_benchmark_without_remote_data_says_there_is_nothing_to_fetch(toy_data: Served, capsys):
    status, _, err = _run(capsys, "ToyLocal.IT-pls")
    assert status == 2
    assert "Benchmark(s) 'ToyLocal.IT-pls' declare no remote data (their data ship with their plugin)" in err


def test_the_commands_in_the_messages_exist(synthetic: Synthetic, gone_url: str):
    import re
    import shlex

    from brainscore_core.cli import build_parser
    from brainscore_core.errors import DataUnavailableError, UnknownIdentifierError

    synthetic.register("Toy2015.public", [ASSEMBLY], gone_url)
    messages = []
    for identifier in ("Toy2015.public", "zzzz-qqqq-nothing-like-it"):
        with pytest.raises((DataUnavailableError, UnknownIdentifierError)) as raised:
            fetch(identifier)
        messages.append(str(raised.value))
    for message in messages:
        commands = re.findall(r"`(brainscore [^`]+)`", message)
        assert len(commands) == 1, message
        build_parser().parse_args(shlex.split(commands[0])[1:])  # argparse exits on an unknown command
    assert "`brainscore fetch --dry-run '*'`" in messages[1]
