"""What staff get of albums: a session's album with every photo (hidden ones too), a photo's
files, the zip of an album's web-size images, and photos and views per album of a centre."""

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from miti_training.albums.uploading import album_of
from miti_training.extensions import db
from miti_training.models import (
    Album,
    Centre,
    Photo,
    PhotoFile,
    Programme,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
)

#: The files staff may fetch: the renditions, and the original as uploaded.
STAFF_SIZES = {"web": PhotoFile.web, "thumb": PhotoFile.thumbnail, "original": PhotoFile.original}


def album_photos(session: ProgrammeSession) -> tuple[Album | None, list[Photo]]:
    """session's album and all its photos in order, with their translations."""
    album = album_of(session)
    if album is None:
        return None, []
    photos = db.session.scalars(
        select(Photo)
        .where(Photo.album_id == album.id)
        .options(selectinload(Photo.translations))
        .order_by(Photo.position, Photo.id)
    ).all()
    return album, list(photos)


def staff_file(session: ProgrammeSession, photo_id: int, size: str):
    """(bytes, content type) of a photo of session's album; None for another's id."""
    column = STAFF_SIZES.get(size)
    if column is None:
        return None
    row = db.session.execute(
        select(column, Photo.original_type)
        .join(Photo, Photo.id == PhotoFile.photo_id)
        .join(Album, Album.id == Photo.album_id)
        .where(Photo.id == photo_id, Album.session_id == session.id)
    ).one_or_none()
    if row is None:
        return None
    return row[0], row[1] if size == "original" else "image/jpeg"


class _Parts(io.RawIOBase):
    """A write-only file whose bytes are taken away part by part: zipfile writes into it and
    the download sends what has been written so far."""

    def __init__(self):
        self._written = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._written += data
        return len(data)

    def take(self) -> bytes:
        taken, self._written = bytes(self._written), bytearray()
        return taken


def album_zip_parts(album_id: int) -> Iterator[bytes]:
    """The web-size images of the album, in order, hidden ones left out, as a zip in parts:
    stored, not compressed (JPEG does not shrink). Each photo is read in a step of its own,
    with whatever database session is current then, so the whole album is never in memory."""
    photo_ids = db.session.scalars(
        select(Photo.id)
        .where(Photo.album_id == album_id, Photo.is_hidden.is_(False))
        .order_by(Photo.position, Photo.id)
    ).all()
    parts = _Parts()
    with zipfile.ZipFile(parts, "w", zipfile.ZIP_STORED) as archive:
        for number, photo_id in enumerate(photo_ids, start=1):
            yield parts.take()  # the next photo is read in the next step
            data = db.session.scalar(select(PhotoFile.web).where(PhotoFile.photo_id == photo_id))
            if data is None:  # deleted meanwhile
                continue
            archive.writestr(f"{number:03d}-photo-{photo_id}.jpg", data)
    yield parts.take()


@dataclass(frozen=True)
class AlbumFigures:
    programme_id: int
    programme_title: str
    session_id: int
    session_title: str
    photos: int
    hidden: int
    views: int


#: Albums the centre dashboard lists, the most recent sessions first.
DASHBOARD_ALBUMS = 20


def centre_album_figures(centre: Centre, limit: int = DASHBOARD_ALBUMS) -> list[AlbumFigures]:
    """Photos (hidden ones among them) and views of the albums of centre's latest sessions;
    one statement."""
    hidden = func.coalesce(func.sum(case((Photo.is_hidden.is_(True), 1), else_=0)), 0)
    rows = db.session.execute(
        select(
            Programme.id,
            Programme.title,
            ProgrammeSession.id,
            ProgrammeSession.title,
            func.count(Photo.id),
            hidden,
            Album.views,
        )
        .select_from(Album)
        .join(ProgrammeSession, ProgrammeSession.id == Album.session_id)
        .join(Programme, Programme.id == ProgrammeSession.programme_id)
        .outerjoin(Photo, Photo.album_id == Album.id)
        .where(Programme.centre_id == centre.id)
        .group_by(Album.id, Programme.id, ProgrammeSession.id)
        .order_by(ProgrammeSession.starts_at.desc(), Album.id.desc())
        .limit(limit)
    ).all()
    return [AlbumFigures(*row) for row in rows]


def without_photo_consent(programme: Programme) -> list[Registration]:
    """Confirmed participants of programme who have not agreed to photos (or withdrew)."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.programme_id == programme.id,
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.consent_photos_at.is_(None),
            )
            .order_by(Registration.full_name, Registration.id)
        )
    )


def shown_photo_count(programme: Programme) -> int:
    """Photos of programme's albums not hidden: public now, or once their session has ended."""
    return db.session.scalar(
        select(func.count(Photo.id))
        .join(Album, Album.id == Photo.album_id)
        .join(ProgrammeSession, ProgrammeSession.id == Album.session_id)
        .where(ProgrammeSession.programme_id == programme.id, Photo.is_hidden.is_(False))
    )
