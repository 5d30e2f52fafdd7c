"""Presentation helpers shared by views and templates (no business rules)."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from flask import current_app, has_request_context, url_for
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError
from wtforms.fields.choices import SelectChoice

from miti_training.models import Programme, ProgrammeSession, ProgrammeText, utcnow
from miti_training.programmes.catalogue import RegistrationState, registration_state

#: Interface languages with their names in their own language.
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "fa": "فارسی",
    "ko": "한국어",
}


def language_names() -> dict[str, str]:
    return LANGUAGE_NAMES


def language_choices() -> list[SelectChoice]:
    return [
        SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()
    ]


def timezone_choices() -> list[SelectChoice]:
    """Every IANA zone, sorted, for the profile form."""
    return [SelectChoice(z, z.replace("_", " ")) for z in _selectable_zones()]


@cache
def _selectable_zones() -> tuple[str, ...]:
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
    return ("UTC", *zones)


def is_valid_timezone(name: str) -> bool:
    """Only the zones the lists offer."""
    return name in _selectable_zones()


def format_in_zone(value: datetime | None, zone: str, fmt: str = "medium") -> str:
    """Format an aware UTC datetime in the given IANA zone, in the viewer's locale."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(zone))
    return format_datetime(local.replace(tzinfo=None), fmt, rebase=False)


ENUM_LABELS = {
    # Programme kinds
    "course": _l("Course"),
    "workshop": _l("Workshop"),
    "forum": _l("Forum"),
    "study_visit": _l("Study visit"),
    "webinar": _l("Webinar"),
    # Formats
    "in_person": _l("In person"),
    "online": _l("Online"),
    "hybrid": _l("Hybrid"),
    # Themes
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
    # Programme statuses
    "draft": _l("Draft"),
    "published": _l("Published"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
    # Roles and centre kinds
    "coordinator": _l("Coordinator"),
    "director": _l("Director"),
    "headquarters": _l("Headquarters"),
    "regional": _l("Regional centre"),
    # World regions
    "africa": _l("Africa"),
    "asia_pacific": _l("Asia-Pacific"),
    "europe": _l("Europe"),
    "latin_america": _l("Latin America and the Caribbean"),
    "middle_east": _l("Middle East and West Asia"),
    "north_america": _l("North America"),
}


def label(value) -> str:
    """The translated label of an enum value."""
    key = getattr(value, "value", value)
    return str(ENUM_LABELS.get(key, key))


# Locale-aware formatting of programme data --------------------------------------------------


def viewer_locale() -> Locale:
    """The locale pages and emails are being rendered in (English outside a request)."""
    return get_locale() or Locale.parse("en")


def language_name(code: str) -> str:
    """A language code's name in the viewer's language ("en" -> "anglais" for French)."""
    try:
        name = Locale.parse(code).get_display_name(viewer_locale())
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:] if name else code


def programme_text(programme: Programme) -> ProgrammeText:
    """Title, summary and description in the viewer's language, else the original."""
    return programme.text_in(str(viewer_locale().language))


def is_fallback(text: ProgrammeText) -> bool:
    """True when the text is shown in another language than the viewer's."""
    return text.language != str(viewer_locale().language)


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


# Registration state in words ----------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationLabel:
    """A programme's registration state, its words and the badge tone that goes with it."""

    state: RegistrationState
    text: str
    #: "ok", "warn", "muted" or "" (a plain badge): badge-<tone> in the stylesheet.
    tone: str

    @property
    def is_open(self) -> bool:
        """Whether a participant can sign up now (a seat or the waiting list)."""
        return self.state in (RegistrationState.OPEN, RegistrationState.WAITLIST)


_TONES = {
    RegistrationState.OPEN: "ok",
    RegistrationState.WAITLIST: "warn",
    RegistrationState.FULL: "warn",
    RegistrationState.NOT_OPEN_YET: "",
    RegistrationState.CLOSED: "muted",
    RegistrationState.CANCELLED: "muted",
    RegistrationState.COMPLETED: "muted",
    RegistrationState.DRAFT: "muted",
}


def registration_status(programme: Programme, now: datetime | None = None) -> RegistrationLabel:
    """Where registration for programme stands at now, in the viewer's words."""
    now = now or utcnow()
    state, moment = registration_state(programme, now)
    zone = programme.centre.timezone
    if state == RegistrationState.OPEN:
        text = _("Open until %(date)s", date=day_month(moment, zone, now))
    elif state == RegistrationState.NOT_OPEN_YET:
        text = _("Opens %(date)s", date=day_month(moment, zone, now))
    elif state == RegistrationState.WAITLIST:
        text = _("Waiting list open")
    elif state == RegistrationState.FULL:
        text = _("Full")
    elif state == RegistrationState.CLOSED:
        text = _("Closed")
    elif state == RegistrationState.CANCELLED:
        text = _("Cancelled")
    elif state == RegistrationState.COMPLETED:
        text = _("Completed")
    else:
        text = _("Draft")
    return RegistrationLabel(state=state, text=text, tone=_TONES[state])


def registration_state_label(programme: Programme, now: datetime | None = None) -> str:
    """The registration state in words: "Open until 12 May", "Full", "Opens 1 March", ..."""
    return registration_status(programme, now).text


def register_url(programme: Programme) -> str | None:
    """The registration form's address, once the registrations blueprint provides one."""
    if "registrations.register" not in current_app.view_functions or not has_request_context():
        return None
    for values in ({"slug": programme.slug}, {"programme_id": programme.id}):
        try:
            return url_for("registrations.register", **values)
        except BuildError:
            continue
    return None


#: Functions templates call by name (registered app-wide by the catalogue blueprint).
TEMPLATE_GLOBALS = {
    "date_range": date_range,
    "is_fallback": is_fallback,
    "language_name": language_name,
    "moment_in_zone": moment_in_zone,
    "paragraphs": paragraphs,
    "programme_text": programme_text,
    "register_url": register_url,
    "registration_state_label": registration_state_label,
    "registration_status": registration_status,
    "session_time": session_time,
    "zone_offset": zone_offset,
}
