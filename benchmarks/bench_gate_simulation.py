"""False-alarm and detection rates of the regression gate on simulated benchmarks: old rule against the new one.

Each replicate draws a new benchmark and two models (``brainscore_core.comparison.simulation``, the generators of
research note statistical_gate.md section 8.1, at the note's sizes). Rows are benchmark shapes x scenarios:

- ``null``: A and B are independent draws of the same model; ``sibling``: both perturb a common parent (null);
- ``edited``: B = A plus noise (the CI case, a real drop); ``degraded``: B an independent, noisier model.

Columns: mean Δ (ceiled) and its sd over replicates; the new SE's mean relative to that sd (> 1 = conservative);
failure rates of the old rule ``Δ < -max(tol, 2·sqrt(e_A² + e_B²))`` with the metrics' old errors and of the new
rule at alpha = 0.05 and 0.01, all with tol = 0.01, plus the new rule at alpha = 0.05 with tol = 0 (the p-values
alone). Under null/sibling every failure is a false alarm; ± is the binomial SE of a rate.

    python benchmarks/bench_gate_simulation.py            # 200 null and 100 drop replicates per row (~10-20 min)
    python benchmarks/bench_gate_simulation.py --quick    # 60 / 40 replicates
    python benchmarks/bench_gate_simulation.py --only predictivity   # the rows whose label contains the text
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from brainscore_core.comparison import decide
from brainscore_core.comparison.simulation import old_rule_fails, simulate_pair

TOL = 0.01
#: (label, family, sizes, scenarios)
ROWS = [
    ("RSA 4 subj x 92 stim", "rsa", {"n_subjects": 4, "n_stimuli": 92}, ("null", "sibling", "edited", "degraded")),
    ("RSA 16 subj x 92 stim", "rsa", {"n_subjects": 16, "n_stimuli": 92}, ("null",)),
    ("predictivity 640 x 50", "predictivity", {"n_stimuli": 640, "n_neurons": 50}, ("null", "sibling", "edited")),
    ("predictivity 640 x 50, edit 1.5", "predictivity", {"n_stimuli": 640, "n_neurons": 50, "edit": 1.5}, ("edited",)),
    ("error consistency 10 x 160", "error_consistency", {"n_subjects": 10, "n_stimuli": 160}, ("null", "edited")),
    ("accuracy 160 stim", "accuracy", {"n_stimuli": 160}, ("null", "edited")),
    ("shape bias 1280 stim", "shape_bias", {"n_stimuli": 1280}, ("null", "edited")),
]


def rate(count: int, runs: int) -> str:
    p = count / runs
    return f"{100 * p:.1f} ± {100 * math.sqrt(max(p * (1 - p), 1e-12) / runs):.1f} %"


def run_row(family: str, sizes: dict[str, float], scenario: str, runs: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    deltas, ses = [], []
    old = new_05 = new_01 = new_05_tol0 = 0
    for _ in range(runs):
        pair = simulate_pair(family, scenario, rng, **sizes)
        deltas.append(pair.delta)
        ses.append(pair.estimate.se)
        old += old_rule_fails(pair, TOL)
        new_05 += decide(pair.estimate, alpha=0.05, tol=TOL).failed
        new_01 += decide(pair.estimate, alpha=0.01, tol=TOL).failed
        new_05_tol0 += decide(pair.estimate, alpha=0.05, tol=0.0).failed
    sd = float(np.std(deltas, ddof=1))
    return [
        f"{np.mean(deltas):+.4f} ({sd:.4f})",
        f"{np.mean(ses) / sd:.2f}" if sd > 0 else "-",
        rate(old, runs),
        rate(new_05, runs),
        rate(new_01, runs),
        rate(new_05_tol0, runs),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="60 null / 40 drop replicates per row")
    parser.add_argument("--null-runs", type=int, default=200)
    parser.add_argument("--drop-runs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", default="", help="run only the rows whose shape label contains this text")
    args = parser.parse_args()
    null_runs, drop_runs = (60, 40) if args.quick else (args.null_runs, args.drop_runs)
    header = [
        "benchmark shape",
        "scenario",
        "runs",
        "mean Δ (sd)",
        "SE/sd",
        "old rule",
        "new alpha=0.05",
        "new alpha=0.01",
        "new alpha=0.05, tol 0",
        "s",
    ]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for label, family, sizes, scenarios in ROWS:
        if args.only not in label:
            continue
        for scenario in scenarios:
            runs = null_runs if scenario in ("null", "sibling") else drop_runs
            start = time.perf_counter()
            cells = run_row(family, sizes, scenario, runs, args.seed)
            elapsed = f"{time.perf_counter() - start:.0f}"
            print("| " + " | ".join([label, scenario, str(runs), *cells, elapsed]) + " |", flush=True)


if __name__ == "__main__":
    main()
