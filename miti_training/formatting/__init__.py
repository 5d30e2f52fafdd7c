"""How values read: dates and times (Babel), labels of every enum, the interface languages.

The one place for words and formats that pages, forms, emails, exports and domain messages
share. It knows models only for their enums and never decides anything. By topic:
`locales` (the viewer's language and its digits), `numbers` (numbers and lists), `dates`
(dates, times, ranges and zones), `calendars` (the Solar Hijri and Hijri dates shown beside
the Gregorian ones); everything is importable from here.
"""

import enum
import re
from datetime import datetime

from babel import Locale, UnknownLocaleError
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from miti_training.formatting.calendars import local_calendar_range, programme_dates
from miti_training.formatting.countries import country_name
from miti_training.formatting.dates import (
    SessionTime,
    date_range,
    day,
    day_month,
    format_in_zone,
    moment_in_zone,
    session_time,
    viewer_zone,
    zone_name,
    zone_offset,
    zones_differ,
)
from miti_training.formatting.locales import (
    LANGUAGES,
    interface_language,
    native_digits,
    per_locale,
    viewer_locale,
)
from miti_training.formatting.numbers import digits, list_of, number, percent
from miti_training.models import (
    AttendanceStatus,
    CentreKind,
    EnrolmentPolicy,
    MembershipRole,
    NominationStatus,
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeStatus,
    ProgrammeText,
    QuestionKind,
    RegistrationStatus,
    Theme,
    Translatable,
    TranslatedText,
    WorldRegion,
)

# Languages --------------------------------------------------------------------------------


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


#: Each interface language named in itself ("Français"), for the language switcher.
LANGUAGE_NAMES = {
    code: _capitalised(Locale.parse(code).get_display_name(code)) for code in LANGUAGES
}

#: Accepted ways of typing a date and time (forms and imported files), centre-local.
DATETIME_INPUT_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
)


def parse_local_datetime(text: str) -> datetime | None:
    """A naive datetime typed in one of DATETIME_INPUT_FORMATS, else None."""
    for fmt in DATETIME_INPUT_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    return None


@per_locale
def language_name(code: str) -> str:
    """A language code's name in the viewer's language ("en" -> "anglais" for French)."""
    try:
        name = Locale.parse(code).get_display_name(viewer_locale())
    except (ValueError, UnknownLocaleError):
        return code
    return _capitalised(name) if name else code


def language_label(code: str) -> LazyString:
    """language_name(code), worked out when shown (for labels defined at import time)."""
    return LazyString(lambda: language_name(code))


