"""How new a public page is, read in one small query: the page's Last-Modified, and the moment
it changes by itself at the latest (what a cache may keep it until).

What these pages show changes
- when a programme or centre they show is edited: its `updated_at`. Changes of sessions,
  translations and questions set it too (models/touching.py), and so does the seat
  counter's UPDATE (the column's onupdate), so a registration taking a seat counts;
- when time passes a programme's registration moment (opening, closing): its state on cards
  and pages, and the catalogue's "open now" filter. The latest moment already passed is part
  of Last-Modified, the next one bounds how long a cache may keep the page;
- when a session of the programme ends: its photo album shows from then on (albums.public);
- on the hour: "upcoming" is decided by today's date (UTC), dates leave out the current year,
  and a centre's UTC offset changes with daylight saving time on an hour boundary in the
  zones of the centres. The start of the current hour is part of Last-Modified.

Pages that list programmes (the catalogue with any filters, centre pages, the API's lists)
use the newest of every programme and centre, drafts included: a programme moved back to a
draft keeps counting, nothing filtered out can make the validator go back in time, and each
part is one index look-up whatever the number of programmes. An edit elsewhere costs a
re-render of a list, never a wrong 304.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select

from miti_training.extensions import db
from miti_training.models import Centre, Programme, ProgrammeSession, utcnow
from miti_training.programmes.catalogue import PUBLIC_STATUSES
from miti_training.slugs import looks_like_slug

#: The moments at which a programme's registration state changes by itself.
MOMENTS = (Programme.registration_opens_at, Programme.registration_closes_at)


@dataclass(frozen=True)
class Freshness:
    #: The newest change the page can show (an edit, a moment passed, the hour).
    last_modified: datetime
    #: When the page changes with time alone, at the latest.
    next_change: datetime


def _freshness(now: datetime, edits, moments) -> Freshness:
    hour = now.replace(minute=0, second=0, microsecond=0)
    passed = [m for m in moments if m is not None and m <= now]
    coming = [m for m in moments if m is not None and m > now]
    return Freshness(
        last_modified=max([hour, *passed, *(e for e in edits if e is not None)]),
        next_change=min([hour + timedelta(hours=1), *coming]),
    )


def hourly(now: datetime, edits) -> Freshness:
    """Of a page that changes with edits and the hour only (dates leave out the current
    year, and the hour is part of every public page's Last-Modified)."""
    return _freshness(now, edits, ())


_NOW = bindparam("now", type_=Programme.registration_opens_at.type)


def _latest(column):
    """The newest value of column at or before now: one step down its index."""
    return select(column).where(column <= _NOW).order_by(column.desc()).limit(1).scalar_subquery()


def _next(column):
    """The first value of column after now."""
    return select(column).where(column > _NOW).order_by(column).limit(1).scalar_subquery()


# Built once: the validators run before every public page, and building a statement costs
# more than running this one.
_CATALOGUE = select(
    select(func.max(Programme.updated_at)).scalar_subquery(),
    select(func.max(Centre.updated_at)).scalar_subquery(),
    *(_latest(column) for column in MOMENTS),
    *(_next(column) for column in MOMENTS),
)


def _session_end(aggregate, condition):
    """The programme's latest session end already passed, or its next one."""
    return (
        select(aggregate(ProgrammeSession.ends_at))
        .where(ProgrammeSession.programme_id == Programme.id, condition)
        .scalar_subquery()
    )


_PROGRAMME = (
    select(
        Programme.updated_at,
        Centre.updated_at,
        *MOMENTS,
        _session_end(func.max, ProgrammeSession.ends_at <= _NOW),
        _session_end(func.min, ProgrammeSession.ends_at > _NOW),
    )
    .join(Programme.centre)
    .where(Programme.slug == bindparam("slug"), Programme.status.in_(PUBLIC_STATUSES))
)


def catalogue_freshness(now: datetime | None = None) -> Freshness:
    """Of any page listing programmes or centres."""
    now = now or utcnow()
    row = db.session.execute(_CATALOGUE, {"now": now}).one()
    return _freshness(now, row[:2], row[2:])


def programme_freshness(slug: str, now: datetime | None = None) -> Freshness | None:
    """Of a public programme's page, calendar file and API entry; None when the public has
    no programme at slug (the page answers for itself)."""
    if not looks_like_slug(slug):
        return None
    now = now or utcnow()
    row = db.session.execute(_PROGRAMME, {"slug": slug, "now": now}).one_or_none()
    if row is None:
        return None
    return _freshness(now, row[:2], row[2:])
