"""brainscore_core.testing.ShrunkPixelsModel: the tiny model benchmark plugins test with."""

import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from brainscore_core import BrainModel, Task, stimulus_set
from brainscore_core.errors import IncompatibleModelError
from brainscore_core.testing import ShrunkPixelsModel, assert_recording, shrunk_pixels


@pytest.fixture(scope="module")
def stimuli():
    rng = np.random.default_rng(0)
    images = [rng.integers(0, 256, size=(6, 6, 3), dtype=np.uint8) for _ in range(4)]
    return stimulus_set("pixels-test", {"stimulus_id": ["a", "b", "c", "d"]}, images=images)


def test_shrunk_pixels_are_the_bilinearly_resized_images_in_0_1(stimuli):
    features = shrunk_pixels(stimuli, 3)
    assert features.shape == (4, 3 * 3 * 3)
    first = np.asarray(stimuli.load_image("a").resize((3, 3), Image.Resampling.BILINEAR), dtype=float).ravel()
    np.testing.assert_array_equal(features[0], first / 255.0)
    assert features.min() >= 0 and features.max() <= 1


def test_records_the_shrunk_pixels_from_its_regions(stimuli):
    model = ShrunkPixelsModel(size=3, regions=("IT",))
    assert isinstance(model, BrainModel) and model.identifier == "shrunk-pixels-3"
    model.start_recording("IT")
    recording = model.look_at(stimuli)
    assert_recording(recording, stimuli, "IT", "pixels3")
    np.testing.assert_array_equal(recording.values, shrunk_pixels(stimuli, 3))
    assert model.looked_at == ["pixels-test"]
    assert model.recording_details() == {"layer": "pixels3"}


def test_offers_the_readout_task_only(stimuli):
    model = ShrunkPixelsModel(size=2)
    model.start_task(Task.readout)
    assert set(model.look_at(stimuli)["region"].values) == {"readout"}
    with pytest.raises(IncompatibleModelError, match="'label' task"):
        model.start_task(Task.label, "imagenet")
    with pytest.raises(IncompatibleModelError, match="readout"):
        ShrunkPixelsModel(readout=False).start_task(Task.readout)
    with pytest.raises(IncompatibleModelError, match="region 'V1'"):
        model.start_recording("V1")


def test_importing_it_imports_neither_torch_nor_pil():
    code = "import sys, brainscore_core.testing; assert not {'torch', 'PIL'} & set(sys.modules), sys.modules.keys()"
    subprocess.run([sys.executable, "-c", code], check=True)