def text_direction(locale: str | Locale | None) -> str:
    """ "rtl" for right-to-left languages (Arabic, Persian), else "ltr"."""
    try:
        order = Locale.parse(locale or "en").character_order
    except (ValueError, UnknownLocaleError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


# Labels of every enum ---------------------------------------------------------------------

LABELS: dict[type[enum.Enum], dict[str, str]] = {
    ProgrammeKind: {
        "course": _l("Course"),
        "workshop": _l("Workshop"),
        "forum": _l("Forum"),
        "study_visit": _l("Study visit"),
        "webinar": _l("Webinar"),
    },
    ProgrammeFormat: {
        "in_person": _l("In person"),
        "online": _l("Online"),
        "hybrid": _l("Hybrid"),
    },
    Theme: {
        "urban_governance": _l("Urban governance"),
        "urban_transportation": _l("Urban transportation"),
        "e_government": _l("E-government"),
        "water_management": _l("Water management"),
        "climate_change": _l("Climate change"),
        "smart_city": _l("Smart city"),
        "sustainable_mobility": _l("Sustainable mobility"),
        "urban_planning": _l("Urban planning"),
        "housing": _l("Housing"),
        "resilience": _l("Resilience"),
    },
    ProgrammeStatus: {
        "draft": _l("Draft"),
        "published": _l("Published"),
        "completed": _l("Completed"),
        "cancelled": _l("Cancelled"),
    },
    EnrolmentPolicy: {
        "first_come": _l("First come, first served: confirmed at once while seats are free"),
        "review": _l("Applications reviewed by the centre"),
        "nomination": _l("Nomination by member cities, then selection by the centre"),
    },
    NominationStatus: {
        "nominated": _l("Nominated"),
        "applied": _l("Applied"),
        "withdrawn": _l("Withdrawn"),
    },
    MembershipRole: {
        "coordinator": _l("Coordinator"),
        "director": _l("Director"),
        "reviewer": _l("Reviewer"),
    },
    CentreKind: {
        "headquarters": _l("Headquarters"),
        "regional": _l("Regional centre"),
    },
    WorldRegion: {
        "africa": _l("Africa"),
        "asia_pacific": _l("Asia-Pacific"),
        "europe": _l("Europe"),
        "latin_america": _l("Latin America and the Caribbean"),
        "middle_east": _l("Middle East and West Asia"),
        "north_america": _l("North America"),
    },
    RegistrationStatus: {
        "applied": _l("Applied, waiting for review"),
        "confirmed": _l("Confirmed"),
        "waitlisted": _l("On the waiting list"),
        "offered": _l("Seat offered, waiting for acceptance"),
        "declined": _l("Declined"),
        "withdrawn": _l("Withdrawn"),
        "cancelled": _l("Cancelled with the programme"),
    },
    AttendanceStatus: {
        "present": _l("Present"),
        "absent": _l("Absent"),
        "excused": _l("Excused"),
    },
    QuestionKind: {
        "short_text": _l("Short text (one line)"),
        "long_text": _l("Long text (several lines)"),
        "single_choice": _l("One choice from a list"),
        "multiple_choice": _l("Several choices from a list"),
        "yes_no": _l("Yes or no"),
    },
}

#: A registration's status inside a sentence ("This registration is on the waiting list").
STATUS_WORDS = {
    "applied": _l("applied (waiting for review)"),
    "confirmed": _l("confirmed"),
    "waitlisted": _l("on the waiting list"),
    "offered": _l("offered a seat (waiting for acceptance)"),
    "declined": _l("declined"),
    "withdrawn": _l("withdrawn"),
    "cancelled": _l("cancelled"),
}


def label(value) -> str:
    """The translated label of an enum member; a bare value is looked up in every enum."""
    if isinstance(value, enum.Enum) and type(value) in LABELS:
        return _enum_label(value)
    key = getattr(value, "value", value)
    for table in LABELS.values():
        if key in table:
            return str(table[key])
    return str(key)


@per_locale
def _enum_label(value: enum.Enum) -> str:
    return str(LABELS[type(value)].get(value.value, value.value))


def labels(enum_cls: type[enum.Enum]) -> dict[str, str]:
    """Every member's value and label, in the enum's order (for select lists)."""
    table = LABELS.get(enum_cls, {})
    return {member.value: table.get(member.value, member.value) for member in enum_cls}


def status_words(status) -> str:
    """A registration status as words for sentences ("on the waiting list")."""
    return str(STATUS_WORDS[RegistrationStatus(status)])


def paragraphs(text: str) -> list[list[str]]:
    """Plain text as paragraphs (split on blank lines), each a list of its lines."""
    blocks = re.split(r"\n[ \t]*\n", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    return [
        [line.strip() for line in block.strip().split("\n") if line.strip()]
        for block in blocks
        if block.strip()
    ]


# Programme texts -----------------------------------------------------------------------------


def translated(translatable: Translatable) -> TranslatedText:
    """The texts staff wrote (a programme's title, a session's, a question's label, a centre's
    name...) in the viewer's language where translated, else in the original."""
    return translatable.text_in(str(viewer_locale().language))


def programme_text(programme: Programme) -> ProgrammeText:
    """Title, summary, description and venue in the viewer's language, else the original."""
    return translated(programme)


def is_fallback(text: TranslatedText) -> bool:
    """True when the text is shown in another language than the viewer's."""
    return text.language != str(viewer_locale().language)


#: What other modules import from here (the topics live in the modules beside this one).
__all__ = [
    "DATETIME_INPUT_FORMATS",
    "LABELS",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "STATUS_WORDS",
    "SessionTime",
    "country_name",
    "date_range",
    "day",
    "day_month",
    "digits",
    "format_in_zone",
    "interface_language",
    "is_fallback",
    "label",
    "labels",
    "language_label",
    "language_name",
    "list_of",
    "local_calendar_range",
    "moment_in_zone",
    "native_digits",
    "number",
    "paragraphs",
    "parse_local_datetime",
    "percent",
    "programme_dates",
    "programme_text",
    "session_time",
    "status_words",
    "text_direction",
    "translated",
    "viewer_locale",
    "viewer_zone",
    "zone_name",
    "zone_offset",
    "zones_differ",
]
