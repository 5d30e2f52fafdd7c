"""Pydantic models of the API: responses are built from them and the OpenAPI document is
generated from them, so the two cannot drift apart."""

import enum
import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import models_json_schema

from miti_training.formatting import LANGUAGES
from miti_training.models import CentreKind, ProgrammeFormat, ProgrammeKind, ProgrammeStatus, Theme
from miti_training.registrations.window import RegistrationState

REF_TEMPLATE = "#/components/schemas/{model}"
#: The largest page number accepted; far beyond any real catalogue, small enough for OFFSET.
MAX_PAGE = 100_000
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_QUERY_LENGTH = 200
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,59}$"


#: The interface languages, which are also those of translated programme text.
Language = enum.StrEnum("Language", {code.upper(): code for code in LANGUAGES}, module=__name__)
Language.__doc__ = "A language of the interface and of translated programme text."


def _utc_iso(value: datetime) -> str:
    """ISO 8601 with an explicit +00:00 offset (pydantic would write Z)."""
    return value.astimezone(UTC).isoformat()


def _local_iso(value: datetime) -> str:
    """ISO 8601 keeping the datetime's own offset (the centre's, DST included)."""
    return value.isoformat()


_DATE_TIME_SCHEMA = {"type": "string", "format": "date-time"}

#: An instant, written in UTC with its offset, e.g. 2026-03-29T07:00:00+00:00.
UtcDateTime = Annotated[
    AwareDatetime,
    PlainSerializer(_utc_iso, return_type=str),
    WithJsonSchema(_DATE_TIME_SCHEMA),
]
#: The same instant as wall-clock time of the centre, with that zone's offset at that moment.
LocalDateTime = Annotated[
    AwareDatetime,
    PlainSerializer(_local_iso, return_type=str),
    WithJsonSchema(_DATE_TIME_SCHEMA),
]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD (date.fromisoformat also takes 20260301 and week dates)."""
    if isinstance(value, str):
        if not _ISO_DATE.fullmatch(value):
            raise ValueError("expected YYYY-MM-DD")
        return date.fromisoformat(value)
    return value


IsoDate = Annotated[date, BeforeValidator(_parse_iso_date)]


class ApiModel(BaseModel):
    model_config = ConfigDict(use_enum_values=False, extra="forbid")


# --- Responses -----------------------------------------------------------------------------


class Error(ApiModel):
    """What every error answers: a short title, a sentence for people, and the parameter."""

    error: str = Field(description="Short title of the error, e.g. 'Bad request'.")
    message: str = Field(description="What went wrong and how to fix it, in the viewer's language.")
    field: str | None = Field(
        default=None, description="The query parameter at fault, when there is one."
    )


class CentreRef(ApiModel):
    """The centre that runs a programme."""

    slug: str
    name: str
    city: str
    country: str
    timezone: str = Field(description="IANA time zone of the centre, e.g. Europe/Paris.")


class Centre(ApiModel):
    """A MITI centre: the Seoul headquarters or a regional centre."""

    slug: str
    name: str
    city: str
    country: str
    timezone: str = Field(description="IANA time zone of the centre, e.g. Europe/Paris.")
    kind: CentreKind
    host_institution: str
    contact_email: str
    url: str = Field(description="The centre's public page.")


class CentreList(ApiModel):
    """Every centre, headquarters first."""

    items: list[Centre]


class ProgrammeText(ApiModel):
    """The user-written text of a programme in one language."""

    title: str
    summary: str
    description: str


class Registration(ApiModel):
    """Where registration stands now, with the programme's registration window."""

    state: RegistrationState
    opens_at: UtcDateTime | None
    closes_at: UtcDateTime | None


class Programme(ApiModel):
    """A published (or completed or cancelled) programme, as listed in the catalogue."""

    slug: str
    url: str = Field(description="The programme's public page.")
    api_url: str = Field(description="This programme in the API, with description and sessions.")
    title: str = Field(description="In `language`.")
    summary: str = Field(description="In `language`.")
    language: str = Field(
        description="Language of title, summary and description: the one asked for when a "
        "translation exists, else the original language."
    )
    original_language: str
    translations: dict[str, ProgrammeText] = Field(
        description="Every available text keyed by language code, the original included."
    )
    centre: CentreRef
    kind: ProgrammeKind
    theme: Theme
    format: ProgrammeFormat
    venue: str
    languages: list[str] = Field(description="Working languages of the programme.")
    starts_on: date | None = Field(description="First day, in the centre's time zone.")
    ends_on: date | None = Field(description="Last day, in the centre's time zone.")
    capacity: int
    seats_left: int
    registration: Registration
    status: ProgrammeStatus
    cancellation_reason: str | None = Field(description="Why it was cancelled; null otherwise.")


