import hashlib
import warnings

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from brainscore_core import ChecksumMismatchError, StimulusError, stimulus_set
from brainscore_core.stimuli import rgb_image, sha256_file


def _write_images(folder, n=3):
    paths = []
    for i in range(n):
        path = folder / f"img{i}.png"
        Image.fromarray(np.full((4, 4, 3), i * 40, dtype=np.uint8)).save(path)
        paths.append(path)
    return paths


def test_file_backed_set_loads_images_and_metadata(tmp_path):
    paths = _write_images(tmp_path)
    stimuli = stimulus_set("demo", {"stimulus_id": ["a", "b", "c"], "object_name": ["x", "y", "z"]}, image_paths=paths)
    assert len(stimuli) == 3 and stimuli.stimulus_ids == ["a", "b", "c"]
    assert stimuli.load_image("b").getpixel((0, 0)) == (40, 40, 40)
    assert list(stimuli["object_name"]) == ["x", "y", "z"]


def test_in_memory_images():
    stimuli = stimulus_set("mem", {"stimulus_id": ["a"]}, images=[np.zeros((2, 2, 3), dtype=np.uint8)])
    assert stimuli.image_path("a") is None
    assert stimuli.load_image("a").size == (2, 2)


def test_content_hash_is_stable_and_sensitive(tmp_path):
    paths = _write_images(tmp_path)
    table = {"stimulus_id": ["a", "b", "c"]}
    first = stimulus_set("one", table, image_paths=paths).content_hash()
    assert stimulus_set("another-name", table, image_paths=paths).content_hash() == first
    Image.fromarray(np.full((4, 4, 3), 41, dtype=np.uint8)).save(paths[1])  # one pixel value changed
    assert stimulus_set("one", table, image_paths=paths).content_hash() != first
    assert stimulus_set("one", {"stimulus_id": ["a", "b", "d"]}, image_paths=paths).content_hash() != first


def test_content_hash_of_memory_images_matches_only_identical_pixels():
    image = np.zeros((2, 2, 3), dtype=np.uint8)
    one = stimulus_set("m", {"stimulus_id": ["a"]}, images=[image]).content_hash()
    assert stimulus_set("m", {"stimulus_id": ["a"]}, images=[image.copy()]).content_hash() == one
    image[0, 0, 0] = 1
    assert stimulus_set("m", {"stimulus_id": ["a"]}, images=[image]).content_hash() != one


def test_missing_file_is_named(tmp_path):
    with pytest.raises(StimulusError, match=r"nothere\.png"):
        stimulus_set("x", {"stimulus_id": ["a"]}, image_paths=[tmp_path / "nothere.png"])


def test_checksum_mismatch_names_the_file(tmp_path):
    paths = _write_images(tmp_path, 2)
    table = pd.DataFrame({"stimulus_id": ["a", "b"], "sha256": [sha256_file(paths[0]), "0" * 64]})
    with pytest.raises(ChecksumMismatchError, match=r"img1\.png") as raised:
        stimulus_set("x", table, image_paths=paths)
    assert raised.value.expected == "0" * 64


def test_duplicate_ids_and_missing_column_are_errors(tmp_path):
    paths = _write_images(tmp_path, 2)
    with pytest.raises(StimulusError, match="repeats stimulus ids"):
        stimulus_set("x", {"stimulus_id": ["a", "a"]}, image_paths=paths)
    with pytest.raises(StimulusError, match="needs a 'stimulus_id' column"):
        stimulus_set("x", {"id": ["a", "b"]}, image_paths=paths)


def test_subset_and_visual_degrees(tmp_path):
    paths = _write_images(tmp_path)
    stimuli = stimulus_set("demo", {"stimulus_id": ["a", "b", "c"]}, image_paths=paths)
    subset = stimuli.subset(["c", "a"])
    assert subset.stimulus_ids == ["c", "a"]
    placed = stimuli.with_visual_degrees(4)
    assert placed.visual_degrees == 4 and placed.content_hash() == stimuli.content_hash()
    with pytest.raises(StimulusError, match="no stimuli"):
        stimuli.subset(["zz"])


# --- high bit depth and transparency (issue 10 §6, probe 2.14) ------------------------------------------------
RAMP16 = np.linspace(0, 65535, 64 * 64).round().astype(np.uint16).reshape(64, 64)


def _grey_fraction(image):
    array = np.asarray(image)
    assert image.mode == "RGB" and array.dtype == np.uint8
    return array.mean() / 255


