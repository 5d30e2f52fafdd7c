"""API endpoints: public, read-only, published programmes only."""

from typing import TypeVar

from flask import jsonify, request
from flask_babel import force_locale
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError

from miti_training.formatting import LANGUAGES
from miti_training.models import (
    Centre,
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeSession,
    ProgrammeStatus,
    Theme,
)
from miti_training.programmes import catalogue
from miti_training.registrations import window
from miti_training.timezones import to_local
from miti_training.urls import external_url
from miti_training.web import http_cache
from miti_training.web.api import schemas as s
from miti_training.web.api.blueprint import bp
from miti_training.web.api.openapi import openapi_document
from miti_training.web.api.schemas import (
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_LENGTH,
    LanguageQuery,
    ProgrammeQuery,
)

#: A query model: LanguageQuery or one built on it.
Q = TypeVar("Q", bound=LanguageQuery)

CACHE_CONTROL = http_cache.PUBLIC
CACHEABLE_STATUSES = frozenset({200, 400, 404})


class ApiError(Exception):
    """An error answered as JSON: status, message for people, the parameter at fault."""

    def __init__(self, status: int, message: str, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


# --- Language ------------------------------------------------------------------------------


def response_language() -> str:
    """?lang= when it is one of the interface languages, else Accept-Language, else English.

    Also the language of the message refusing a ?lang= that is not one of them.
    """
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES) or "en"


# --- Errors and response headers ---------------------------------------------------------


def _titles() -> dict[int, str]:
    return {400: _("Bad request"), 404: _("Page not found")}


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    with force_locale(response_language()):
        title = _titles().get(error.status, _("Bad request"))
    body = s.Error(error=title, message=error.message, field=error.field)
    return jsonify(body.model_dump(mode="json")), error.status


@bp.after_request
def _api_headers(response):
    # The same for every client: 429 (one client's count) and 5xx (a passing fault) are not.
    if response.status_code in CACHEABLE_STATUSES:
        response.headers.setdefault("Cache-Control", CACHE_CONTROL)
    # Texts and messages follow ?lang= or Accept-Language; caches must keep them apart.
    response.vary.add("Accept-Language")
    return response


def _json(model: BaseModel):
    return jsonify(model.model_dump(mode="json"))


# --- Query parameters ----------------------------------------------------------------------


def _field_messages(field: str) -> str:
    """A sentence a person understands for a parameter that could not be read."""

    def choices(enum_cls) -> str:
        return ", ".join(member.value for member in enum_cls)

    messages = {
        "centre": lambda: _(
            "centre must be the slug of a centre, such as “paris”; /api/v1/centres lists them."
        ),
        "kind": lambda: _("kind must be one of: %(choices)s.", choices=choices(ProgrammeKind)),
        "theme": lambda: _("theme must be one of: %(choices)s.", choices=choices(Theme)),
        "format": lambda: _(
            "format must be one of: %(choices)s.", choices=choices(ProgrammeFormat)
        ),
        "language": lambda: _(
            "language must be one of: %(choices)s.",
            choices=", ".join(LANGUAGES),
        ),
        "lang": lambda: _("lang must be one of: %(choices)s.", choices=", ".join(LANGUAGES)),
        "date_from": lambda: _(
            "date_from must be a real date written YYYY-MM-DD, for example 2026-03-30."
        ),
        "date_to": lambda: _(
            "date_to must be a real date written YYYY-MM-DD, for example 2026-03-30."
        ),
        "open": lambda: _("open must be true or false."),
        "include_past": lambda: _("include_past must be true or false."),
        "q": lambda: _(
            "q must be at most %(max)d characters of text, without control characters.",
            max=MAX_QUERY_LENGTH,
        ),
        "page": lambda: _("page must be a whole number from 1 to %(max)d.", max=MAX_PAGE),
        "per_page": lambda: _(
            "per_page must be a whole number from 1 to %(max)d.", max=MAX_PER_PAGE
        ),
    }
    return messages.get(field, lambda: _("This parameter could not be understood."))()


def _parse_query(model: type[Q]) -> Q:
    """The validated parameters of model; the first unreadable one becomes a 400.

    Every parameter is read as sent: an empty value is checked like any other (and refused
    unless its schema allows an empty string), and a repeated one is refused, where a lenient
    reading would pick one of the values unnoticed (docs/security.md, item 30).
    """
    raw = {}
    for name in model.model_fields:
        values = request.args.getlist(name)
        if len(values) > 1:
            with force_locale(response_language()):
                raise ApiError(400, _("%(name)s must be given only once.", name=name), name)
        if values:
            raw[name] = values[0]
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else None
        with force_locale(response_language()):
            if field is None:  # the only model-level rule: the range's order
                raise ApiError(
                    400, _("date_from must be on or before date_to."), "date_to"
                ) from None
            raise ApiError(400, _field_messages(field), field) from None


