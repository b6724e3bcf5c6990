"""Stimuli on the model's screen follow Brain-Score's ``place_on_screen``: the grey fractions Brain-Score pins for
real hvm and FreemanZiemba images are reproduced with synthetic images of the same size and grey pixel counts
(pixel identity with Brain-Score's own function: benchmarks/crosscheck_benchmarks.py, family "screen")."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from brainscore_core.activations import Preprocessing, place_on_screen
from brainscore_core.stimuli import rgb_image
from brainscore_core.synthetic_brainio import grey_count_image


def grey_fraction(image: Image.Image) -> float:
    """Brain-Score's ``amount_gray``: pixels equal to (128, 128, 128) divided by height x width x 3."""
    pixels = np.asarray(image)
    return float(np.all(pixels == 128, axis=-1).sum() / pixels.size)


# hvm image 8a72e2bf... (256 x 256 RGB, 8 degrees): Brain-Score pins .25071 at 14 and .00460 at 6 degrees (abs 1e-4).
# 15788 grey pixels (509 of them in the central 192 x 192 that 6 degrees keeps) give both.
HVM = grey_count_image(256, channels=3, grey_inside=509, grey_outside=15788 - 509, inner=192)
# FreemanZiemba image 21041db1... (320 x 320, one channel, 31756 grey pixels, 4 degrees): .314561 at 14, .23113 at 6.
FREEMANZIEMBA = grey_count_image(320, channels=1, grey_inside=31756)


@pytest.mark.parametrize(
    "pixels, source, target, size, pinned",
    [
        (HVM, 8, 14, 448, 0.25071),
        (HVM, 8, 6, 192, 0.00460),
        (FREEMANZIEMBA, 4, 14, 1120, 0.314561),
        (FREEMANZIEMBA, 4, 6, 480, 0.23113),
    ],
)
def test_grey_fraction_matches_brainscores_pins(pixels, source, target, size, pinned):
    placed = place_on_screen(rgb_image(Image.fromarray(pixels)), source, target)
    assert placed.size == (size, size)
    assert grey_fraction(placed) == pytest.approx(pinned, abs=1e-4)


def test_enlarged_images_are_centred_on_grey_and_shrunk_ones_cropped_at_the_centre():
    image = Image.fromarray(np.arange(10 * 7 * 3, dtype=np.uint8).reshape(7, 10, 3))  # 10 wide, 7 high
    larger = np.asarray(place_on_screen(image, 8, 14))  # ratio 1.75: 18 x 12, image at (4, 2)
    assert larger.shape == (12, 18, 3)
    np.testing.assert_array_equal(larger[2:9, 4:14], np.asarray(image))
    assert np.all(larger[:2] == 128) and np.all(larger[:, :4] == 128)
    smaller = np.asarray(place_on_screen(image, 11.2, 8))  # ratio 0.714: round(7.14) x round(5.0) = 7 x 5
    assert smaller.shape == (5, 7, 3)
    np.testing.assert_array_equal(smaller, np.asarray(image)[1:6, 2:9])


def test_the_preprocessing_places_before_resizing():
    pixels = grey_count_image(64, channels=3, grey_inside=0, seed=1)
    screen = Preprocessing(image_size=64, resample="nearest").screen_image(Image.fromarray(pixels), 4, 8)
    assert np.all(screen[:16] == 128) and not np.all(screen[16:48, 16:48] == 128)
