"""Staff upload photos to a session: its album is made with the first one.

An upload is taken whole or not at all: every file is checked and re-encoded before any is
added, so a refused file leaves the album as it was and the message names that file. Two
uploads to one session at the same moment make one album and take their turns on its row, so
positions and the album's limit hold.

A picture already in the album (the same web-size copy, byte for byte) is not added again:
an upload sent twice, by a second click while the first was still on its way or by the
browser's back button, adds nothing the second time and says which files it skipped.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from miti_training import audit
from miti_training.albums import images
from miti_training.db_setup import insert_ignoring_existing
from miti_training.errors import PhotoRefused
from miti_training.extensions import db
from miti_training.models import Album, Photo, PhotoFile, ProgrammeSession, User, utcnow


@dataclass(frozen=True)
class Added:
    photos: list[Photo]
    #: The names of the files whose picture the album already had, in the order sent.
    already_there: list[str]


@dataclass(frozen=True)
class Upload:
    """One file as the form received it."""

    name: str
    data: bytes


def limits() -> images.Limits:
    config = current_app.config
    return images.Limits(
        max_bytes=config["PHOTO_MAX_BYTES"],
        max_pixels=config["PHOTO_MAX_PIXELS"],
        max_side=config["PHOTO_MAX_SIDE"],
        web_size=config["PHOTO_WEB_SIZE"],
        thumb_size=config["PHOTO_THUMB_SIZE"],
    )


def album_of(session: ProgrammeSession) -> Album | None:
    return db.session.scalar(select(Album).where(Album.session_id == session.id))


def _album_held(session: ProgrammeSession) -> Album:
    """The session's album, made if missing, its row locked until the transaction ends (SQLite's
    write transaction already holds the whole database)."""
    db.session.execute(
        insert_ignoring_existing(
            db.session, Album, {"session_id": session.id, "views": 0, "created_at": utcnow()}
        )
    )
    return db.session.scalar(
        select(Album)
        .where(Album.session_id == session.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _check_room(album: Album | None, adding: int) -> None:
    """PhotoRefused when adding photos would take the album past PHOTO_MAX_PER_ALBUM."""
    limit = current_app.config["PHOTO_MAX_PER_ALBUM"]
    present = 0
    if album is not None:
        count = select(func.count(Photo.id)).where(Photo.album_id == album.id)
        present = db.session.scalar(count)
    if present + adding > limit:
        raise PhotoRefused(
            _l(
                "An album holds at most %(max)d photos; this one has %(count)d already.",
                max=limit,
                count=present,
            )
        )


def store_photo(album: Album, position: int, done: images.Processed, **values) -> Photo:
    """A processed upload stored at position in album: its row (values set the rest, e.g.
    uploaded_by_id) and its bytes in a row of their own."""
    photo = Photo(
        album=album,
        position=position,
        width=done.web.width,
        height=done.web.height,
        thumb_width=done.thumbnail.width,
        thumb_height=done.thumbnail.height,
        web_digest=done.web.digest,
        thumb_digest=done.thumbnail.digest,
        original_type=done.original_type,
        original_bytes=len(done.original),
        **values,
    )
    db.session.add(photo)
    db.session.flush()
    db.session.add(
        PhotoFile(
            photo_id=photo.id,
            original=done.original,
            web=done.web.data,
            thumbnail=done.thumbnail.data,
        )
    )
    return photo


def add_photos(session: ProgrammeSession, uploads: Sequence[Upload], *, actor: User) -> Added:
    """Check every upload, then add those the album does not have yet after its photos;
    PhotoRefused (naming the first file refused, or the count) before anything is added."""
    config = current_app.config
    if not uploads:
        raise PhotoRefused(_l("Choose one or more photos to upload."))
    if len(uploads) > config["PHOTO_MAX_FILES"]:
        raise PhotoRefused(
            _l(
                "Upload at most %(max)d photos at a time; you chose %(count)d.",
                max=config["PHOTO_MAX_FILES"],
                count=len(uploads),
            )
        )
    _check_room(album_of(session), len(uploads))  # refused at once, before any decoding
    # Decoding happens before the album's row is held: it is the slow part.
    checked = [(upload, images.process(upload.data, upload.name, limits())) for upload in uploads]
    album = _album_held(session)
    fresh, already_there = _new_pictures(album, checked)
    _check_room(album, len(fresh))
    last = db.session.scalar(select(func.max(Photo.position)).where(Photo.album_id == album.id))
    position = (last or 0) + 1
    photos = []
    for done in fresh:
        photos.append(store_photo(album, position, done, uploaded_by_id=actor.id))
        position += 1
    db.session.flush()
    if photos:
        audit.record(
            "album.upload",
            actor=actor,
            programme=session.programme,
            reason=f"session {session.id}: {len(photos)} photo(s)",
        )
    return Added(photos, already_there)


def _new_pictures(album: Album, checked) -> tuple[list[images.Processed], list[str]]:
    """The processed uploads whose picture neither the album nor an earlier file of the same
    upload has, and the names of the others. Read with the album's row held, so an upload
    sent twice at once is seen by its second copy."""
    digests = [done.web.digest for _upload, done in checked]
    seen = set(
        db.session.scalars(
            select(Photo.web_digest).where(
                Photo.album_id == album.id, Photo.web_digest.in_(set(digests))
            )
        )
    )
    fresh, already_there = [], []
    for (upload, done), digest in zip(checked, digests, strict=True):
        if digest in seen:
            already_there.append(upload.name)
        else:
            seen.add(digest)
            fresh.append(done)
    return fresh, already_there
