"""How many bytes the paired units add to a baseline entry, per built-in benchmark (format version 2).

Scores one model on every registered benchmark (default ``alexnet_untrained``; activations come from the on-disk
cache after the first run), builds the baseline entry ``--brainscore-update-baseline`` would write, and prints a
markdown table: the record's kind and shape, the entry's bytes in the file without and with its ``paired`` block.

    python benchmarks/bench_gate_sizes.py [--model alexnet_untrained] [--benchmark ID ...]
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("TQDM_DISABLE", "1")

from brainscore_core import benchmark_registry
from brainscore_core.comparison import SplitUnits, StimulusUnits, SubjectStimulusUnits, paired_units
from brainscore_core.errors import IncompatibleModelError
from brainscore_core.scoring import score
from pytest_brainscore.baselines import Baseline
from pytest_brainscore.records import ScoreRecord


def shape(units: object) -> str:
    if isinstance(units, SplitUnits):
        return f"{units.scores.size} splits"
    if isinstance(units, SubjectStimulusUnits):
        return f"{len(units.subjects)} subjects x {units.loo.shape[1]} left-out {units.unit}"
    if isinstance(units, StimulusUnits):
        kind = "correctness bits" if units.decisions.dtype == bool else "class indices"
        return f"{units.decisions.size} {kind}"
    return "-"


def entry_bytes(record: ScoreRecord) -> int:
    """Bytes the entry takes in the file (the file with it minus the empty file)."""
    merged, _, _ = Baseline().merged_with([record])
    return len(merged.to_text().encode()) - len(Baseline().to_text().encode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="alexnet_untrained")
    parser.add_argument("--benchmark", action="append", help="benchmark identifier (repeatable); default: all")
    args = parser.parse_args()
    print("| benchmark | paired units | entry without `paired` (bytes) | entry with `paired` (bytes) |")
    print("|---|---|---:|---:|")
    for benchmark in args.benchmark or sorted(benchmark_registry):
        try:
            result = score(args.model, benchmark)
        except IncompatibleModelError as error:
            print(f"| {benchmark} | skipped: {error} | | |", flush=True)
            continue
        record = ScoreRecord.from_score("x", args.model, benchmark, result)
        units = paired_units(result)
        bare = ScoreRecord.from_dict({**record.to_dict(), "paired": None})
        missing = result.attrs.get("paired_units_missing")
        described = shape(units) if units is not None else f"none ({missing})"
        print(f"| {benchmark} | {described} | {entry_bytes(bare)} | {entry_bytes(record)} |", flush=True)


if __name__ == "__main__":
    main()
