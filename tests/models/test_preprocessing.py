"""Image placement for visual degrees, resizing and normalisation."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from PIL import Image

from brainscore_core.activations import GREY, IMAGENET_MEAN, IMAGENET_STD, Preprocessing, place_on_screen

WHITE = (255, 255, 255)


def _uniform(size: tuple[int, int], colour=WHITE) -> Image.Image:
    return Image.new("RGB", size, colour)


def _non_grey_mask(pixels: np.ndarray) -> np.ndarray:
    """Pixels clearly not the grey background (bilinear edges count when closer to the image colour)."""
    return np.abs(pixels.astype(int) - np.asarray(GREY)).max(axis=-1) > 63


def _bounding_box_side(mask: np.ndarray) -> tuple[int, int]:
    rows = np.flatnonzero(mask.any(axis=1))
    columns = np.flatnonzero(mask.any(axis=0))
    return rows[-1] - rows[0] + 1, columns[-1] - columns[0] + 1


def test_half_the_degrees_in_area_leaves_half_the_screen_grey():
    preprocessing = Preprocessing(image_size=224)
    pixels = preprocessing.screen_image(_uniform((300, 300)), stimulus_degrees=8 / math.sqrt(2), model_degrees=8)
    mask = _non_grey_mask(pixels)
    expected_side = 224 / math.sqrt(2)
    height, width = _bounding_box_side(mask)
    assert abs(height - expected_side) <= 1 and abs(width - expected_side) <= 1
    grey_fraction = 1 - mask.mean()
    # within one pixel of side length on each edge
    tolerance = (2 * expected_side + 1) / 224**2
    assert grey_fraction == pytest.approx(0.5, abs=tolerance)


def test_half_the_model_degrees_is_a_centred_quarter_of_the_canvas():
    placed = place_on_screen(_uniform((100, 60)), stimulus_degrees=4, model_degrees=8)
    assert placed.size == (200, 120)
    pixels = np.asarray(placed)
    mask = _non_grey_mask(pixels)
    assert mask.sum() == 100 * 60
    rows, columns = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    assert (rows[0], rows[-1], columns[0], columns[-1]) == (30, 89, 50, 149)
    assert np.all(pixels[~mask] == GREY)


def test_larger_stimulus_is_centre_cropped():
    array = np.zeros((100, 100, 3), dtype=np.uint8)
    array[25:75, 25:75] = 200  # the centre half of the image
    placed = place_on_screen(Image.fromarray(array), stimulus_degrees=16, model_degrees=8)
    assert placed.size == (50, 50)
    assert np.all(np.asarray(placed) == 200)


def test_equal_or_unknown_degrees_leave_the_image_alone():
    image = _uniform((30, 20))
    assert place_on_screen(image, 8, 8) is image
    assert place_on_screen(image, None, 8) is image
    assert place_on_screen(image, 8, None) is image


def test_normalisation_matches_a_direct_computation():
    rng = np.random.default_rng(0)
    array = rng.integers(0, 256, size=(32, 32, 3), dtype=np.uint8)
    preprocessing = Preprocessing(image_size=32)
    batch = preprocessing([Image.fromarray(array)])
    expected = ((array / 255.0 - np.asarray(IMAGENET_MEAN)) / np.asarray(IMAGENET_STD)).transpose(2, 0, 1)
    assert batch.shape == (1, 3, 32, 32) and batch.dtype == np.float32
    np.testing.assert_allclose(batch[0], expected, atol=1e-5)


def test_resize_and_custom_statistics():
    preprocessing = Preprocessing(image_size=17, mean=(0.5, 0.5, 0.5), std=(0.5, 0.25, 1.0))
    batch = preprocessing([_uniform((40, 23), colour=(255, 0, 255))])
    assert batch.shape == (1, 3, 17, 17)
    np.testing.assert_allclose(batch[0, :, 5, 5], [1.0, -2.0, 0.5], atol=1e-6)


def test_preprocessing_is_frozen_hashable_and_validated():
    preprocessing = Preprocessing()
    with pytest.raises(dataclasses.FrozenInstanceError):
        preprocessing.image_size = 100  # type: ignore[misc]
    assert hash(preprocessing) == hash(Preprocessing(mean=list(IMAGENET_MEAN)))
    assert preprocessing.describe()["image_size"] == 224
    with pytest.raises(ValueError, match="std"):
        Preprocessing(std=(0.1, 0.0, 0.1))
    with pytest.raises(ValueError, match="resample"):
        Preprocessing(resample="cubic-ish")
    with pytest.raises(ValueError, match="positive"):
        place_on_screen(_uniform((4, 4)), 0, 8)


def test_screen_image_scales_16_bit_greyscale_and_keeps_8_bit_images_identical():
    ramp = np.linspace(0, 65535, 32 * 32).round().astype(np.uint16).reshape(32, 32)
    screen = Preprocessing(image_size=32).screen_image(Image.fromarray(ramp))
    assert screen.mean() / 255 == pytest.approx(0.5, abs=0.002)  # PIL's convert('RGB') gave 0.998
    rng = np.random.default_rng(0)
    for image in (
        Image.fromarray(rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)),
        Image.fromarray(rng.integers(0, 256, (20, 30, 4), dtype=np.uint8), "RGBA"),
        Image.fromarray(rng.integers(0, 256, (20, 30), dtype=np.uint8)),
    ):
        before = np.asarray(image.convert("RGB").resize((32, 32), Image.Resampling.BILINEAR), dtype=np.uint8)
        np.testing.assert_array_equal(Preprocessing(image_size=32).screen_image(image), before)
