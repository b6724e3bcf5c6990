"""Parallel scoring: ``pytest -n 0`` vs ``-n 2 --dist load`` vs ``-n 2 --dist loadgroup``, from a cold cache.

Scores 4 models x 3 benchmarks as generated items (``--brainscore-model/--brainscore-benchmark``), each run in a
fresh cache directory so that every run builds its models and extracts its activations itself. ``loadgroup``
is pytest_brainscore's grouping (every pair of one model on one worker); ``load`` hands pairs to whichever
worker is free, so a model is built, and its stimuli extracted, on both workers. Every worker sizes its
thread pools to its share of the cores (pytest_brainscore._threads). The runs alternate, and ratios are taken
within one invocation (the machine may be shared).

    .venv/bin/python benchmarks/bench_xdist.py [--models a,b,c,d] [--benchmarks x,y,z] [--repeats 1]

Goal (issue 15): -n 2 at least 1.7x faster than -n 0 on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODELS = "pixels,gabor_v1,alexnet_untrained,resnet18_untrained"
BENCHMARKS = "Kriegeskorte2008.hIT-rsa,Mur2013.similarity-rsa,Kiani2007.mIT-rsa"
RUNS = {
    "-n 0": ["-n", "0"],
    "-n 2 load": ["-n", "2", "--dist", "load"],
    "-n 2 loadgroup": ["-n", "2", "--dist", "loadgroup"],
}


def _run(name: str, models: str, benchmarks: str, scratch: Path) -> tuple[float, float]:
    """Wall-clock and system-CPU seconds of one cold pytest run (its workers included)."""
    home = scratch / name.replace(" ", "_")
    env = {**os.environ, "BRAINSCORE_HOME": str(home), "BRAINSCORE_PROGRESS": "0"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", *RUNS[name]]
    command += [f"--brainscore-model={models}", f"--brainscore-benchmark={benchmarks}", "--rootdir", str(scratch)]
    before = os.times()
    started = time.perf_counter()
    result = subprocess.run(command, check=False, cwd=scratch, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = os.times()
    if result.returncode not in (0, 1):  # 1: a gated pair failed its threshold, still a full run
        raise SystemExit(f"{name} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    user = after.children_user - before.children_user
    system = after.children_system - before.children_system
    outcome = result.stdout.strip().splitlines()[-1].strip("= ")
    print(f"  {name:>15}: wall {seconds:7.1f} s   user {user:7.1f} s   system {system:6.1f} s   ({outcome})")
    return seconds, system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=MODELS)
    parser.add_argument("--benchmarks", default=BENCHMARKS)
    parser.add_argument("--repeats", type=int, default=1, help="repeat the three runs; report the best of each")
    args = parser.parse_args()
    print(f"models {args.models}; benchmarks {args.benchmarks}; {os.cpu_count()} cores")
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch_dir:
        for repeat in range(args.repeats):
            for name in RUNS:
                scratch = Path(scratch_dir) / f"r{repeat}"
                scratch.mkdir(exist_ok=True)
                seconds, _system = _run(name, args.models, args.benchmarks, scratch)
                best[name] = min(best.get(name, seconds), seconds)
    serial = best["-n 0"]
    for name in ("-n 2 load", "-n 2 loadgroup"):
        print(f"  speed-up of {name}: {serial / best[name]:.2f}x (goal >= 1.7x for loadgroup)")


if __name__ == "__main__":
    main()