class Session(ApiModel):
    """A dated part of a programme (a day, a module)."""

    id: int
    title: str
    starts_at: UtcDateTime
    ends_at: UtcDateTime
    starts_at_local: LocalDateTime = Field(
        description="The start as wall-clock time of the centre, with its offset then."
    )
    ends_at_local: LocalDateTime = Field(
        description="The end as wall-clock time of the centre, with its offset then."
    )
    location: str


class ProgrammeDetail(Programme):
    """A programme with its description (in `language`) and timetable."""

    description: str = Field(description="In `language`; plain text, paragraphs by blank lines.")
    sessions: list[Session]


class ProgrammePage(ApiModel):
    """One page of programmes, soonest first (the best matches first when q is given)."""

    items: list[Programme]
    total: int = Field(description="Programmes matching the filters, on every page.")
    page: int
    per_page: int
    pages: int
    next: str | None = Field(description="The next page with the same filters, or null.")
    previous: str | None = Field(description="The previous page with the same filters, or null.")


# --- Query parameters ----------------------------------------------------------------------
#
# A query string carries text only. Each parameter is read exactly as the document writes it
# (docs/security.md, item 30): true or false, digits, YYYY-MM-DD; nothing else is converted.

#: Text without control characters (Unicode category Cc).
PLAIN_TEXT_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"
_DIGITS = re.compile(r"[0-9]{1,9}")


def _query_bool(value: Any) -> Any:
    if isinstance(value, str):
        if value not in ("true", "false"):
            raise ValueError("expected true or false")
        return value == "true"
    return value


def _query_int(value: Any) -> Any:
    """Plain ASCII digits: no sign, space, underscore or other script's digits."""
    if isinstance(value, str):
        if not _DIGITS.fullmatch(value):
            raise ValueError("expected a whole number")
        return int(value)
    return value


QueryBool = Annotated[bool, BeforeValidator(_query_bool)]
QueryInt = Annotated[int, BeforeValidator(_query_int)]


class LanguageQuery(BaseModel):
    """The language of texts and error messages, a parameter of every programme operation."""

    model_config = ConfigDict(extra="ignore")

    lang: Language | None = Field(
        default=None,
        description="Language of titles, summaries, descriptions and error messages; "
        "without it, Accept-Language decides, else English. Text missing in that language "
        "falls back to the programme's original language.",
    )


class ProgrammeQuery(LanguageQuery):
    """Filters and paging of GET /programmes (the catalogue's filters)."""

    centre: str | None = Field(
        default=None,
        pattern=SLUG_PATTERN,
        description="Slug of a centre (see /centres); a centre that does not exist is a 404.",
        examples=["seoul"],
    )
    kind: ProgrammeKind | None = Field(default=None, description="Kind of programme.")
    theme: Theme | None = Field(default=None, description="Training theme.")
    format: ProgrammeFormat | None = Field(default=None, description="In person, online or hybrid.")
    language: Language | None = Field(
        default=None, description="Programmes held in this working language."
    )
    date_from: IsoDate | None = Field(
        default=None, description="Programmes still running on or after this day (YYYY-MM-DD)."
    )
    date_to: IsoDate | None = Field(
        default=None,
        description="Programmes starting on or before this day (YYYY-MM-DD), not before date_from.",
    )
    open: QueryBool = Field(default=False, description="Only programmes open for registration now.")
    include_past: QueryBool = Field(
        default=False, description="Also programmes that have ended (without a date range)."
    )
    q: str = Field(
        default="",
        max_length=MAX_QUERY_LENGTH,
        pattern=PLAIN_TEXT_PATTERN,
        description=(
            "Words searched in title, summary and description in every language, the centre"
            " and the theme; case and accents ignored, the last word also as a prefix. Results"
            " then come best match first."
        ),
    )
    page: QueryInt = Field(default=1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    per_page: QueryInt = Field(
        default=DEFAULT_PER_PAGE,
        ge=1,
        le=MAX_PER_PAGE,
        description=f"Programmes a page, at most {MAX_PER_PAGE}.",
    )

    @model_validator(mode="after")
    def _range_in_order(self) -> "ProgrammeQuery":
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from after date_to")
        return self


RESPONSE_MODELS = (
    Error,
    CentreList,
    ProgrammePage,
    ProgrammeDetail,
)


QUERY_MODELS = (LanguageQuery, ProgrammeQuery)


def component_schemas() -> tuple[dict[str, dict], dict[type[BaseModel], dict[str, Any]]]:
    """JSON Schemas of the response models, for components/schemas, and of the query models.

    Returns (schemas by component name, each query model's own schema).
    """
    _, response_defs = models_json_schema(
        [(model, "serialization") for model in RESPONSE_MODELS], ref_template=REF_TEMPLATE
    )
    components = dict(response_defs["$defs"])
    query_schemas = {}
    for model in QUERY_MODELS:
        query_schema = model.model_json_schema(ref_template=REF_TEMPLATE)
        components.update(query_schema.pop("$defs", {}))
        query_schemas[model] = query_schema
    return components, query_schemas
