"""Each pytest-xdist worker sizes torch's and BLAS's thread pools to its share of the cores (_threads.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pytest_brainscore._threads import THREAD_VARIABLES, limit_threads, thread_share, usable_cores


@pytest.mark.parametrize("processes, cores, threads", [(1, 8, 8), (2, 8, 4), (3, 8, 2), (2, 2, 1), (4, 2, 1)])
def test_thread_share_divides_the_cores_and_leaves_at_least_one(processes: int, cores: int, threads: int) -> None:
    assert thread_share(processes, cores) == threads


def test_thread_share_refuses_zero_processes() -> None:
    with pytest.raises(ValueError, match="processes must be at least 1, got 0"):
        thread_share(0)


def test_limit_threads_sets_every_pool_variable() -> None:
    environ: dict[str, str] = {}
    threads = limit_threads(2, environ)
    assert threads == max(1, usable_cores() // 2)
    assert environ == dict.fromkeys(THREAD_VARIABLES, str(threads))


@pytest.mark.parametrize("chosen", THREAD_VARIABLES)
def test_a_users_thread_setting_wins(chosen: str) -> None:
    environ = {chosen: "3"}
    assert limit_threads(2, environ) is None
    assert environ == {chosen: "3"}


def test_already_imported_torch_and_blas_are_limited_too() -> None:
    code = (
        "import torch, numpy, threadpoolctl\n"
        "from pytest_brainscore._threads import limit_threads\n"
        "torch.set_num_threads(64)\n"
        "n = limit_threads(64, {})\n"  # 64 processes: one thread each on any machine with fewer than 128 cores
        "blas = {p['num_threads'] for p in threadpoolctl.threadpool_info() if p['user_api'] == 'blas'}\n"
        "print(n, torch.get_num_threads(), sorted(blas))\n"
    )
    env = {name: value for name, value in os.environ.items() if name not in THREAD_VARIABLES}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", "1", "[1]"]
