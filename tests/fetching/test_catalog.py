"""The catalog: RemoteFile checks and URLs, registration (cheap, offline, duplicates refused), benchmark data."""

from __future__ import annotations

import pytest

from brainscore_core.errors import DuplicateRegistrationError, UnknownIdentifierError
from brainscore_core.fetching import (
    RemoteFile,
    benchmark_data_ids,
    brainio_file,
    data_for_benchmark,
    fetch,
    register_remote_data,
    remote_data,
    resolve_data_ids,
)

SHA1 = "13d28ca0ce88ee550b54db3004374ae19096e9b9"


def test_brainio_file_builds_brainscores_public_url_with_its_version_id():
    file = brainio_file("assy_dicarlo_MajajHong2015_public.nc", SHA1)
    assert file.url == (
        "https://brainscore-storage.s3.amazonaws.com/brainio-brainscore/assy_dicarlo_MajajHong2015_public.nc"
        "?versionId=null"
    )
    versioned = brainio_file("a.nc", SHA1, version_id="W2vx7jdh9utZdVumHHarXa4L1zOrA8Fd")
    assert versioned.url.endswith("/brainio-brainscore/a.nc?versionId=W2vx7jdh9utZdVumHHarXa4L1zOrA8Fd")
    assert brainio_file("a.nc", SHA1, version_id=None).url.endswith("/brainio-brainscore/a.nc")


def test_a_bucket_may_be_a_base_url_and_the_path_defaults_to_the_name():
    assert RemoteFile("a.nc", SHA1, bucket="http://127.0.0.1:8000/").url == "http://127.0.0.1:8000/a.nc"
    assert RemoteFile("a.nc", SHA1, url_path="x/a.nc", bucket="my-bucket").url == (
        "https://my-bucket.s3.amazonaws.com/x/a.nc"
    )


@pytest.mark.parametrize(
    "arguments, message",
    [
        (("sub/a.nc", SHA1), r"must be a plain file name"),
        (("..", SHA1), r"must be a plain file name"),
        (("a.nc", SHA1.upper()), r"is not 40 lower-case hex digits"),
        (("a.nc", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), r"not 40 lower-case hex"),
    ],
)
def test_remote_file_refuses_paths_and_non_sha1_digests(arguments, message):
    with pytest.raises(ValueError, match=message):
        RemoteFile(*arguments)


def test_registration_is_lazy_and_a_second_place_is_refused():
    register_remote_data("Catalog.public", [brainio_file("a.nc", SHA1, size=10)], description="toy")
    assert remote_data("Catalog.public").files[0].name == "a.nc"
    assert remote_data("Catalog.public").size == 10
    with pytest.raises(DuplicateRegistrationError, match=r"'Catalog.public' is registered twice"):
        register_remote_data("Catalog.public", [brainio_file("b.nc", SHA1)])


def test_registering_again_from_the_same_place_replaces():
    for name in ("a.nc", "b.nc"):  # a plugin imported twice
        register_remote_data("Catalog.again", [brainio_file(name, SHA1)])
    assert [f.name for f in remote_data("Catalog.again").files] == ["b.nc"]


def test_registration_checks_its_files():
    with pytest.raises(ValueError, match=r"give at least one RemoteFile"):
        register_remote_data("Catalog.empty", [])
    with pytest.raises(ValueError, match=r"file name\(s\) \['a.nc'\] listed twice"):
        register_remote_data("Catalog.twice", [brainio_file("a.nc", SHA1), brainio_file("a.nc", SHA1)])
    with pytest.raises(TypeError, match=r"files must be RemoteFile objects"):
        register_remote_data("Catalog.wrong", ["a.nc"])  # type: ignore[list-item]


def test_unknown_data_lists_close_identifiers():
    register_remote_data("Catalog.public", [brainio_file("a.nc", SHA1)])
    with pytest.raises(UnknownIdentifierError, match=r"Did you mean: 'Catalog.public'"):
        fetch("Catalog.publik")


def test_benchmarks_declare_their_data():
    data_for_benchmark("Catalog2015.IT-pls", ["Catalog.public", "catalog-stimuli"])
    assert benchmark_data_ids("Catalog2015.IT-pls") == ("Catalog.public", "catalog-stimuli")
    assert benchmark_data_ids("Unknown.bench") == ()
    with pytest.raises(TypeError, match=r"give a list of data identifiers, e.g. \['Catalog.public'\]"):
        data_for_benchmark("Catalog2015.IT-pls", "Catalog.public")


def test_data_identifiers_and_globs_resolve_in_order_each_once():
    for identifier in ("Catalog.a", "Catalog.b"):
        register_remote_data(identifier, [brainio_file(f"{identifier}.nc", SHA1)])
    assert resolve_data_ids(["Catalog.b", "Catalog.*"]) == ["Catalog.b", "Catalog.a"]


def test_registering_and_planning_import_no_network_library():
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from brainscore_core.fetching import brainio_file, plan, register_remote_data\n"
        f"register_remote_data('Catalog.public', [brainio_file('a.nc', {SHA1!r})])\n"
        "plan('Catalog.public')\n"
        "print(sorted(m for m in ('pooch', 'requests', 'urllib3', 'torch') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
