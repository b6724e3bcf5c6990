"""Extraction speed and memory: a plain torch loop vs PytorchWrapper cold (empty cache) and warm (cache hit).

ResNet-18 (untrained weights), 640 JPEG images of 256x256 pixels on disk, 5 hooked layers, batch size 64, CPU.
Each measurement runs in a fresh subprocess so that its peak resident memory (``ru_maxrss``) is its own. Both
wall-clock and CPU time (all threads of the process) of the timed region are reported; on a shared machine the
CPU time is the steadier of the two. ``--threads`` sets torch's intra-op threads (default 1, for repeatable
numbers on a busy machine).

    .venv/bin/python benchmarks/bench_extraction.py [--images 640] [--repeats 1] [--threads 1]

``cold+glibc`` is ``cold`` with glibc's mmap and trim thresholds raised (environment variables): it shows what
allocator churn (large per-batch buffers mapped, unmapped and zeroed by the kernel) costs in system time.

Goals (issue 15): cold <= 1.0x the plain loop; warm <= 2% of cold.
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

LAYERS = ["layer1", "layer2", "layer3", "layer4", "avgpool"]
BATCH_SIZE = 64
IMAGE_SIZE = 224


def _make_images(folder: Path, n: int) -> list[Path]:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    paths = []
    for i in range(n):
        path = folder / f"image{i:04d}.jpg"
        Image.fromarray(rng.integers(0, 256, size=(256, 256, 3), dtype=np.uint8)).save(path, quality=90)
        paths.append(path)
    return paths


def _network():
    import torch
    import torchvision

    torch.manual_seed(0)
    return torchvision.models.resnet18(weights=None).eval()


class _Timer:
    """Wall-clock, CPU and system-CPU seconds of a ``with`` block."""

    def __enter__(self) -> _Timer:
        self._wall, self._cpu, self._system = time.perf_counter(), time.process_time(), os.times().system
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self._wall
        self.cpu_seconds = time.process_time() - self._cpu
        self.system_seconds = os.times().system - self._system


def _plain_loop(paths: list[Path]) -> _Timer:
    """Load, preprocess, forward and copy each hooked layer's output into preallocated float32 arrays."""
    import numpy as np
    import torch
    from PIL import Image
    from torchvision import transforms

    network = _network()
    transform = transforms.Compose(
        [
            transforms.Resize((IMAGE_SIZE, IMAGE_SIZE)),
            transforms.ToTensor(),
            transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
        ]
    )
    captured: dict[str, torch.Tensor] = {}
    modules = dict(network.named_modules())
    for layer in LAYERS:
        modules[layer].register_forward_hook(lambda m, i, o, layer=layer: captured.__setitem__(layer, o))
    outputs: dict[str, np.ndarray] = {}
    with _Timer() as timer, torch.inference_mode():
        for first in range(0, len(paths), BATCH_SIZE):
            batch_paths = paths[first : first + BATCH_SIZE]
            batch = torch.stack([transform(Image.open(p).convert("RGB")) for p in batch_paths])
            network(batch)
            for layer in LAYERS:
                flat = captured[layer].reshape(len(batch_paths), -1).numpy()
                if layer not in outputs:
                    outputs[layer] = np.empty((len(paths), flat.shape[1]), dtype=np.float32)
                outputs[layer][first : first + len(batch_paths)] = flat
    return timer


def _wrapper_run(paths: list[Path], cache_dir: str) -> _Timer:
    from brainscore_core import stimulus_set
    from brainscore_core.activations import Preprocessing, PytorchWrapper
    from brainscore_core.config import configure

    network = _network()
    with configure(cache_dir=cache_dir, cache_enabled=True, progress=False, device="cpu"):
        stimuli = stimulus_set("bench", {"stimulus_id": [p.stem for p in paths]}, image_paths=paths)
        wrapper = PytorchWrapper("resnet18-bench", network, preprocessing=Preprocessing(IMAGE_SIZE))
        with _Timer() as timer:
            assembly = wrapper(stimuli, LAYERS)
    assert assembly.shape[0] == len(paths)
    return timer


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(mode: str, folder: str, cache_dir: str, threads: str) -> None:
    import torch

    torch.set_num_threads(int(threads))
    paths = sorted(Path(folder).glob("*.jpg"))
    # "cold" fills the empty cache; "warm" is a fresh process reading the filled cache
    timer = _plain_loop(paths) if mode == "plain" else _wrapper_run(paths, cache_dir)
    result = {
        "seconds": timer.seconds,
        "cpu_seconds": timer.cpu_seconds,
        "system_seconds": timer.system_seconds,
        "peak_rss_mb": _peak_rss_mb(),
    }
    print(json.dumps(result))


#: glibc's allocator keeps large freed blocks instead of unmapping them (and the kernel zeroing them again)
GLIBC_THRESHOLDS = {"MALLOC_MMAP_THRESHOLD_": str(1 << 30), "MALLOC_TRIM_THRESHOLD_": str(1 << 31)}
#: each measurement: what runs in the child, and extra environment variables
MODES = {
    "plain": ("plain", {}),
    "cold": ("cold", {}),
    "cold+glibc": ("cold", GLIBC_THRESHOLDS),
    "warm": ("warm", {}),
}


def _measure(mode: str, folder: Path, cache_dir: Path, threads: int) -> dict:
    child, extra = MODES[mode]
    out = subprocess.run(
        [sys.executable, __file__, "--child", child, str(folder), str(cache_dir), str(threads)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **extra},
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=640)
    parser.add_argument("--repeats", type=int, default=1, help="repeat the plain/cold/warm triple; report the best")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads in every measurement")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "images"
        folder.mkdir()
        _make_images(folder, args.images)
        results: dict[str, list[dict]] = {mode: [] for mode in MODES}
        for repeat in range(args.repeats):
            for mode in MODES:  # cold+glibc fills its own cache; warm reads the one cold filled
                cache_dir = Path(scratch) / f"{'glibc' if mode == 'cold+glibc' else 'cache'}{repeat}"
                results[mode].append(_measure(mode, folder, cache_dir, args.threads))
        best = {mode: min(runs, key=lambda r: r["cpu_seconds"]) for mode, runs in results.items()}
        print(
            f"ResNet-18 (untrained), {args.images} JPEG images 256x256, layers {LAYERS}, batch {BATCH_SIZE}, "
            f"CPU, {args.threads} torch thread(s), best of {args.repeats}"
        )
        for mode, run in best.items():
            print(
                f"  {mode:>10}: wall {run['seconds']:7.2f} s   cpu {run['cpu_seconds']:7.2f} s   "
                f"(system {run['system_seconds']:6.2f} s)   peak RSS {run['peak_rss_mb']:6.0f} MB"
            )
        for clock in ("seconds", "cpu_seconds"):
            plain, cold, glibc, warm = (best[m][clock] for m in MODES)
            print(
                f"  [{'wall' if clock == 'seconds' else 'cpu'}] cold / plain = {cold / plain:.3f} (goal <= 1.0)   "
                f"cold+glibc / cold = {glibc / cold:.3f}   warm / cold = {warm / cold:.2%} (goal <= 2%)"
            )


if __name__ == "__main__":
    main()
