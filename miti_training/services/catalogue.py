"""Read-side queries for public pages: centres and published programmes."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Centre, CentreKind, Programme, ProgrammeStatus

PUBLIC_STATUSES = (ProgrammeStatus.PUBLISHED, ProgrammeStatus.COMPLETED, ProgrammeStatus.CANCELLED)


def centres() -> list[Centre]:
    """Headquarters first, then regional centres by name."""
    rows = db.session.scalars(select(Centre).order_by(Centre.name)).all()
    return sorted(rows, key=lambda c: c.kind != CentreKind.HEADQUARTERS)


def centre_by_slug(slug: str) -> Centre | None:
    return db.session.scalar(select(Centre).where(Centre.slug == slug))


def public_programmes():
    """Programmes the public may see, with their centre and sessions loaded in bulk."""
    return (
        select(Programme)
        .where(Programme.status.in_(PUBLIC_STATUSES))
        .options(selectinload(Programme.centre), selectinload(Programme.sessions))
    )


def upcoming_programmes(limit: int | None = None, centre: Centre | None = None) -> list[Programme]:
    """Published programmes that have not ended, soonest first."""
    query = (
        public_programmes()
        .where(Programme.status == ProgrammeStatus.PUBLISHED)
        .where((Programme.ends_on.is_(None)) | (Programme.ends_on >= date.today()))
        .order_by(Programme.starts_on, Programme.id)
    )
    if centre is not None:
        query = query.where(Programme.centre_id == centre.id)
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def past_programmes(centre: Centre) -> list[Programme]:
    query = (
        public_programmes()
        .where(Programme.centre_id == centre.id)
        .where(Programme.ends_on < date.today())
        .order_by(Programme.starts_on.desc())
    )
    return list(db.session.scalars(query))


def programme_by_slug(slug: str) -> Programme | None:
    """A programme visible to the public (drafts are not)."""
    return db.session.scalar(public_programmes().where(Programme.slug == slug))
