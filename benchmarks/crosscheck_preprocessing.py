"""Cross-check ``load_preprocess_images`` against Brain-Score's on the same image files (run on demand).

Brain-Score pins ``numpy<2``, so its side runs in its own venv; four steps share one directory:

    python3 -m venv /tmp/bsvenv && /tmp/bsvenv/bin/pip install brainscore-vision==2.4.2   # once
    .venv/bin/python        benchmarks/crosscheck_preprocessing.py --write      /tmp/crosscheck_pre  # images/
    .venv/bin/python        benchmarks/crosscheck_preprocessing.py --ours       /tmp/crosscheck_pre  # ours.npz
    /tmp/bsvenv/bin/python  benchmarks/crosscheck_preprocessing.py --brainscore /tmp/crosscheck_pre  # brainscore.npz
    .venv/bin/python        benchmarks/crosscheck_preprocessing.py --compare    /tmp/crosscheck_pre  # the table

``--write`` (numpy and Pillow only) makes deterministic images (seed 0) of three sizes (non-square and square) in
PNG and JPEG, as RGB, greyscale (``L``), RGBA (with varying alpha) and palette (``P``, PNG only). ``--ours`` calls
``brainscore_vision.model_helpers.activations.pytorch.load_preprocess_images`` through this project's
compatibility layer; ``--brainscore`` calls the same name from the installed Brain-Score. Each side runs every
configuration in :data:`CONFIGS` (both preprocess types, custom normalisations, several sizes) on every image.
``--compare`` prints, per configuration, the largest ``|difference|`` over all images and pixels, and the worst
image. Nothing of Brain-Score is copied here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

CONFIGS: dict[str, dict[str, object]] = {
    "imagenet-224": {"image_size": 224},
    "imagenet-64": {"image_size": 64},
    "imagenet-224-mean0-std1": {"image_size": 224, "normalize_mean": (0, 0, 0), "normalize_std": (1, 1, 1)},
    "imagenet-192-half": {"image_size": 192, "normalize_mean": (0.5,) * 3, "normalize_std": (0.5,) * 3},
    "inception-224": {"image_size": 224, "preprocess_type": "inception"},
    "inception-299": {"image_size": 299, "preprocess_type": "inception"},
    "inception-64": {"image_size": 64, "preprocess_type": "inception"},
}
SIZES = [(211, 137), (96, 160), (256, 256)]  # (width, height)
MODES = {"rgb": "RGB", "grey": "L", "rgba": "RGBA", "palette": "P"}
FORMATS = {"png": "PNG", "jpg": "JPEG"}
OURS = "ours.npz"
BRAINSCORE = "brainscore.npz"


def _image(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """A smooth gradient plus noise and a few hard edges (so resampling and cropping both matter)."""
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([x / width, y / height, (x + y) / (width + height)], axis=-1) * 200
    base[height // 3 : height // 2, width // 4 : width // 2] = [250, 10, 60]
    noise = rng.normal(0, 25, (height, width, 3))
    return np.clip(base + noise, 0, 255).astype(np.uint8)


def write(directory: Path) -> None:
    from PIL import Image

    folder = directory / "images"
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    count = 0
    for width, height in SIZES:
        pixels = _image(rng, width, height)
        alpha = rng.integers(0, 256, (height, width), dtype=np.uint8)
        rgb = Image.fromarray(pixels, "RGB")
        variants = {
            "rgb": rgb,
            "grey": rgb.convert("L"),
            "rgba": Image.fromarray(np.dstack([pixels, alpha]), "RGBA"),
            "palette": rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=64),
        }
        for mode, image in variants.items():
            for extension, image_format in FORMATS.items():
                if image_format == "JPEG" and mode in ("rgba", "palette"):
                    continue  # JPEG has no alpha and no palette
                image.save(folder / f"{width}x{height}-{mode}.{extension}", format=image_format)
                count += 1
    print(f"wrote {count} images to {folder}")


def _images(directory: Path) -> list[Path]:
    return sorted((directory / "images").iterdir())


def _run(directory: Path, output: str) -> None:
    import brainscore_vision
    from brainscore_vision.model_helpers.activations.pytorch import load_preprocess_images

    print(f"brainscore_vision from {brainscore_vision.__file__}")
    arrays = {}
    for name, config in CONFIGS.items():
        for path in _images(directory):
            result = load_preprocess_images([str(path)], **config)  # type: ignore[arg-type]
            arrays[f"{name}/{path.name}"] = np.asarray(result)
    np.savez_compressed(directory / output, **arrays)
    print(f"wrote {len(arrays)} arrays to {directory / output}")


def ours(directory: Path) -> None:
    import brainscore_core  # noqa: F401  (installs the compatibility finder)

    _run(directory, OURS)


def brainscore(directory: Path) -> None:
    _run(directory, BRAINSCORE)


def compare(directory: Path) -> None:
    left = np.load(directory / OURS)
    right = np.load(directory / BRAINSCORE)
    assert sorted(left.files) == sorted(right.files), "the two sides ran different inputs"
    print(f"{'configuration':28s} {'images':>6s} {'shape (one image)':>20s} {'max |diff|':>11s}  worst image")
    overall = 0.0
    for name in CONFIGS:
        keys = [key for key in left.files if key.startswith(f"{name}/")]
        worst, worst_key = 0.0, ""
        for key in keys:
            a, b = left[key], right[key]
            if a.shape != b.shape or a.dtype != b.dtype:
                print(f"{name}: {key} differs in shape/dtype: {a.shape} {a.dtype} vs {b.shape} {b.dtype}")
                worst, worst_key = float("inf"), key
                continue
            difference = float(np.abs(a.astype(np.float64) - b.astype(np.float64)).max())
            if difference >= worst:
                worst, worst_key = difference, key
        overall = max(overall, worst)
        shape = str(tuple(left[keys[0]].shape))
        print(f"{name:28s} {len(keys):6d} {shape:>20s} {worst:11.3g}  {worst_key.split('/', 1)[1]}")
    print(f"largest |difference| over everything: {overall:.3g}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    step = parser.add_mutually_exclusive_group(required=True)
    for flag in ("--write", "--ours", "--brainscore", "--compare"):
        step.add_argument(flag, action="store_true")
    parser.add_argument("directory", type=Path)
    options = parser.parse_args()
    steps = {"write": write, "ours": ours, "brainscore": brainscore, "compare": compare}
    for name, function in steps.items():
        if getattr(options, name):
            function(options.directory)
            return
    sys.exit(2)


if __name__ == "__main__":
    main()
