"""What the paired regression gate (issue 17) decides on real models and data, without pytest.

For four built-in benchmarks (default: Kriegeskorte2008.hIT-rsa, Cowley2023.V4-pls,
Geirhos2019.silhouettes-error_consistency, Geirhos2019.silhouettes-top1), the baseline A is an untrained model
(seed 0) and B is one of:

- ``tiny`` (the CI null): A's activations times ``1 + 1e-6·N(0, 1)`` (another BLAS / GPU); must never be flagged;
- ``seed s``: the same architecture with weights drawn from seed s (what the gate calls "a different model");
- ``noise k``: A's activations plus ``k·sd`` Gaussian noise per unit (sd over stimuli);
- ``earlier layer``: the neural benchmarks record from an earlier layer (``features.5`` / ``layer2``);
- ``permuted``: A's activations with the rows permuted across stimuli (the model sees the wrong images).

Each B is compared with A through the records in ``score.attrs["paired_units"]`` by ``gate_pair``, as the pytest
gate compares a run with its baseline (alpha = 0.01, tol = 0.01, on the ceiled scale). Activations come from the
on-disk cache after the first run (``BRAINSCORE_HOME``, default ``~/.cache/brainscore``). Prints a markdown table:
per benchmark and scenario, the number of comparisons and how many the gate called regression / improved / ok /
underpowered, with the median Δ and minimum detectable drop (MDD).

    python benchmarks/bench_gate.py                 # alexnet_untrained + resnet18_untrained, 2 seeds, 2 tiny draws
    python benchmarks/bench_gate.py --quick         # alexnet_untrained only, 1 seed, 2 tiny draws
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np

os.environ.setdefault("TQDM_DISABLE", "1")

from brainscore_core.comparison import PAIRED_UNITS, GateResult, gate_pair
from brainscore_core.score import Score

BENCHMARKS = (
    "Kriegeskorte2008.hIT-rsa",
    "Cowley2023.V4-pls",
    "Geirhos2019.silhouettes-error_consistency",
    "Geirhos2019.silhouettes-top1",
)
ALPHA, TOL = 0.01, 0.01
EARLIER_LAYER = {"alexnet_untrained": "features.5", "resnet18_untrained": "layer2"}
Transform = Callable[[np.ndarray], np.ndarray]


class TransformedActivations:
    """An activations model whose output values go through ``transform`` (coords kept); the rest is delegated."""

    def __init__(self, base: Any, transform: Transform) -> None:
        self._base = base
        self._transform = transform

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        features = self._base(*args, **kwargs)
        values = np.asarray(features.values, dtype=float)
        return features.copy(data=self._transform(values).astype(features.dtype))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._base, name)


def tiny(seed: int) -> Transform:
    def transform(values: np.ndarray) -> np.ndarray:
        return values * (1 + 1e-6 * np.random.default_rng(seed).standard_normal(values.shape))

    return transform


def noise(level: float, seed: int = 100) -> Transform:
    def transform(values: np.ndarray) -> np.ndarray:
        sd = values.std(axis=0, keepdims=True)
        return values + level * sd * np.random.default_rng(seed).standard_normal(values.shape)

    return transform


def permuted(seed: int = 200) -> Transform:
    def transform(values: np.ndarray) -> np.ndarray:
        return values[np.random.default_rng(seed).permutation(len(values))]

    return transform


def build(architecture: str, seed: int = 0, region_layer_map: dict[str, str] | None = None) -> Any:
    """The untrained ``architecture`` with weights from ``seed`` (seed 0 is the registered model)."""
    import importlib

    import torch
    import torchvision

    from brainscore_core.activations import Preprocessing, PytorchWrapper
    from brainscore_core.commitment import ModelCommitment, read_region_layer_map

    module = importlib.import_module(f"example_plugins.models.{architecture}.model")
    if seed == 0:
        return module.build_model(region_layer_map)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        network = getattr(torchvision.models, architecture.removesuffix("_untrained"))(weights=None).eval()
    identifier = f"{architecture}-seed{seed}"
    return ModelCommitment(
        identifier,
        PytorchWrapper(identifier, network, preprocessing=Preprocessing(image_size=224)),
        layers=list(module.LAYERS),
        region_layer_map=region_layer_map or read_region_layer_map(module.REGION_LAYER_MAP_FILE),
        behavioral_readout_layer=module.BEHAVIORAL_READOUT_LAYER,
    )


def transformed(architecture: str, transform: Transform) -> Any:
    model = build(architecture)
    model.activations_model = TransformedActivations(model.activations_model, transform)
    return model


def earlier(architecture: str) -> Any:
    from brainscore_core.commitment import read_region_layer_map

    module = __import__(f"example_plugins.models.{architecture}.model", fromlist=["REGION_LAYER_MAP_FILE"])
    layers = read_region_layer_map(module.REGION_LAYER_MAP_FILE)
    return build(
        architecture, region_layer_map={**layers, "V4": EARLIER_LAYER[architecture], "IT": EARLIER_LAYER[architecture]}
    )


def gate(a: Score, b: Score) -> GateResult:
    """The pytest gate's verdict (``gate_pair``: the benchmark's ceiling formula, then the paired test)."""
    if a.attrs.get(PAIRED_UNITS) is None or b.attrs.get(PAIRED_UNITS) is None:
        raise RuntimeError(
            f"no paired units: {a.attrs.get('paired_units_missing') or b.attrs.get('paired_units_missing')}"
        )
    return gate_pair(
        a.attrs[PAIRED_UNITS],
        b.attrs[PAIRED_UNITS],
        formula=b.attrs.get("ceiling_formula"),
        ceiling=b.ceiling,
        raw_a=float(a.raw),
        raw_b=float(b.raw),
        score_a=a.value,
        score_b=b.value,
        alpha=ALPHA,
        tol=TOL,
    )


def scenarios(architectures: list[str], seeds: int, tiny_draws: int) -> list[tuple[str, str, Callable[[], Any]]]:
    """(scenario, architecture, model factory) for every B."""
    rows: list[tuple[str, str, Callable[[], Any]]] = []
    for arch in architectures:
        rows += [("tiny 1e-6 (null)", arch, lambda a=arch, s=s: transformed(a, tiny(s))) for s in range(tiny_draws)]
        rows += [("other seed", arch, lambda a=arch, s=s: build(a, s)) for s in range(1, seeds + 1)]
    arch = architectures[0]
    rows += [
        ("noise 0.3 sd", arch, lambda: transformed(arch, noise(0.3))),
        ("noise 1 sd", arch, lambda: transformed(arch, noise(1.0))),
        ("earlier layer", arch, lambda: earlier(arch)),
        ("permuted stimuli", arch, lambda: transformed(arch, permuted())),
    ]
    return rows


def run(architectures: list[str], seeds: int, tiny_draws: int, benchmarks: tuple[str, ...]) -> None:
    from brainscore_core.scoring import score

    results: dict[tuple[str, str], list[GateResult]] = defaultdict(list)
    baselines = {(arch, b): score(build(arch), b) for arch in architectures for b in benchmarks}
    for name, arch, factory in scenarios(architectures, seeds, tiny_draws):
        model = factory()
        for benchmark in benchmarks:
            if name == "earlier layer" and "Geirhos" in benchmark:
                continue  # behaviour is read from the logits: no layer to change
            start = time.perf_counter()
            result = gate(baselines[arch, benchmark], score(model, benchmark))
            results[benchmark, name].append(result)
            print(
                f"# {time.perf_counter() - start:5.1f}s {result.line(f'{arch} [{name}]', benchmark, 1)}",
                flush=True,
            )
    print_table(results)


def print_table(results: dict[tuple[str, str], list[GateResult]]) -> None:
    print(f"\nPaired gate at alpha={ALPHA}, tol={TOL} (ceiled scale); B compared with its seed-0 baseline A.\n")
    print("| benchmark | B | n | regression | improved | ok | underpowered | unchanged | median Δ | median MDD |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (benchmark, name), rows in results.items():
        counts = Counter(r.status for r in rows)
        deltas = [r.delta for r in rows if r.status != "unchanged"]
        mdds = [r.mdd for r in rows if r.status != "unchanged"]
        median = f"{np.median(deltas):+.4f}" if deltas else "0"
        mdd = f"{np.median(mdds):.4f}" if mdds else "-"
        print(
            f"| {benchmark} | {name} | {len(rows)} | {counts['regression']} | {counts['improved']} | {counts['ok']} | "
            f"{counts['underpowered']} | {counts['unchanged']} | {median} | {mdd} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="alexnet_untrained only, 1 other seed, 2 tiny draws")
    parser.add_argument("--benchmark", action="append", help="benchmark identifier (repeatable); default: four")
    parser.add_argument("--seeds", type=int, default=2, help="other seeds per architecture (default 2)")
    parser.add_argument("--tiny", type=int, default=2, help="tiny-perturbation draws per architecture (default 2)")
    args = parser.parse_args()
    architectures = ["alexnet_untrained"] if args.quick else ["alexnet_untrained", "resnet18_untrained"]
    seeds, draws = (1, 2) if args.quick else (args.seeds, args.tiny)
    start = time.perf_counter()
    run(architectures, seeds, draws, tuple(args.benchmark or BENCHMARKS))
    print(f"\n({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
