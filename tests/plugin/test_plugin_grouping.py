"""``--dist loadgroup``: every test of one model runs on one pytest-xdist worker (pytest_brainscore.grouping)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from pytest_brainscore._threads import THREAD_VARIABLES, thread_share
from pytest_brainscore.grouping import group_of

MODELS = ["resnet18", "resnet18_untrained", "toy-model"]


@pytest.mark.parametrize(
    "nodeid, group",
    [
        ("brainscore[resnet18-Cowley2023.V4-pls]", "model:resnet18"),
        ("brainscore[resnet18_untrained-Cowley2023.V4-pls]", "model:resnet18_untrained"),
        ("tests/test_a.py::test_x[toy-model-Lab.V4-mean]", "model:toy-model"),  # a dash inside the model id
        ("tests/test_a.py::test_x[resnet18]", "model:resnet18"),  # a model-only parameter
        (
            "example_plugins/models/resnet18/test.py::test_benchmark_score[Lab.V4]",
            "file:example_plugins/models/resnet18/test.py",
        ),
        ("models/pixels/test.py::test_shape", "file:models/pixels/test.py"),
        ("tests/test_a.py::test_y@heavy", "xdist_group:heavy"),
        ("tests/test_a.py::test_x[resnet18-Lab.V4]@brainscore:resnet18-Lab.V4", "model:resnet18"),
        ("tests/test_a.py::test_x[a@b]", "tests/test_a.py::test_x[a@b]"),  # an '@' inside parameters is no group
        ("tests/test_a.py::test_x[other-Lab.V4]", "tests/test_a.py::test_x[other-Lab.V4]"),  # no model: alone
        ("tests/models/test.py::test_z", "tests/models/test.py::test_z"),  # not models/<name>/test.py: alone
    ],
)
def test_group_of(nodeid: str, group: str) -> None:
    assert group_of(nodeid, MODELS) == group


def test_pytest_ignores_the_nodeid_suffix_that_xdist_loadgroup_relies_on(pytester: pytest.Pytester) -> None:
    """Why grouping.py exists: pytest 9.2 derives ``nodeid`` from ``_id``, so xdist's ``item._nodeid = ...@group``
    (its loadgroup) changes nothing and the groups silently fall apart (pytest-xdist#1386). If this fails, xdist's
    own loadgroup may work again (grouping.py honours its ``@group`` suffix either way)."""
    pytester.makepyfile(test_a="def test_a(): pass")
    (item,) = pytester.getitems(pytester.path / "test_a.py")
    item._nodeid = f"{item.nodeid}@group"
    assert not item.nodeid.endswith("@group")


RECORDER = """
import os

def pytest_runtest_setup(item):
    with open(os.environ["WORKER_LOG"], "a") as log:
        threads = os.environ.get("OMP_NUM_THREADS", "unset")
        log.write(f"{item.nodeid} {os.environ.get('PYTEST_XDIST_WORKER', 'none')} {threads}\\n")
"""

SUITE = """
import pytest

@pytest.mark.brainscore(model=["toy_good", "toy_poor", "toy_v4only"], benchmark="ToyLab2024.*")
def test_alignment(brainscore_result):
    pass

@pytest.mark.parametrize("i", range(6))
def test_unrelated(i):
    pass
"""


def _workers(log_file) -> dict[str, set[str]]:
    """nodeid -> the workers it ran on (from the recorder conftest's log); each worker had its share of threads."""
    ran: dict[str, set[str]] = defaultdict(set)
    for line in log_file.read_text().splitlines():
        nodeid, worker, threads = line.rsplit(" ", 2)
        ran[nodeid].add(worker)
        assert threads == str(thread_share(2)), line  # pytest_brainscore._threads on each worker
    return ran


def _by_model(ran: dict[str, set[str]]) -> dict[str, set[str]]:
    workers: dict[str, set[str]] = defaultdict(set)
    for nodeid, where in ran.items():
        for model in ("toy_good", "toy_poor", "toy_v4only"):
            if f"[{model}-" in nodeid:
                workers[model] |= where
    return workers


@pytest.mark.slow  # two pytest-xdist sessions of two workers each
def test_loadgroup_runs_each_models_tests_on_one_worker(toy: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    log_file = toy.path / "workers.log"
    monkeypatch.setenv("WORKER_LOG", str(log_file))
    for name in THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    toy.makeconftest(RECORDER)
    toy.makepyfile(test_suite=SUITE)
    result = toy.runpytest_subprocess("-n", "2", "--dist", "loadgroup", "-p", "no:randomly")
    result.assert_outcomes(passed=11, skipped=1)  # toy_v4only has no IT
    ran = _workers(log_file)
    by_model = _by_model(ran)
    assert set(by_model) == {"toy_good", "toy_poor", "toy_v4only"}
    assert all(len(workers) == 1 for workers in by_model.values()), by_model
    assert set().union(*ran.values()) == {"gw0", "gw1"}  # and both workers had work

    # generated items (no test file uses the plugin): grouped by model too
    log_file.unlink()
    (toy.path / "test_suite.py").unlink()
    toy.makepyfile(test_other="import pytest\n@pytest.mark.parametrize('i', range(4))\ndef test_a(i): pass\n")
    selection = ("--brainscore-model=toy_*", "--brainscore-benchmark=ToyLab2024.*")
    result = toy.runpytest_subprocess("-n", "2", "--dist", "loadgroup", "-p", "no:randomly", *selection)
    result.assert_outcomes(passed=9, skipped=1)
    ran = _workers(log_file)
    by_model = _by_model(ran)
    assert len([nodeid for nodeid in ran if nodeid.startswith("brainscore[")]) == 6
    assert set(by_model) == {"toy_good", "toy_poor", "toy_v4only"}
    assert all(len(workers) == 1 for workers in by_model.values()), by_model
