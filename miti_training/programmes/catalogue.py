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


def _today() -> date:
    return utcnow().date()


def _dated(fields, filters: CatalogueFilters, today: date) -> list:
    """Conditions on the dates (fields: Programme or a search's hits, which carry them): not
    over unless past programmes were asked for, within the dates asked for."""
    conditions = []
    if filters.date_from:
        conditions.append(fields.ends_on >= filters.date_from)
    elif not filters.include_past and not (filters.date_to and filters.date_to < today):
        # Past programmes only when asked for (the box, or a date range in the past).
        conditions.append(fields.ends_on >= today)
    if filters.date_to:
        conditions.append(fields.starts_on <= filters.date_to)
    return conditions


def _described(filters: CatalogueFilters, now: datetime | None) -> list:
    """Conditions on what only the programmes hold: centre, kind, theme, format, language,
    open for registration."""
    conditions = []
    if filters.centre:
        centre_ids = select(Centre.id).where(Centre.slug == filters.centre)
        conditions.append(Programme.centre_id.in_(centre_ids.scalar_subquery()))
    if filters.kind:
        conditions.append(Programme.kind == filters.kind)
    if filters.theme:
        conditions.append(Programme.theme == filters.theme)
    if filters.format:
        conditions.append(Programme.format == filters.format)
    if filters.language:
        # languages is a comma-separated list such as "en,ko".
        conditions.append(("," + Programme.languages + ",").contains(f",{filters.language},"))
    if filters.open_now:
        conditions.append(window.open_now(now))
    return conditions


def _search_keys(filters: CatalogueFilters, *, today: date, now: datetime | None):
    """The ids of a text search in their order (most relevant first), read from the search
    index alone when nothing but status and dates narrows it; None without a search."""
    if not filters.q.strip():
        return None
    hits = text_search.programme_hits(filters.q.strip())
    if hits is None:
        return select(Programme.id).where(false())
    public = hits.c.status.in_([status.value for status in PUBLIC_STATUSES])
    keys = select(hits.c.id).where(public, *_dated(hits.c, filters, today))
    described = _described(filters, now)
    if described:
        keys = keys.join(Programme, Programme.id == hits.c.id).where(*described)
    return keys.order_by(hits.c.score, hits.c.starts_on, hits.c.id)


def filtered_programmes(
    filters: CatalogueFilters,
    *,
    today: date | None = None,
    now: datetime | None = None,
    centres: str = "translated",
) -> Select:
    """Public programmes matching filters, soonest first (the most relevant first when
    filters.q searches text), without pagination."""
    return _listing(filters, today=today or _today(), now=now, centres=centres)[0]


def _listing(filters: CatalogueFilters, *, today: date, now: datetime | None, centres: str):
    """(the programmes, the ordered ids of a text search or None): a search's text matches the
    title, summary, description (in the original or any translation), centre or theme."""
    keys = _search_keys(filters, today=today, now=now)
    query = public_programmes(centres=centres)
    if keys is None:
        query = query.where(*_dated(Programme, filters, today), *_described(filters, now))
        return query.order_by(Programme.starts_on, Programme.id), None
    ranked = keys.add_columns(
        func.row_number().over(order_by=keys._order_by_clauses).label("position")
    ).subquery("ranked")
    return query.join(ranked, ranked.c.id == Programme.id).order_by(ranked.c.position), keys


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
    query, keys = _listing(filters, today=today or _today(), now=now, centres=centres)
    return CountedPagination(
        select=query,
        keys=keys,
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
    sorts a thousand ids, not a thousand programmes with their descriptions. Given keys (a
    search's ordered ids), it ranks and counts those, on the search index alone when they
    need nothing else."""

    _total: int | None = None

    def _query_items(self) -> list[Programme]:
        query = self._query_args["select"]
        keys = self._query_args.get("keys")
        ordered, key = (query, Programme.id) if keys is None else (keys, keys.selected_columns[0])
        # The page keeps the query's order (row_number over its ORDER BY) and its loader
        # options; SQLAlchemy has no public reader of either.
        page = (
            ordered.with_only_columns(
                key.label("id"),
                func.count().over().label("total"),
                func.row_number().over(order_by=ordered._order_by_clauses).label("position"),
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
