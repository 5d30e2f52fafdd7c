"""How values read: dates and times (Babel), labels of every enum, the interface languages.

The one place for words and formats that pages, forms, emails, exports and domain messages
share. It knows models only for their enums and never decides anything.
"""

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from flask_babel import LazyString, format_datetime, get_locale
from flask_babel import lazy_gettext as _l

from miti_training.models import (
    AttendanceStatus,
    CentreKind,
    EnrolmentPolicy,
    MembershipRole,
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeSession,
    ProgrammeStatus,
    ProgrammeText,
    QuestionKind,
    RegistrationStatus,
    Theme,
    Translatable,
    TranslatedText,
    WorldRegion,
    utcnow,
)

# Languages --------------------------------------------------------------------------------

#: The interface languages, one catalogue each in translations/: what a page, an email or a
#: programme text can be written in, in the order lists show them.
LANGUAGES = ("en", "fr", "es", "ar", "fa", "ko")


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


def viewer_locale() -> Locale:
    """The locale pages and emails are being rendered in (English outside a request)."""
    return get_locale() or Locale.parse("en")


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
    },
    MembershipRole: {
        "coordinator": _l("Coordinator"),
        "director": _l("Director"),
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
    "declined": _l("declined"),
    "withdrawn": _l("withdrawn"),
    "cancelled": _l("cancelled"),
}


def label(value) -> str:
    """The translated label of an enum member; a bare value is looked up in every enum."""
    if isinstance(value, enum.Enum) and type(value) in LABELS:
        return str(LABELS[type(value)].get(value.value, value.value))
    key = getattr(value, "value", value)
    for table in LABELS.values():
        if key in table:
            return str(table[key])
    return str(key)


def labels(enum_cls: type[enum.Enum]) -> dict[str, str]:
    """Every member's value and label, in the enum's order (for select lists)."""
    table = LABELS.get(enum_cls, {})
    return {member.value: table.get(member.value, member.value) for member in enum_cls}


def status_words(status) -> str:
    """A registration status as words for sentences ("on the waiting list")."""
    return str(STATUS_WORDS[RegistrationStatus(status)])


# Dates and times ---------------------------------------------------------------------------


def format_in_zone(value: datetime | None, zone: str, fmt: str = "medium") -> str:
    """Format an aware UTC datetime in the given IANA zone, in the viewer's locale."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(zone))
    return format_datetime(local.replace(tzinfo=None), fmt, rebase=False)


def _time_skeleton(locale: Locale) -> str:
    """ "Hm" for 24-hour locales, "hm" for 12-hour ones."""
    return "Hm" if "H" in locale.time_formats["short"].pattern else "hm"


def day_month(moment: datetime, zone: str, now: datetime | None = None) -> str:
    """A short date ("12 May", "May 12") in zone; with the year when it is not this year's."""
    local = moment.astimezone(ZoneInfo(zone))
    this_year = (now or utcnow()).astimezone(ZoneInfo(zone)).year
    skeleton = "MMMd" if local.year == this_year else "yMMMd"
    return babel_dates.format_skeleton(skeleton, local, tzinfo=local.tzinfo, locale=viewer_locale())


def date_range(starts_on: date | None, ends_on: date | None) -> str:
    """Calendar dates of a programme, e.g. "May 12 – 14, 2026" in the viewer's locale."""
    if starts_on is None:
        return ""
    locale = viewer_locale()
    if ends_on is None or ends_on == starts_on:
        return babel_dates.format_skeleton("yMMMd", starts_on, locale=locale)
    return babel_dates.format_interval(starts_on, ends_on, "yMMMd", locale=locale)


def zone_offset(moment: datetime, zone: str) -> str:
    """The zone's offset at that moment, e.g. "GMT+02:00" (it changes with daylight saving)."""
    return babel_dates.format_datetime(
        moment, "ZZZZ", tzinfo=ZoneInfo(zone), locale=viewer_locale()
    )


