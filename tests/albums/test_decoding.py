"""How much of an upload is decoded: a JPEG is decoded at the smallest reduction that still
covers the web size, whatever its shape, so a phone's 12 MP photo is not decoded whole."""

import pytest

from miti_training.albums import images
from tests.support.photos import image_bytes

LIMITS = images.Limits(10 * 2**20, 40_000_000, 12000, 1600, 400)


@pytest.mark.parametrize(
    ("size", "decoded"),
    [
        ((4032, 3024), (2016, 1512)),  # a phone's 4:3 landscape
        ((3024, 4032), (1512, 2016)),  # and portrait
        ((6000, 4000), (3000, 2000)),
        ((1600, 1200), (1600, 1200)),  # already the web size: decoded as it is
    ],
)
def test_a_jpeg_is_decoded_reduced_to_just_cover_the_web_size(size, decoded):
    data = image_bytes(size=size, quality=80)
    assert images._decoded(data, "photo.jpg", LIMITS).size == decoded


@pytest.mark.parametrize("size", [(4032, 3024), (3024, 4032), (800, 600)])
def test_the_renditions_keep_the_shape_and_limits(size):
    done = images.process(image_bytes(size=size, quality=80), "photo.jpg", LIMITS)
    scale = min(1, 1600 / max(size))
    assert (done.web.width, done.web.height) == (round(size[0] * scale), round(size[1] * scale))
    assert max(done.thumbnail.width, done.thumbnail.height) == min(400, max(size))
