"""Thread pools sized to a process's share of the cores, so that parallel processes do not oversubscribe them.

Under ``pytest -n N`` every worker would otherwise start as many torch (OpenMP) and BLAS threads as the machine
has cores: N times too many, which shows as system CPU time (threads waiting, yielding and migrating) rather
than arithmetic. :func:`limit_threads` gives one process ``cores // N`` threads (at least one).

Importing this module imports nothing heavy; torch and numpy are limited only if already imported (later
imports read the environment variables set here).
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping

__all__ = ["THREAD_VARIABLES", "limit_threads", "thread_share", "usable_cores"]

#: Environment variables that size OpenMP (torch's CPU pool) and BLAS pools; a user's value is never overridden.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity where the platform tells it, else all of them)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - macOS and Windows have no sched_getaffinity


def thread_share(processes: int, cores: int | None = None) -> int:
    """Threads for one of ``processes`` parallel processes sharing ``cores`` (default: :func:`usable_cores`)."""
    if processes < 1:
        raise ValueError(f"processes must be at least 1, got {processes}.")
    return max(1, (usable_cores() if cores is None else cores) // processes)


def limit_threads(processes: int, environ: MutableMapping[str, str] | None = None) -> int | None:
    """Size this process's thread pools for one of ``processes`` parallel processes; returns the thread count.

    Sets :data:`THREAD_VARIABLES` (read by libraries loaded later) and, when torch or numpy is already imported,
    torch's intra-op threads and the loaded BLAS pools (through threadpoolctl). Does nothing, and returns None,
    when any of :data:`THREAD_VARIABLES` is set already: the user chose.
    """
    environ = os.environ if environ is None else environ
    if any(name in environ for name in THREAD_VARIABLES):
        return None
    threads = thread_share(processes)
    for name in THREAD_VARIABLES:
        environ[name] = str(threads)
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        torch.set_num_threads(min(threads, torch.get_num_threads()))
    if "numpy" in sys.modules:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=threads)  # applies now, to every pool loaded so far
    return threads
