"""The README's plugin tutorial, run verbatim: its code blocks become files, then check-plugin and pytest run.

A code block belongs to the tutorial when its first line is a comment naming its path (``# my_plugins/...``).
Synthetic recordings stand in for the lab's data.
"""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from brainscore_core.stimuli import sha256_file

README = Path(__file__).parents[2] / "README.md"


def tutorial_files() -> dict[str, str]:
    blocks = re.findall(r"```python\n(# (my_plugins/\S+)\n.*?)```", README.read_text(), flags=re.S)
    return {path: code for code, path in blocks}


def write_images(folder: Path, n_images: int, rng: np.random.Generator) -> np.ndarray:
    """``images/`` of 64 x 64 px colour blocks and ``stimuli.csv``; returns each image's 4 x 4 x 3 block pattern."""
    (folder / "images").mkdir(parents=True)
    rows, features = [], []
    for i in range(n_images):
        image = (rng.uniform(0, 1, size=(4, 4, 3)) * 255).astype(np.uint8)
        image = np.kron(image, np.ones((16, 16, 1), dtype=np.uint8))  # 64 x 64 blocks
        name = f"img{i:02d}.png"
        Image.fromarray(image).save(folder / "images" / name)
        rows.append({"stimulus_id": f"img{i:02d}", "filename": name, "sha256": sha256_file(folder / "images" / name)})
        features.append(image.reshape(4, 16, 4, 16, 3).mean(axis=(1, 3)).ravel())
    pd.DataFrame(rows).to_csv(folder / "stimuli.csv", index=False)
    return np.asarray(features)


def write_lab_data(folder: Path, n_images: int = 40, n_neuroids: int = 6, repetitions: int = 3) -> None:
    """Images whose brightness pattern drives the 'recorded' responses, plus noisy repeats."""
    rng = np.random.default_rng(0)
    features = write_images(folder, n_images, rng)
    weights = rng.normal(size=(features.shape[1], n_neuroids))
    signal = features @ weights
    signal = (signal - signal.mean(0)) / signal.std(0)
    trials = [{"stimulus_id": f"img{i:02d}", "repetition": r} for r in range(repetitions) for i in range(n_images)]
    responses = np.concatenate([signal + rng.normal(0, 0.3, size=signal.shape) for _ in range(repetitions)])
    pd.DataFrame(trials).to_csv(folder / "trials.csv", index=False)
    np.save(folder / "responses.npy", responses)


def write_fmri_rdms(folder: Path, n_images: int = 30, n_subjects: int = 3) -> None:
    """Images and one RDM per subject: 1 - Pearson r between the images' block patterns, plus symmetric noise."""
    rng = np.random.default_rng(1)
    rdm = 1 - np.corrcoef(write_images(folder, n_images, rng))
    rdms = []
    for _ in range(n_subjects):
        noise = rng.normal(0, 0.02, size=rdm.shape)
        subject = rdm + (noise + noise.T) / 2
        np.fill_diagonal(subject, 0.0)
        rdms.append(subject)
    np.save(folder / "rdms.npy", np.stack(rdms))


def test_readme_tutorial_runs_end_to_end(tmp_path):
    files = tutorial_files()
    plugins = sorted({str(Path(path).parent) for path in files})
    assert plugins == ["my_plugins/benchmarks/my_it_rsa", "my_plugins/benchmarks/my_v4", "my_plugins/models/my_alexnet"]
    assert all(f"{plugin}/{name}" in files for plugin in plugins for name in ("__init__.py", "test.py"))
    for path, code in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(code)
    write_lab_data(tmp_path / "my_plugins/benchmarks/my_v4/data")
    write_fmri_rdms(tmp_path / "my_plugins/benchmarks/my_it_rsa/data")
    environment = {"BRAINSCORE_HOME": str(tmp_path / "cache"), "BRAINSCORE_PROGRESS": "0"}
    run = lambda *args: subprocess.run(  # noqa: E731
        args,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
        env={**__import__("os").environ, **environment},
        check=False,  # asserted by the caller, with the output in the message
    )
    for plugin in plugins:
        checked = run(sys.executable, "-m", "brainscore_core.cli", "--plugins", "my_plugins", "check-plugin", plugin)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    command = re.search(r"^pytest ((?:my_plugins/\S+ )+)--brainscore-plugins=my_plugins$", README.read_text(), re.M)
    assert command, "the README's command that runs the tutorial's tests"
    assert sorted(str(Path(path).parent) for path in command.group(1).split()) == plugins
    tests = run(
        sys.executable,
        "-m",
        "pytest",
        *command.group(1).split(),
        "--brainscore-plugins=my_plugins",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:xdist",
    )
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-3000:]
    assert "6 passed" in tests.stdout, tests.stdout[-3000:]