def test_a_16_bit_greyscale_png_is_scaled_not_saturated(tmp_path):
    path = tmp_path / "ramp16.png"
    Image.fromarray(RAMP16).save(path)
    assert Image.open(path).mode == "I;16"
    image = stimulus_set("deep", {"stimulus_id": ["r"]}, image_paths=[path]).load_image("r")
    assert _grey_fraction(image) == pytest.approx(0.5, abs=0.002)  # was 0.998 (99.6 % of pixels at 255)
    np.testing.assert_array_equal(np.asarray(image)[..., 0], np.round(RAMP16 / 257).astype(np.uint8))


@pytest.mark.parametrize("mode", ["I;16", "I;16B", "I;16L", "I", "F"])
def test_every_high_bit_depth_mode_is_scaled_by_its_range(mode):
    if mode == "F":
        image = Image.fromarray((RAMP16 / 65535).astype(np.float32), mode="F")
    elif mode == "I":
        image = Image.fromarray(RAMP16.astype(np.int32))
    else:
        image = Image.frombytes(mode, (64, 64), RAMP16.astype(">u2" if mode == "I;16B" else "<u2").tobytes())
    assert image.mode == mode
    converted = rgb_image(image)
    assert _grey_fraction(converted) == pytest.approx(0.5, abs=0.002)
    assert np.asarray(converted).min() == 0 and np.asarray(converted).max() == 255


def test_ambiguous_32_bit_ranges_are_refused_naming_the_file(tmp_path):
    path = tmp_path / "float.tif"
    Image.fromarray(np.linspace(-3, 900, 16, dtype=np.float32).reshape(4, 4), mode="F").save(path)
    stimuli = stimulus_set("tif", {"stimulus_id": ["f"]}, image_paths=[path])
    with pytest.raises(StimulusError, match=r"float.tif of stimulus 'f' is a 'F' .* values in \[-3, 900\]"):
        stimuli.load_image("f")
    with pytest.raises(StimulusError, match=r"'I' .* \[0, 65535\] \(16-bit\)"):
        rgb_image(Image.fromarray(np.full((2, 2), 70000, dtype=np.int32)))


def test_in_memory_uint16_arrays_are_scaled():
    stimuli = stimulus_set("mem16", {"stimulus_id": ["a"]}, images=[np.stack([RAMP16] * 3, axis=-1)])
    assert _grey_fraction(stimuli.load_image("a")) == pytest.approx(0.5, abs=0.002)


def test_8_bit_images_convert_exactly_as_before():
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)
    for image in (Image.fromarray(rgb), Image.fromarray(rgb[..., 0]), Image.fromarray(rgb).convert("P")):
        np.testing.assert_array_equal(np.asarray(rgb_image(image)), np.asarray(image.convert("RGB")))


def test_transparency_is_ignored_like_brain_scores_paste_onto_rgb():
    """Documented convention: each pixel keeps its stored colour; alpha is not composited onto any background."""
    rng = np.random.default_rng(1)
    rgba = Image.fromarray(rng.integers(0, 256, (8, 8, 4), dtype=np.uint8), "RGBA")
    la = Image.fromarray(rng.integers(0, 256, (8, 8, 2), dtype=np.uint8), "LA")
    palette = Image.fromarray(rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)).convert("P")
    palette.info["transparency"] = bytes(range(256))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # PIL's note on palette transparency, raised by convert/paste
        images = (rgba, la, palette, palette.convert("PA"))
        expected = []
        for image in images:
            canvas = Image.new("RGB", image.size)
            canvas.paste(image)  # Brain-Score's load_images
            expected.append(np.asarray(canvas))
    for image, pasted in zip(images, expected, strict=True):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # rgb_image itself stays quiet: ignoring alpha is the convention
            converted = rgb_image(image)
        np.testing.assert_array_equal(np.asarray(converted), pasted)
    np.testing.assert_array_equal(np.asarray(rgb_image(rgba)), np.asarray(rgba)[..., :3])


def test_content_hash_changes_only_for_images_whose_conversion_changed(tmp_path):
    eight = tmp_path / "eight.png"
    Image.fromarray(np.full((4, 4, 3), 9, dtype=np.uint8)).save(eight)
    plain = stimulus_set("h", {"stimulus_id": ["a"]}, image_paths=[eight]).content_hash()
    digest = hashlib.sha256(b"brainscore-stimulus-set-v1")
    digest.update(b"\x00id\x00a" + bytes.fromhex(sha256_file(eight)))
    assert plain == digest.hexdigest()  # 8-bit sets keep their hash (and cached activations)
    deep = tmp_path / "deep.png"
    Image.fromarray(RAMP16).save(deep)
    digest = hashlib.sha256(b"brainscore-stimulus-set-v1")
    digest.update(b"\x00id\x00a" + bytes.fromhex(sha256_file(deep)))
    assert stimulus_set("h", {"stimulus_id": ["a"]}, image_paths=[deep]).content_hash() != digest.hexdigest()
