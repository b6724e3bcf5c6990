"""Checks for plugin authors' ``test.py`` files (like ``numpy.testing``): one definition of each rule.

Import this module in tests only; it imports nothing heavy itself (numpy, torch and the model machinery are
imported by the checks that need them, when they run).

Model plugins typically use, from their ``test.py``:

- :func:`assert_seeded_builds` (untrained networks: weights drawn from a fixed seed),
- :func:`offline_torch_hub`, :func:`assert_missing_hub_weights_are_explained` and :func:`assert_hub_weights_are_loaded`
  (trained networks whose weights come from the local torch hub cache only),
- :func:`assert_committed_region_layer_map` (the committed ``region_layer_map.json``),
- :func:`assert_recording_interface`, :func:`assert_label_task` and :func:`assert_readout` (the BrainModel
  interface),
- :func:`assert_score_matches` (pinned benchmark scores) and :func:`assert_registration_imports_no_torch`.

Benchmark plugins test their benchmarks on :class:`ShrunkPixelsModel`, a tiny deterministic model (no torch, no
weights) whose features :func:`shrunk_pixels` recomputes for an independent expected value.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .brain_model import BrainModel, Task
from .errors import IncompatibleModelError

if TYPE_CHECKING:
    import numpy as np
    import xarray as xr

    from .score import Score
    from .stimuli import StimulusSet

__all__ = [
    "IMAGENET_CLASSES",
    "ShrunkPixelsModel",
    "assert_committed_region_layer_map",
    "assert_hub_weights_are_loaded",
    "assert_label_task",
    "assert_missing_hub_weights_are_explained",
    "assert_readout",
    "assert_recording",
    "assert_recording_interface",
    "assert_registration_imports_no_torch",
    "assert_score_matches",
    "assert_seeded_builds",
    "committed_region_layer_map",
    "offline_torch_hub",
    "pinned_tolerance",
    "shrunk_pixels",
]

IMAGENET_CLASSES = 1000  #: labels of the ``"imagenet"`` label task are class indices 0 .. 999


def pinned_tolerance(error: float) -> float:
    """Tolerance for a pinned, deterministic score: half its error (a smaller change is within noise), at least
    0.005 and at most 0.02 (some errors are spreads over images, not standard errors)."""
    return min(max(error / 2, 0.005), 0.02)


def assert_score_matches(score: Score, value: float, error: float) -> None:
    """The ceiled score lies in [0, 1] and within :func:`pinned_tolerance` of the pinned ``value``."""
    assert 0 <= float(score) <= 1, f"ceiled score {float(score)} outside [0, 1]"
    tolerance = pinned_tolerance(error)
    assert abs(float(score) - value) <= tolerance, (
        f"score {float(score):.4f} moved from the pinned {value:.4f} by more than {tolerance:.4f} "
        f"({score.model_identifier} on {score.benchmark_identifier})"
    )


def assert_recording(recording: xr.DataArray, stimuli: StimulusSet, region: str, layer: str) -> None:
    """A neural recording of ``stimuli`` from ``region``: dims, stimulus order, unique neuroids, layer, region."""
    assert recording.dims == ("presentation", "neuroid")
    assert list(recording["stimulus_id"].values) == stimuli.stimulus_ids
    assert len(set(recording["neuroid_id"].values)) == recording.sizes["neuroid"], "neuroid ids repeat"
    assert set(recording["layer"].values) == {layer}
    assert set(recording["region"].values) == {region}


def assert_registration_imports_no_torch(package: str) -> None:
    """Importing the plugin ``package`` (what discovery does) must not import torch; checked in a fresh process."""
    code = f"import sys, {package}; assert 'torch' not in sys.modules, 'registering {package} imported torch'"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- the committed region -> layer map ------------------------------------------------------------------------
def committed_region_layer_map(path: str | Path) -> dict[str, str]:
    """The ``region_layer_map`` of a committed ``region_layer_map.json`` (region -> layer)."""
    from brainscore_core.commitment import read_region_layer_map

    return read_region_layer_map(path)


def assert_committed_region_layer_map(
    path: str | Path,
    *,
    layers: Iterable[str],
    fixed: Mapping[str, str],
    regions: Iterable[str] | None = None,
) -> dict[str, str]:
    """A committed ``region_layer_map.json`` is consistent; returns its region -> layer map.

    It maps exactly ``regions`` (default: every region of :data:`brainscore_core.brain_model.REGIONS`), each
    region of ``fixed`` to its fixed layer, and each region it selected to the best-scoring layer of that
    selection, whose scores cover exactly the candidate ``layers``. A plugin whose selection could not be made
    ahead of time commits only its fixed regions: pass ``regions=fixed``.
    """
    if regions is None:
        from .brain_model import REGIONS

        regions = REGIONS
    committed = json.loads(Path(path).read_text())
    region_layer_map: dict[str, str] = committed["region_layer_map"]
    assert set(region_layer_map) == set(regions), f"{path} maps {sorted(region_layer_map)}, not {sorted(regions)}"
    committed_fixed = {region: region_layer_map.get(region) for region in fixed}
    assert committed_fixed == dict(fixed), f"{path} maps the fixed regions to {committed_fixed}, not {dict(fixed)}"
    for region, selection in committed.get("selection", {}).items():
        scores = selection["scores"]
        best = max(scores, key=scores.get)
        mapped = region_layer_map[region]
        assert mapped == best, f"{path}: {region} is mapped to {mapped}, but its best-scoring layer is {best}"
        assert set(scores) == set(layers), f"{path}: {region}'s selection scored {sorted(scores)}, not {sorted(layers)}"
    return region_layer_map


# --- the BrainModel interface ----------------------------------------------------------------------------------
def assert_recording_interface(model: BrainModel, stimuli: StimulusSet, region: str, layer: str) -> xr.DataArray:
    """``model.start_recording(region)`` then ``look_at(stimuli)`` gives a valid recording of ``region`` from
    ``layer`` (:func:`assert_recording`), and the very same numbers when looked at again. Returns the recording."""
    import numpy as np

    model.start_recording(region)
    recording = model.look_at(stimuli)
    assert_recording(recording, stimuli, region, layer)
    np.testing.assert_array_equal(
        model.look_at(stimuli).values, recording.values, err_msg=f"{region} recordings differ when repeated"
    )
    return recording


def assert_label_task(model: BrainModel, stimuli: StimulusSet, labels: Any) -> xr.DataArray:
    """``model.start_task(Task.label, labels)`` then ``look_at(stimuli)`` gives one label per stimulus, in order:
    for ``"imagenet"`` an ImageNet class index (0 to :data:`IMAGENET_CLASSES` - 1), for a mapping (label -> class
    indices, e.g. ``load_dataset("Geirhos2019.imagenet_16class")``) one of its labels. Returns the labels."""
    from .brain_model import Task

    model.start_task(Task.label, labels)
    predicted = model.look_at(stimuli)
    assert list(predicted["stimulus_id"].values) == stimuli.stimulus_ids, "labels are not in stimulus order"
    if isinstance(labels, str):
        if labels == "imagenet":
            values = predicted.values
            assert ((0 <= values) & (values < IMAGENET_CLASSES)).all(), f"not ImageNet class indices: {values}"
    else:
        unknown = set(predicted.values) - set(labels)
        assert not unknown, f"labels {sorted(map(str, unknown))} are not among the task's labels"
    return predicted


def assert_readout(model: BrainModel, stimuli: StimulusSet, layer: str, features: int) -> xr.DataArray:
    """``model.start_task(Task.readout)`` then ``look_at(stimuli)`` gives ``features`` features per stimulus, all
    from the behavioural readout ``layer``. Returns the features."""
    from .brain_model import Task

    model.start_task(Task.readout)
    readout = model.look_at(stimuli)
    assert set(readout["layer"].values) == {layer}, f"readout from {set(readout['layer'].values)}, not {layer}"
    assert readout.sizes["neuroid"] == features, f"{readout.sizes['neuroid']} readout features, not {features}"
    return readout


# --- weights ---------------------------------------------------------------------------------------------------
def assert_seeded_builds(build_network: Callable[[], Any], parameter: str) -> None:
    """An untrained network whose weights are drawn from a fixed seed: two calls of ``build_network`` give the
    same parameters, leave torch's global random state as it was, and the named ``parameter`` is really random
    (not constant)."""
    import torch

    state = torch.get_rng_state()
    first, second = build_network().state_dict(), build_network().state_dict()
    assert torch.equal(torch.get_rng_state(), state), "building the network changed torch's global random state"
    assert first.keys() == second.keys()
    differing = [name for name in first if not torch.equal(first[name], second[name])]
    assert not differing, f"two builds differ in {differing}"
    assert first[parameter].float().std() > 0, f"{parameter} is constant, not random"


@contextlib.contextmanager
def offline_torch_hub(directory: str | Path, plugin: str = "this") -> Iterator[Path]:
    """For the ``with`` block, torch's hub directory is ``directory`` and any download through ``torch.hub``
    fails the test (``plugin`` names who tried). Use it in a fixture: ``with offline_torch_hub(tmp_path): yield``."""
    import torch

    def no_download(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"the {plugin} plugin must never download weights")

    previous = torch.hub.get_dir()
    replaced = {name: getattr(torch.hub, name) for name in ("download_url_to_file", "load_state_dict_from_url")}
    torch.hub.set_dir(str(directory))
    try:
        for name in replaced:
            setattr(torch.hub, name, no_download)
        yield Path(directory)
    finally:
        for name, original in replaced.items():
            setattr(torch.hub, name, original)
        torch.hub.set_dir(previous)


def assert_missing_hub_weights_are_explained(identifier: str, hub_dir: str | Path, weights_file: str) -> None:
    """Building model ``identifier`` while its torchvision ``weights_file`` is not in the (empty) torch hub
    directory ``hub_dir`` raises a DataError that says where to put which file: the expected path, the download
    address, and ``TORCH_HOME``."""
    from . import load_model
    from .errors import DataError

    expected_path = Path(hub_dir) / "checkpoints" / weights_file
    try:
        load_model(identifier)
    except DataError as error:
        message = str(error)
    else:
        raise AssertionError(f"building {identifier!r} without {weights_file} did not raise DataError")
    assert str(expected_path) in message, f"the message does not name {expected_path}: {message}"
    assert f"https://download.pytorch.org/models/{weights_file}" in message, f"no download address: {message}"
    assert "TORCH_HOME" in message, f"the message does not mention TORCH_HOME: {message}"


def assert_hub_weights_are_loaded(
    build_network: Callable[[], Any], reference: Mapping[str, Any], hub_dir: str | Path, weights_file: str
) -> None:
    """The state dict ``reference`` saved as ``<hub_dir>/checkpoints/<weights_file>`` is exactly what
    ``build_network()`` loads."""
    import torch

    checkpoints = Path(hub_dir) / "checkpoints"
    checkpoints.mkdir(parents=True, exist_ok=True)
    torch.save(reference, checkpoints / weights_file)
    loaded = build_network().state_dict()
    differing = [name for name in reference if not torch.equal(loaded[name], reference[name])]
    assert not differing, f"the built network's {differing} are not the weights in {weights_file}"


# --- a tiny model for benchmark plugins' tests -----------------------------------------------------------------
def shrunk_pixels(stimuli: StimulusSet, size: int) -> np.ndarray:
    """``(stimuli, size*size*3)`` pixel values in [0, 1] of each image resized (bilinear) to ``size x size``."""
    import numpy as np
    from PIL import Image

    rows = [
        np.asarray(stimuli.load_image(s).resize((size, size), Image.Resampling.BILINEAR), dtype=float).ravel()
        for s in stimuli.stimulus_ids
    ]
    return np.stack(rows) / 255.0


class ShrunkPixelsModel(BrainModel):
    """A deterministic BrainModel for benchmark tests (no torch, no weights): its "neurons" are the pixels of
    each image shrunk to ``size x size`` RGB (:func:`shrunk_pixels`), the same for every region in ``regions``
    and, with ``readout=True``, for :attr:`Task.readout`. A plumbing check, not a model of the brain.

    Recording from another region or asking for another task raises
    :class:`~brainscore_core.errors.IncompatibleModelError`; :attr:`looked_at` lists the stimulus sets shown.
    """

    def __init__(self, size: int = 8, regions: Sequence[str] = ("V4", "IT"), readout: bool = True) -> None:
        self.identifier = f"shrunk-pixels-{size}"
        self.size = size
        self.regions = tuple(regions)
        self.readout = readout
        self.looked_at: list[str] = []  #: identifiers of the stimulus sets shown, in order
        self._recording: str | None = None

    def start_recording(self, region: str, time_bins: Sequence[tuple[float, float]] | None = None) -> None:
        if region not in self.regions:
            raise IncompatibleModelError(self.identifier, f"record from region {region!r}")
        self._recording = region

    def start_task(self, task: Task | str, fitting_stimuli: Any = None) -> None:
        if Task(task) is not Task.readout or not self.readout:
            raise IncompatibleModelError(self.identifier, f"perform the {Task(task).value!r} task")
        self._recording = None

    def recording_details(self) -> dict[str, Any]:
        return {"layer": f"pixels{self.size}"}

    def look_at(self, stimuli: StimulusSet, number_of_trials: int = 1) -> xr.DataArray:
        from .assemblies import neuroid_assembly

        self.looked_at.append(stimuli.identifier)
        features = shrunk_pixels(stimuli, self.size)
        n = features.shape[1]
        return neuroid_assembly(
            features,
            stimulus_id=stimuli.stimulus_ids,
            neuroid_id=[f"pixel{i}" for i in range(n)],
            neuroid_coords={"layer": [f"pixels{self.size}"] * n, "region": [self._recording or "readout"] * n},
        )
