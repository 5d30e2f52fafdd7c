"""What the public may see of albums: photos of a public programme's sessions that have ended,
not hidden by staff. Anything else is None, which the pages answer with a 404."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, join, select, update
from sqlalchemy.orm import contains_eager, selectinload

from miti_training.db_setup import write_transaction_of_its_own
from miti_training.extensions import db
from miti_training.models import (
    Album,
    Centre,
    Photo,
    PhotoFile,
    Programme,
    ProgrammeSession,
    utcnow,
)
from miti_training.programmes.catalogue import PUBLIC_STATUSES

#: The renditions served publicly, their bytes and their digest; the original never is.
PUBLIC_SIZES = {
    "web": (PhotoFile.web, Photo.web_digest),
    "thumb": (PhotoFile.thumbnail, Photo.thumb_digest),
}

#: How many albums a centre page shows.
CENTRE_ALBUMS = 6


def _public(now: datetime):
    """The conditions under which a photo is public."""
    return (
        Photo.is_hidden.is_(False),
        ProgrammeSession.ends_at <= now,
        Programme.status.in_(PUBLIC_STATUSES),
    )


def _joined(query):
    return (
        query.join(Album, Album.id == Photo.album_id)
        .join(ProgrammeSession, ProgrammeSession.id == Album.session_id)
        .join(Programme, Programme.id == ProgrammeSession.programme_id)
    )


def join_public_photo(query, photo_id, now: datetime | None = None):
    """query, which selects from programmes, with the photo whose id is the column photo_id
    outer-joined together with its album and session, where it is a public photo of that
    programme; where it is not (hidden, its session not ended, another programme's), their
    columns are NULL. For pages that show one photo of a programme elsewhere (a post's cover)."""
    photo_album_session = join(Photo, Album, Album.id == Photo.album_id).join(
        ProgrammeSession, ProgrammeSession.id == Album.session_id
    )
    return query.outerjoin(
        photo_album_session,
        and_(
            Photo.id == photo_id,
            ProgrammeSession.programme_id == Programme.id,
            *_public(now or utcnow()),
        ),
    )


@dataclass(frozen=True)
class PublicAlbum:
    """An album as the public sees it: its session and its visible photos in order."""

    album: Album
    session: ProgrammeSession
    photos: list[Photo]

    @property
    def cover(self) -> Photo:
        return next((p for p in self.photos if p.is_cover), self.photos[0])


def programme_albums(programme: Programme, now: datetime | None = None) -> list[PublicAlbum]:
    """The albums of programme the public may see, in the timetable's order (one statement
    for the photos, one for their captions' translations)."""
    now = now or utcnow()
    if not _is_shown(programme, now):
        return []
    query = _joined(select(Photo)).where(Programme.id == programme.id, *_public(now))
    photos = db.session.scalars(
        query.options(contains_eager(Photo.album), selectinload(Photo.translations)).order_by(
            ProgrammeSession.starts_at, Album.id, Photo.position, Photo.id
        )
    ).all()
    sessions = {s.id: s for s in programme.sessions}
    albums: dict[int, PublicAlbum] = {}
    for photo in photos:
        album = photo.album
        if album.id not in albums:
            albums[album.id] = PublicAlbum(album, sessions[album.session_id], [])
        albums[album.id].photos.append(photo)
    return list(albums.values())


def _is_shown(programme: Programme, now: datetime) -> bool:
    """Whether programme can have public photos at all, from what is loaded with its page (a
    programme none of whose sessions has ended costs no statement)."""
    return programme.status in PUBLIC_STATUSES and any(s.ends_at <= now for s in programme.sessions)


@dataclass(frozen=True)
class PublicPhoto:
    """One public photo with its place among its album's visible photos."""

    photo: Photo
    session: ProgrammeSession
    number: int
    count: int
    previous_id: int | None
    next_id: int | None


def public_photo(
    programme: Programme, photo_id: int, now: datetime | None = None
) -> PublicPhoto | None:
    """photo_id when the public may see it in programme, with its neighbours: the photo, then
    only the ids of its album's visible photos, however large the programme's albums."""
    now = now or utcnow()
    if not _is_shown(programme, now):
        return None
    photo = db.session.scalars(
        _joined(select(Photo))
        .where(Programme.id == programme.id, Photo.id == photo_id, *_public(now))
        .options(contains_eager(Photo.album), selectinload(Photo.translations))
    ).first()
    if photo is None:
        return None
    ids = db.session.scalars(
        select(Photo.id)
        .where(Photo.album_id == photo.album_id, Photo.is_hidden.is_(False))
        .order_by(Photo.position, Photo.id)
    ).all()
    index = ids.index(photo.id)
    session = next(s for s in programme.sessions if s.id == photo.album.session_id)
    return PublicPhoto(
        photo=photo,
        session=session,
        number=index + 1,
        count=len(ids),
        previous_id=ids[index - 1] if index > 0 else None,
        next_id=ids[index + 1] if index + 1 < len(ids) else None,
    )


def public_digest(photo_id: int, size: str, now: datetime | None = None) -> str | None:
    """The digest of a public photo's rendition, without reading its bytes (a revalidation)."""
    if size not in PUBLIC_SIZES:
        return None
    _data, digest = PUBLIC_SIZES[size]
    query = _joined(select(digest)).where(Photo.id == photo_id, *_public(now or utcnow()))
    return db.session.scalar(query)


def public_file(photo_id: int, size: str, now: datetime | None = None) -> tuple[bytes, str] | None:
    """(bytes, digest) of a public photo's web-size image or thumbnail; None otherwise."""
    if size not in PUBLIC_SIZES:
        return None
    column, digest = PUBLIC_SIZES[size]
    query = _joined(select(column, digest).join(PhotoFile, PhotoFile.photo_id == Photo.id)).where(
        Photo.id == photo_id, *_public(now or utcnow())
    )
    row = db.session.execute(query).one_or_none()
    return (row[0], row[1]) if row is not None else None


def count_view(album_id: int) -> None:
    """One more view of the album, in one UPDATE (no read, no lost count under concurrency).

    A page view is a read-only request: the count is written in a transaction of its own, as
    on SQLite a reader's snapshot cannot become a writer once another process has written.
    """
    with write_transaction_of_its_own(db.session):
        db.session.execute(
            update(Album)
            .where(Album.id == album_id)
            .values(views=Album.views + 1)
            .execution_options(synchronize_session=False)
        )


@dataclass(frozen=True)
class AlbumCard:
    """A centre page's album: programme, session, cover and photo count."""

    programme: Programme
    session: ProgrammeSession
    cover: Photo
    count: int


def centre_albums(centre: Centre, now: datetime | None = None, limit: int = CENTRE_ALBUMS):
    """The centre's latest public albums, newest session first."""
    now = now or utcnow()
    counted = (
        _joined(select(Album.id, func.count(Photo.id).label("n"), func.min(Photo.id)))
        .where(Programme.centre_id == centre.id, *_public(now))
        .group_by(Album.id, ProgrammeSession.ends_at)
        .order_by(ProgrammeSession.ends_at.desc(), Album.id.desc())
        .limit(limit)
    )
    rows = db.session.execute(counted).all()
    if not rows:
        return []
    ids = [row[0] for row in rows]
    photos = db.session.scalars(
        _joined(select(Photo))
        .where(Photo.album_id.in_(ids), *_public(now))
        .options(
            contains_eager(Photo.album)
            .joinedload(Album.session)
            .joinedload(ProgrammeSession.programme),
            selectinload(Photo.translations),
        )
        .order_by(Photo.position, Photo.id)
    ).all()
    by_album: dict[int, list[Photo]] = {}
    for photo in photos:
        by_album.setdefault(photo.album_id, []).append(photo)
    cards = []
    for album_id, count, _first in rows:
        visible = by_album[album_id]
        cover = next((p for p in visible if p.is_cover), visible[0])
        session = cover.album.session
        cards.append(AlbumCard(session.programme, session, cover, count))
    return cards
