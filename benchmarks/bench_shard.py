"""Shard and merge on one machine: a 4-model x 3-benchmark grid in one process vs two concurrent shards.

Both start from an empty cache; the two shards share one cache folder (as SLURM tasks on a shared file system
would). Every run is a fresh ``pytest`` process scoring generated items (``--brainscore-model/-benchmark``), with
``OMP_NUM_THREADS``/``MKL_NUM_THREADS`` = ``--threads`` (default 1) in each process so the comparison is about
processes, not BLAS threads. The shards' reports are merged with ``brainscore merge`` and the merged rows are
checked against the single run's (equal up to ``seconds``). Prints wall times and their ratio as JSON.

    .venv/bin/python benchmarks/bench_shard.py [--threads 1]

The 3 benchmarks share one stimulus set (92 images), so model-major shards extract each model's activations once.
Measured 2026-11-29 on the 2-core development machine under a load average of 6-8 (other jobs): single process
60.1 s, two shards 61.2 s (ratio 1.02; 6 pairs per shard; merged rows equal the single run's). On a machine that
busy two processes cannot run faster than one; rerun on idle cores (or separate machines) for the speed-up.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

MODELS = "pixels,gabor_v1,alexnet_untrained,resnet18_untrained"
BENCHMARKS = "Kiani2007.mIT-rsa,Kriegeskorte2008.hIT-rsa,Mur2013.similarity-rsa"


def _pytest(folder: Path, cache: Path, report: Path, threads: int, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads), "BRAINSCORE_PROGRESS": "0"}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        f"--brainscore-model={MODELS}",
        f"--brainscore-benchmark={BENCHMARKS}",
        f"--brainscore-cache-dir={cache}",
        f"--brainscore-report={report}",
        *extra,
    ]
    return subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _rows(path: Path) -> list[dict[str, Any]]:
    rows = []
    for row in json.loads(path.read_text())["results"]:
        rows.append({key: value for key, value in row.items() if key not in ("seconds", "attrs", "cache")})
    return sorted(rows, key=lambda row: (row["model"], row["benchmark"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        single = _pytest(folder, folder / "cache-single", folder / "single.json", args.threads)
        single.wait()
        single_seconds = time.perf_counter() - start
        start = time.perf_counter()
        shards = [
            _pytest(
                folder, folder / "cache-shared", folder / f"shard-{k}.json", args.threads, f"--brainscore-shard={k}/2"
            )
            for k in (0, 1)
        ]
        for shard in shards:
            shard.wait()
        sharded_seconds = time.perf_counter() - start
        merge = subprocess.run(
            [
                sys.executable,
                "-m",
                "brainscore_core.cli",
                "merge",
                *(str(folder / f"shard-{k}.json") for k in (0, 1)),
                "-o",
                str(folder / "merged.json"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        same = merge.returncode in (0, 1) and _rows(folder / "merged.json") == _rows(folder / "single.json")
        pairs = [len(json.loads((folder / f"shard-{k}.json").read_text())["shard"]["pairs"]) for k in (0, 1)]
    print(
        json.dumps(
            {
                "grid": f"{len(MODELS.split(','))} models x {len(BENCHMARKS.split(','))} benchmarks",
                "threads_per_process": args.threads,
                "cpus": os.cpu_count(),
                "single_process_seconds": round(single_seconds, 1),
                "two_shards_seconds": round(sharded_seconds, 1),
                "ratio_sharded_over_single": round(sharded_seconds / single_seconds, 2),
                "pairs_per_shard": pairs,
                "merge_exit_status": merge.returncode,
                "merged_rows_equal_single_run": same,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
