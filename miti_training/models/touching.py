"""A change a public page shows through another table counts as a change of its programme or
centre: their `updated_at` is the newest moment anything on those pages changed.

The ORM sets `updated_at` (onupdate) only when a column of the row itself changes; a new
session, an edited translation, a removed question or a news post leaves the programme's row
alone. Before every flush, the programme or centre behind each such object is marked changed,
so the pages' validators (programmes/freshness.py) read one column instead of every table. Core UPDATEs of
the row itself (the seat counter, publishing) get `updated_at` from the column's onupdate.
"""

from sqlalchemy import event
from sqlalchemy.orm import Session

from miti_training.models.album import Album, Photo, PhotoTranslation
from miti_training.models.centre import Centre, CentreTranslation
from miti_training.models.common import utcnow
from miti_training.models.news_post import NewsPost, NewsPostTranslation
from miti_training.models.programme import (
    Programme,
    ProgrammePrerequisite,
    ProgrammeQuestion,
    ProgrammeSession,
    ProgrammeTranslation,
    QuestionTranslation,
    SessionTranslation,
)


def _owner(obj) -> Programme | Centre | None:
    """The programme or centre whose pages show obj, if any."""
    if isinstance(
        obj, ProgrammeSession | ProgrammeTranslation | ProgrammeQuestion | ProgrammePrerequisite
    ):
        return obj.programme
    if isinstance(obj, SessionTranslation):
        return obj.session.programme if obj.session is not None else None
    if isinstance(obj, QuestionTranslation):
        return obj.question.programme if obj.question is not None else None
    if isinstance(obj, NewsPost):
        # The programme's page, its centre's page and the home page list its posts.
        return obj.programme
    if isinstance(obj, NewsPostTranslation):
        return obj.post.programme if obj.post is not None else None
    if isinstance(obj, Album | Photo | PhotoTranslation):
        return _album_owner(obj)
    if isinstance(obj, CentreTranslation):
        return obj.centre
    if isinstance(obj, Programme | Centre):
        return obj  # a change of a collection only (its sessions, its translations)
    return None


def _album_owner(obj) -> Programme | None:
    """The programme whose page shows an album, a photo or a caption's translation."""
    if isinstance(obj, PhotoTranslation):
        obj = obj.photo
    if isinstance(obj, Photo):
        obj = obj.album
    session = obj.session if obj is not None else None
    return session.programme if session is not None else None


@event.listens_for(Session, "before_flush")
def _touch_owners(session: Session, _context, _instances) -> None:
    now = utcnow()
    with session.no_autoflush:
        changed = [obj for obj in session.dirty if session.is_modified(obj)]
        for obj in (*session.new, *changed, *session.deleted):
            owner = _owner(obj)
            if owner is not None and owner not in session.deleted:
                owner.updated_at = now