def _filters(query: ProgrammeQuery) -> catalogue.CatalogueFilters:
    # A well-formed slug naming no centre: the filter points at nothing, as a wrong
    # programme slug does.
    if query.centre is not None and catalogue.centre_by_slug(query.centre) is None:
        with force_locale(response_language()):
            raise ApiError(
                404,
                _("There is no centre with this slug; /api/v1/centres lists them."),
                "centre",
            )
    return catalogue.CatalogueFilters(
        centre=query.centre,
        kind=query.kind,
        theme=query.theme,
        format=query.format,
        language=query.language.value if query.language else None,
        date_from=query.date_from,
        date_to=query.date_to,
        open_now=query.open,
        include_past=query.include_past,
        q=query.q,
    )


def _page_url(query: ProgrammeQuery, page: int) -> str:
    """The list URL for page, keeping the filters (and ?lang=) that were given."""
    values = query.model_dump(mode="json", exclude_defaults=True, exclude={"page"})
    values = {name: _query_value(value) for name, value in values.items()}
    return external_url("api.list_programmes", page=page, **values)


def _query_value(value):
    return ("true" if value else "false") if isinstance(value, bool) else value


# --- Building responses --------------------------------------------------------------------


def _centre_ref(centre: Centre) -> s.CentreRef:
    return s.CentreRef(
        slug=centre.slug,
        name=centre.name,
        city=centre.city,
        country=centre.country,
        timezone=centre.timezone,
    )


def _translations(programme: Programme) -> dict[str, s.ProgrammeText]:
    """Every text with a title, keyed by language; the original wins over a stray duplicate."""
    texts = {
        t.language: s.ProgrammeText(title=t.title, summary=t.summary, description=t.description)
        for t in programme.translations
        if t.title
    }
    texts[programme.original_language] = s.ProgrammeText(
        title=programme.title, summary=programme.summary, description=programme.description
    )
    return dict(sorted(texts.items()))


def _summary_fields(programme: Programme, language: str) -> dict:
    text = programme.text_in(language)
    state, _moment = window.registration_state(programme)
    return {
        "slug": programme.slug,
        "url": external_url("catalogue.programme_detail", slug=programme.slug),
        "api_url": external_url("api.programme_detail", slug=programme.slug),
        "title": text.title,
        "summary": text.summary,
        "language": text.language,
        "original_language": programme.original_language,
        "translations": _translations(programme),
        "centre": _centre_ref(programme.centre),
        "kind": programme.kind,
        "theme": programme.theme,
        "format": programme.format,
        "venue": programme.venue,
        "languages": programme.language_codes,
        "starts_on": programme.starts_on,
        "ends_on": programme.ends_on,
        "capacity": programme.capacity,
        "seats_left": programme.seats_left,
        "registration": s.Registration(
            state=state,
            opens_at=programme.registration_opens_at,
            closes_at=programme.registration_closes_at,
        ),
        "status": programme.status,
        "cancellation_reason": (
            programme.cancellation_reason if programme.status == ProgrammeStatus.CANCELLED else None
        ),
    }


def _session(session: ProgrammeSession, zone: str) -> s.Session:
    return s.Session(
        id=session.id,
        title=session.title,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        starts_at_local=to_local(session.starts_at, zone),
        ends_at_local=to_local(session.ends_at, zone),
        location=session.location,
    )


def programme_summary(programme: Programme, language: str) -> s.Programme:
    return s.Programme(**_summary_fields(programme, language))


def programme_detail_out(programme: Programme, language: str) -> s.ProgrammeDetail:
    zone = programme.centre.timezone
    return s.ProgrammeDetail(
        **_summary_fields(programme, language),
        description=programme.text_in(language).description,
        sessions=[_session(s, zone) for s in programme.sessions],
    )


# --- Endpoints -----------------------------------------------------------------------------


@bp.get("/programmes")
@http_cache.listing
def list_programmes():
    query = _parse_query(ProgrammeQuery)
    language = response_language()
    # Centres are named as written (_centre_ref): joined into the page's own statement.
    result = catalogue.search_programmes(
        _filters(query), page=query.page, per_page=query.per_page, centres="original"
    )
    pages = result.pages
    previous = min(query.page - 1, pages) if query.page > 1 else 0
    page = s.ProgrammePage(
        items=[programme_summary(p, language) for p in result.items],
        total=result.total or 0,
        page=query.page,
        per_page=query.per_page,
        pages=pages,
        next=_page_url(query, query.page + 1) if query.page < pages else None,
        previous=_page_url(query, previous) if previous >= 1 else None,
    )
    return _json(page)


@bp.get("/programmes/<slug>")
@http_cache.programme
def programme_detail(slug: str):
    _parse_query(LanguageQuery)
    language = response_language()
    programme = catalogue.programme_by_slug(slug)
    if programme is None:
        with force_locale(response_language()):
            raise ApiError(404, _("There is no published programme at this address."))
    return _json(programme_detail_out(programme, language))


@bp.get("/centres")
@http_cache.listing
def list_centres():
    items = [
        s.Centre(
            slug=c.slug,
            name=c.name,
            city=c.city,
            country=c.country,
            timezone=c.timezone,
            kind=c.kind,
            host_institution=c.host_institution,
            contact_email=c.contact_email,
            url=external_url("catalogue.centre_detail", slug=c.slug),
        )
        for c in catalogue.centres()
    ]
    return _json(s.CentreList(items=items))


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
