"""Uploaded images decoded and verified with Pillow, turned upright and re-encoded without
their metadata, as a web-size image and a thumbnail.

Every check happens before a pixel is decoded where it can: the file's size, then its header
(format, declared canvas against PHOTO_MAX_PIXELS and PHOTO_MAX_SIDE), so a file declaring a
huge canvas is refused whatever its size on disk. Pillow's own guard (DecompressionBombError,
past twice Image.MAX_IMAGE_PIXELS) is a second net; its limit is a process-wide global, so it
is left alone rather than changed per request under threads. Only the bytes re-encoded here are ever served publicly: EXIF (GPS
positions among them), XMP, ICC and comments stay in the original, which only staff get.
"""

import hashlib
import io
import math
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from miti_training.errors import PhotoRefused

#: Pillow's format names accepted, and the type each is stored as.
ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
#: The file name extension of each accepted type (an original downloaded by staff).
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
#: JPEG quality of the re-encoded renditions.
WEB_QUALITY = 85
THUMB_QUALITY = 80


@dataclass(frozen=True)
class Limits:
    """What an upload may be (config.Config's PHOTO_* settings)."""

    max_bytes: int
    max_pixels: int
    max_side: int
    web_size: int
    thumb_size: int


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Processed:
    original: bytes
    original_type: str
    web: Rendition
    thumbnail: Rendition


def _refuse(name: str, message) -> PhotoRefused:
    return PhotoRefused(_l("“%(name)s”: %(why)s", name=name, why=message))


def _open_checked(data: bytes, name: str, limits: Limits) -> Image.Image:
    """The image, its header checked: an accepted format and a canvas within the limits."""
    try:
        image = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
    except Image.DecompressionBombError:
        raise _too_large(name, limits) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _refuse(name, _l("this is not a JPEG, PNG or WebP image.")) from None
    width, height = image.size
    if width * height > limits.max_pixels or max(width, height) > limits.max_side:
        raise _too_large(name, limits, width, height)
    if getattr(image, "n_frames", 1) > 1:
        raise _refuse(name, _l("animated images are not accepted; send a still photo."))
    return image


def _too_large(name: str, limits: Limits, width: int = 0, height: int = 0) -> PhotoRefused:
    if not width:
        return _refuse(
            name,
            _l(
                "the image declares too many pixels; send one of at most %(megapixels)d megapixels.",
                megapixels=limits.max_pixels // 1_000_000,
            ),
        )
    return _refuse(
        name,
        _l(
            "the image is too large (%(width)d × %(height)d pixels); send one of at most %(megapixels)d megapixels and %(side)d pixels a side.",
            width=width,
            height=height,
            megapixels=limits.max_pixels // 1_000_000,
            side=limits.max_side,
        ),
    )


def _decoded(data: bytes, name: str, limits: Limits) -> Image.Image:
    """The pixels, verified: the header checked, the structure verified, then decoded in full
    (a truncated or corrupt file fails here), upright, in RGB."""
    try:
        _open_checked(data, name, limits).verify()
    except PhotoRefused:
        raise
    except Exception:  # verify() raises whatever the damage makes its parser raise
        raise _refuse(name, _l("the image is damaged and cannot be read.")) from None
    image = _open_checked(data, name, limits)
    # JPEG can decode at a fraction of its size: far less work for the renditions we keep.
    # Pillow reduces only while both sides stay at least the size asked for, so the size
    # asked for has the image's shape: a 4032 × 3024 photo decodes at 2016 × 1512, where a
    # square 1600 × 1600 would have kept it whole.
    image.draft("RGB", _draft_size(image.size, limits.web_size))
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise _refuse(name, _l("the image is damaged and cannot be read.")) from None
    if image.mode != "RGB":
        # Transparency over white: a JPEG has none.
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    return image


def _draft_size(size: tuple[int, int], longest: int) -> tuple[int, int]:
    """size scaled so that its longer side is longest (never enlarged), rounded up."""
    width, height = size
    scale = min(1.0, longest / max(width, height))
    return max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))


def _rendition(image: Image.Image, size: int, quality: int) -> Rendition:
    """image within size × size, as a JPEG with no metadata at all."""
    copy = image.copy()
    # reducing_gap: a cheap box reduction first, then LANCZOS; the same look, far less work.
    copy.thumbnail((size, size), Image.Resampling.LANCZOS, reducing_gap=3.0)
    # A fresh image carries no info (EXIF, ICC, comments) from the upload.
    clean = Image.new("RGB", copy.size)
    clean.paste(copy)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=quality, optimize=True, progressive=True)
    return Rendition(out.getvalue(), clean.width, clean.height)


def process(data: bytes, name: str, limits: Limits) -> Processed:
    """The upload checked and turned into its renditions; PhotoRefused when it cannot be."""
    if not data:
        raise _refuse(name, _l("the file is empty."))
    if len(data) > limits.max_bytes:
        raise _refuse(
            name,
            _l(
                "the file is too large; send one of at most %(mb)d MB.",
                mb=limits.max_bytes // 2**20,
            ),
        )
    fmt = _open_checked(data, name, limits).format
    image = _decoded(data, name, limits)
    web = _rendition(image, limits.web_size, WEB_QUALITY)
    # The thumbnail is made from the web size: a fraction of the pixels to resample.
    image.thumbnail((limits.web_size, limits.web_size), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return Processed(
        original=data,
        original_type=ACCEPTED_FORMATS[fmt],
        web=web,
        thumbnail=_rendition(image, limits.thumb_size, THUMB_QUALITY),
    )
