"""What staff get of albums: a session's album with every photo (hidden ones too), a photo's
files, the zip of an album's web-size images, and photos and views per album of a centre."""

import io
import zipfile
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


def album_zip(album: Album) -> bytes:
    """The web-size images of album, in order, hidden ones left out; stored, not compressed
    (JPEG does not shrink), read one row at a time."""
    out = io.BytesIO()
    rows = db.session.execute(
        select(Photo.position, Photo.id, PhotoFile.web)
        .join(PhotoFile, PhotoFile.photo_id == Photo.id)
        .where(Photo.album_id == album.id, Photo.is_hidden.is_(False))
        .order_by(Photo.position, Photo.id)
        .execution_options(yield_per=1)
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for number, (_position, photo_id, data) in enumerate(rows, start=1):
            archive.writestr(f"{number:03d}-photo-{photo_id}.jpg", data)
    return out.getvalue()


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
