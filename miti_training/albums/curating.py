"""Staff curate an album: captions in several languages, the order, the cover, hiding a photo
at once (a participant asked, say), deleting one."""

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from miti_training import audit
from miti_training.errors import FieldError
from miti_training.extensions import db
from miti_training.models import Album, Photo, ProgrammeSession, User
from miti_training.text_translations import TranslatedField, apply_translations, clean

#: The most characters of a caption, in every language.
MAX_CAPTION = 300
CAPTION_FIELDS = (TranslatedField("caption", MAX_CAPTION),)


def photo_in_session(session: ProgrammeSession, photo_id: int) -> Photo | None:
    """The photo with this id if it is in session's album (another's id: None)."""
    return db.session.scalar(
        select(Photo)
        .join(Album, Album.id == Photo.album_id)
        .where(Photo.id == photo_id, Album.session_id == session.id)
    )


def _ask_for_caption(language):
    return _l("Give the caption in %(language)s, or empty every field of it.", language=language)


def _record(action: str, photo: Photo, actor: User, reason: str = "") -> None:
    audit.record(
        action,
        actor=actor,
        programme=photo.album.session.programme,
        reason=f"photo {photo.id}" + (f": {reason}" if reason else ""),
    )


def set_caption(
    photo: Photo, *, caption: str, translations: Mapping[str, Mapping], actor: User
) -> bool:
    """The caption and its translations; whether anything changed."""
    caption = clean(caption)
    if len(caption) > MAX_CAPTION:
        raise FieldError(_l("Use at most %(max)d characters.", max=MAX_CAPTION), field="caption")
    changed = caption != photo.caption
    photo.caption = caption
    changed = (
        bool(
            apply_translations(
                photo, translations or {}, CAPTION_FIELDS, required_message=_ask_for_caption
            )
        )
        or changed
    )
    if changed:
        db.session.flush()
        _record("album.caption", photo, actor)
    return changed


def set_hidden(photo: Photo, hidden: bool, *, actor: User) -> None:
    photo.is_hidden = hidden
    db.session.flush()
    _record("album.hide" if hidden else "album.show", photo, actor)


def set_cover(photo: Photo, *, actor: User) -> None:
    """photo becomes its album's only cover."""
    db.session.execute(
        update(Photo)
        .where(Photo.album_id == photo.album_id, Photo.id != photo.id)
        .values(is_cover=False)
        .execution_options(synchronize_session="fetch")
    )
    photo.is_cover = True
    db.session.flush()
    _record("album.cover", photo, actor)


def move(photo: Photo, direction: str, *, actor: User) -> bool:
    """photo one place up or down the album; False at either end."""
    photos = list(photo.album.photos)
    index = photos.index(photo)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(photos):
        return False
    photos[index], photos[other] = photos[other], photos[index]
    for position, each in enumerate(photos, start=1):
        each.position = position
    db.session.flush()
    _record("album.move", photo, actor, direction)
    return True


def delete(photo: Photo, *, actor: User) -> None:
    """The photo and its files; an album left empty stays (the session keeps it)."""
    _record("album.delete", photo, actor)
    # Deleted as itself, still in its album: the flush hook (models/touching.py) then finds
    # the programme whose page showed it.
    db.session.delete(photo)
    db.session.flush()