def _date_and_time(local: datetime, locale: Locale) -> str:
    """ "Tue, May 12, 2026, 9:30 AM" in the locale's own order and punctuation."""
    day = babel_dates.format_skeleton("yMMMEd", local, tzinfo=local.tzinfo, locale=locale)
    time = babel_dates.format_skeleton(
        _time_skeleton(locale), local, tzinfo=local.tzinfo, locale=locale
    )
    return str(locale.datetime_formats["medium"]).replace("{1}", day).replace("{0}", time)


def moment_in_zone(moment: datetime | None, zone: str) -> str:
    """Date and time (no seconds) of an aware datetime as wall-clock time in zone."""
    if moment is None:
        return ""
    return _date_and_time(moment.astimezone(ZoneInfo(zone)), viewer_locale())


@dataclass(frozen=True)
class SessionTime:
    """A session's date and time range as wall-clock time in one zone."""

    date: str
    #: The time range; with both dates when the session ends on another day.
    times: str
    #: The zone's offset at the start, e.g. "GMT+09:00".
    offset: str
    #: The start as ISO 8601 with offset, for <time datetime="...">.
    iso: str
    #: Date and time range together, in the locale's order.
    full: str


def session_time(session: ProgrammeSession, zone: str) -> SessionTime:
    """When a session happens in zone, in the viewer's locale."""
    tz = ZoneInfo(zone)
    start, end = session.starts_at.astimezone(tz), session.ends_at.astimezone(tz)
    locale = viewer_locale()
    day = babel_dates.format_skeleton("yMMMEd", start, tzinfo=tz, locale=locale)
    if start.date() == end.date():
        times = babel_dates.format_interval(
            start, end, _time_skeleton(locale), tzinfo=tz, locale=locale
        )
        full = str(locale.datetime_formats["medium"]).replace("{1}", day).replace("{0}", times)
    else:
        fallback = str(locale.interval_formats.get(None) or "{0} – {1}")
        times = full = fallback.replace("{0}", _date_and_time(start, locale)).replace(
            "{1}", _date_and_time(end, locale)
        )
    return SessionTime(
        date=day,
        times=times,
        offset=zone_offset(session.starts_at, zone),
        iso=start.isoformat(),
        full=full,
    )


def zones_differ(sessions: list[ProgrammeSession], zone: str, other: str | None) -> bool:
    """Whether other zone shows any session at another wall-clock time than zone."""
    if not other or other == zone:
        return False
    a, b = ZoneInfo(zone), ZoneInfo(other)
    moments = [m for s in sessions for m in (s.starts_at, s.ends_at)] or [utcnow()]
    return any(m.astimezone(a).utcoffset() != m.astimezone(b).utcoffset() for m in moments)


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


# Countries ---------------------------------------------------------------------------------


def _territory_codes() -> dict[str, tuple[str, str]]:
    """Region codes (CLDR) and the language of the name, by the names in every interface
    language (folded) and by code."""
    codes: dict[str, tuple[str, str]] = {}
    for language in LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if code.isalpha():
                codes.setdefault(name.casefold(), (code, language))
                codes.setdefault(code.casefold(), (code, ""))
    # Official English names that CLDR keeps only as variants.
    codes.update(
        {
            "republic of korea": ("KR", "en"),
            "iran (islamic republic of)": ("IR", "en"),
            "viet nam": ("VN", "en"),
        }
    )
    return codes


_TERRITORIES = _territory_codes()


def country_name(country: str | None) -> str:
    """A country as stored (its name in an interface language, or its ISO code) in the
    viewer's language: as typed when typed in that language, else CLDR's name; text CLDR does
    not know is shown as it is."""
    text = (country or "").strip()
    code, language = _TERRITORIES.get(text.casefold(), (None, ""))
    viewer = viewer_locale()
    if code is None or language == str(viewer.language):
        return text
    return viewer.territories.get(code, text)
