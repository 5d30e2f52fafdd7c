"""Images made for the album tests: real JPEG/PNG/WebP files from Pillow, a JPEG carrying GPS
and an orientation in its EXIF, a PNG whose header declares a huge canvas, and photos added
straight to an album."""

import io
import struct
import zlib

from PIL import Image

from miti_training.albums import images, uploading
from miti_training.extensions import db
from miti_training.models import Album, Photo, ProgrammeSession

#: EXIF tags.
ORIENTATION = 0x0112
GPS_IFD = 0x8825
MAKE = 0x010F


def image_bytes(fmt: str = "JPEG", size=(64, 48), colour=(200, 30, 30), **save) -> bytes:
    out = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    Image.new(mode, size, colour).save(out, format=fmt, **save)
    return out.getvalue()


def jpeg_with_gps(size=(80, 40), orientation: int = 6) -> bytes:
    """A landscape JPEG, left half red and right half blue, whose EXIF places it in Seoul and
    says it must be turned (6: 90° clockwise, shown as a portrait)."""
    image = Image.new("RGB", size, (220, 0, 0))
    image.paste((0, 0, 220), (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "TestCam"
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (37.0, 33.0, 59.0)
    gps[3] = "E"
    gps[4] = (126.0, 58.0, 41.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=95)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG file whose header claims width × height pixels (a decompression bomb's
    shape: a few hundred bytes that would decode to gigabytes)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def add_photo(session: ProgrammeSession, *, caption: str = "", hidden: bool = False, **kw) -> Photo:
    """A photo in session's album (made if needed), processed as an upload would be."""
    album = db.session.query(Album).filter_by(session_id=session.id).one_or_none()
    if album is None:
        album = Album(session=session)
        db.session.add(album)
        db.session.flush()
    done = images.process(
        kw.pop("data", None) or image_bytes(),
        "photo.jpg",
        images.Limits(10 * 2**20, 40_000_000, 12000, 1600, 400),
    )
    photo = uploading.store_photo(
        album, len(album.photos) + 1, done, caption=caption, is_hidden=hidden, **kw
    )
    db.session.flush()
    return photo
