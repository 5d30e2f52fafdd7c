"""Read-side queries for public pages and the API: centres, published programmes, search."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from miti_training import text_search
from miti_training.db_setup import clamp_page
from miti_training.extensions import db
from miti_training.models import (
    Centre,
    CentreKind,
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeQuestion,
    ProgrammeSession,
    ProgrammeStatus,
    Theme,
    utcnow,
)
from miti_training.registrations import window
from miti_training.slugs import looks_like_slug

PUBLIC_STATUSES = (ProgrammeStatus.PUBLISHED, ProgrammeStatus.COMPLETED, ProgrammeStatus.CANCELLED)


def centres() -> list[Centre]:
    """Headquarters first, then regional centres by name, with their names in every language.

    One statement; the centres then sit in the session, so the cards of a page that follows
    find each programme's centre there instead of asking the database again.
    """
    query = select(Centre).options(joinedload(Centre.translations)).order_by(Centre.name)
    rows = db.session.scalars(query).unique().all()
    return sorted(rows, key=lambda c: c.kind != CentreKind.HEADQUARTERS)


def centre_by_slug(slug: str) -> Centre | None:
    if not looks_like_slug(slug):
        return None
    return db.session.scalar(select(Centre).where(Centre.slug == slug))


#: How a list reads its programmes' centres (public_programmes(centres=...)): "translated",
#: with their names in every language, in a statement of their own; "in_session", taken from
#: the session where the caller has just loaded centres(); "original", joined into the
#: programmes' own statement, names as written (the API's list).
CENTRE_LOADING = ("translated", "in_session", "original")


def public_programmes(*, session_titles: bool = False, centres: str = "translated") -> Select:
    """Programmes the public may see, with what their cards need loaded in bulk (the centre as
    CENTRE_LOADING says); the timetable, its titles in every language, only when asked (a
    programme page): cards and the API's list never show it.

    With session_titles (one programme's page), its centre and texts come in the programme's
    own statement: a handful of joined rows cost less than a round trip each."""
    query = select(Programme).where(Programme.status.in_(PUBLIC_STATUSES))
    if session_titles:
        return query.options(
            joinedload(Programme.centre).joinedload(Centre.translations),
            joinedload(Programme.translations),
            selectinload(Programme.sessions).joinedload(ProgrammeSession.translations),
        )
    centre = {
        "translated": selectinload(Programme.centre).joinedload(Centre.translations),
        "in_session": lazyload(Programme.centre),
        "original": joinedload(Programme.centre).lazyload(Centre.translations),
    }[centres]
    return query.options(centre, lazyload(Programme.sessions), selectinload(Programme.translations))


@dataclass(frozen=True)
class CatalogueFilters:
    """What a visitor can narrow the catalogue by; every field optional."""

    centre: str | None = None
    kind: ProgrammeKind | None = None
    theme: Theme | None = None
    format: ProgrammeFormat | None = None
    language: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    open_now: bool = False
    include_past: bool = False
    q: str = ""


def _matches_text(query: Select, text: str) -> Select:
    """query narrowed to the programmes whose title, summary, description (in the original or
    any translation), centre or theme hold the words of text, the most relevant first."""
    hits = text_search.programme_hits(text)
    if hits is None:
        return query.where(false())
    return query.join(hits, hits.c.id == Programme.id).order_by(hits.c.score)


def _today() -> date:
    return utcnow().date()


def filtered_programmes(
    filters: CatalogueFilters,
    *,
    today: date | None = None,
    now: datetime | None = None,
    centres: str = "translated",
) -> Select:
    """Public programmes matching filters, soonest first (the most relevant first when
    filters.q searches text), without pagination."""
    today = today or _today()
    query = public_programmes(centres=centres)
    if filters.centre:
        query = query.join(Programme.centre).where(Centre.slug == filters.centre)
    if filters.kind:
        query = query.where(Programme.kind == filters.kind)
    if filters.theme:
        query = query.where(Programme.theme == filters.theme)
    if filters.format:
        query = query.where(Programme.format == filters.format)
    if filters.language:
        # languages is a comma-separated list such as "en,ko".
        query = query.where(("," + Programme.languages + ",").contains(f",{filters.language},"))
    if filters.date_from:
        query = query.where(Programme.ends_on >= filters.date_from)
    elif not filters.include_past and not (filters.date_to and filters.date_to < today):
        # Past programmes only when asked for (the box, or a date range in the past).
        query = query.where(Programme.ends_on >= today)
    if filters.date_to:
        query = query.where(Programme.starts_on <= filters.date_to)
    if filters.open_now:
        query = query.where(window.open_now(now))
    if filters.q.strip():
        query = _matches_text(query, filters.q.strip())
    return query.order_by(Programme.starts_on, Programme.id)


def search_programmes(
    filters: CatalogueFilters,
    page: int = 1,
    per_page: int = 20,
    *,
    today: date | None = None,
    now: datetime | None = None,
    centres: str = "translated",
):
    """One page of the catalogue (Flask-SQLAlchemy Pagination: items, total, pages...);
    centres as CENTRE_LOADING says."""
    return CountedPagination(
        select=filtered_programmes(filters, today=today, now=now, centres=centres),
        session=db.session,
        page=clamp_page(page),
        per_page=per_page,
        max_per_page=None,
        error_out=False,
    )


class CountedPagination(SelectPagination):
    """A page whose rows carry the total (a window count), so page and total are one
    statement; only a page past the end, which has no row to carry it, counts on its own.

    The statement ranks, counts and cuts the page on narrow rows (ids, in a subquery), and
    reads the whole programmes of the page only: a search matching a thousand programmes
    sorts a thousand ids, not a thousand programmes with their descriptions."""

    _total: int | None = None

    def _query_items(self) -> list[Programme]:
        query = self._query_args["select"]
        # The page keeps the query's order (row_number over its ORDER BY) and its loader
        # options; SQLAlchemy has no public reader of either.
        page = (
            query.with_only_columns(
                Programme.id.label("id"),
                func.count().over().label("total"),
                func.row_number().over(order_by=query._order_by_clauses).label("position"),
                maintain_column_froms=True,
            )
            .limit(self.per_page)
            .offset(self._query_offset)
            .subquery("page")
        )
        rows = (
            self._query_args["session"]
            .execute(
                select(Programme, page.c.total)
                .join(page, page.c.id == Programme.id)
                .options(*query._with_options)
                .order_by(page.c.position)
            )
            .all()
        )
        if rows:
            self._total = rows[0][1]
        elif self.page == 1:
            self._total = 0
        return [row[0] for row in rows]

    def _query_count(self) -> int:
        return self._total if self._total is not None else super()._query_count()


def upcoming_programmes(
    limit: int | None = None,
    centre: Centre | None = None,
    *,
    include_cancelled: bool = False,
    today: date | None = None,
) -> list[Programme]:
    """Published programmes that have not ended, soonest first (and cancelled ones if asked)."""
    statuses = [ProgrammeStatus.PUBLISHED]
    if include_cancelled:
        statuses.append(ProgrammeStatus.CANCELLED)
    query = (
        public_programmes()
        .where(Programme.status.in_(statuses))
        .where((Programme.ends_on.is_(None)) | (Programme.ends_on >= (today or _today())))
        .order_by(Programme.starts_on, Programme.id)
    )
    if centre is not None:
        query = query.where(Programme.centre_id == centre.id)
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def past_programmes(
    centre: Centre, limit: int | None = None, *, today: date | None = None
) -> list[Programme]:
    """Public programmes of centre that have ended, most recent first."""
    query = (
        public_programmes()
        .where(Programme.centre_id == centre.id)
        .where(Programme.ends_on < (today or _today()))
        .order_by(Programme.starts_on.desc(), Programme.id.desc())
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def programme_by_slug(slug: str) -> Programme | None:
    """A programme visible to the public (drafts are not), with its timetable and questions in
    every language."""
    if not looks_like_slug(slug):
        return None
    query = public_programmes(session_titles=True).options(
        selectinload(Programme.questions).joinedload(ProgrammeQuestion.translations)
    )
    return db.session.scalars(query.where(Programme.slug == slug)).unique().first()


def draft_by_slug(slug: str) -> Programme | None:
    """A draft, for the preview its centre's staff may see (never the public)."""
    if not looks_like_slug(slug):
        return None
    return db.session.scalar(
        select(Programme)
        .where(Programme.slug == slug, Programme.status == ProgrammeStatus.DRAFT)
        .options(
            selectinload(Programme.centre),
            selectinload(Programme.sessions),
            selectinload(Programme.translations),
        )
    )
