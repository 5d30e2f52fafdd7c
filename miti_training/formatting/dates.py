"""Dates, times, ranges and time zones as people read them, in the viewer's language (Babel).

Times never show seconds; a zone is named by its city in the viewer's language, never by its
IANA id; each time carries its own offset, so a range across a daylight-saving change shows
both. Everything is written in the locale's digits; machine-readable values (`iso`) stay
ISO 8601.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from flask_babel import get_timezone

from miti_training.formatting.locales import native_digits, per_locale, viewer_locale
from miti_training.models import ProgrammeSession, utcnow


def viewer_zone() -> str:
    """The IANA zone the viewer reads times in (their account's; UTC for visitors)."""
    zone = get_timezone()
    return getattr(zone, "key", None) or getattr(zone, "zone", None) or "UTC"


@per_locale
def zone_name(zone: str | None) -> str:
    """A zone as people know it, in the viewer's language: its city ("Séoul"), or "UTC"."""
    if not zone:
        return ""
    if zone == "UTC" or zone.startswith("Etc/"):
        return "UTC"
    return babel_dates.get_timezone_location(zone, locale=viewer_locale(), return_city=True)


def _time_skeleton(locale: Locale) -> str:
    """ "Hm" for 24-hour locales, "hm" for 12-hour ones."""
    return "Hm" if "H" in locale.time_formats["short"].pattern else "hm"


def _time(local: datetime, locale: Locale) -> str:
    return babel_dates.format_skeleton(
        _time_skeleton(locale), local, tzinfo=local.tzinfo, locale=locale
    )


def _offset(local: datetime, locale: Locale) -> str:
    return babel_dates.format_datetime(local, "ZZZZ", tzinfo=local.tzinfo, locale=locale)


def _joined(pattern, day: str, time: str) -> str:
    return str(pattern).replace("{1}", day).replace("{0}", time)


def _date_and_time(local: datetime, locale: Locale, skeleton: str = "yMMMEd") -> str:
    """ "Tue, May 12, 2026, 9:30 AM" in the locale's own order and punctuation."""
    day = babel_dates.format_skeleton(skeleton, local, tzinfo=local.tzinfo, locale=locale)
    return _joined(locale.datetime_formats["medium"], day, _time(local, locale))


def moment_in_zone(moment: datetime | None, zone: str | None = None, style: str = "medium") -> str:
    """Date and time (no seconds) of an aware datetime as wall-clock time in zone.

    "medium" names the weekday ("Tue, May 12, 2026, 9:30 AM"), "short" does not ("May 12,
    2026, 9:30 AM"), for tables. Without a zone, the viewer's.
    """
    if moment is None:
        return ""
    return _moment_in_zone(moment, zone or viewer_zone(), style)


@per_locale
def _moment_in_zone(moment: datetime, zone: str, style: str) -> str:
    locale = viewer_locale()
    local = moment.astimezone(ZoneInfo(zone))
    skeleton = "yMMMd" if style == "short" else "yMMMEd"
    return native_digits(_date_and_time(local, locale, skeleton), locale)


def format_in_zone(value: datetime | None, zone: str, fmt: str = "medium") -> str:
    """Format an aware UTC datetime in the given IANA zone, in the viewer's locale."""
    return moment_in_zone(value, zone, fmt)


def day(value: date | datetime | None, zone: str | None = None) -> str:
    """A calendar date ("Dec 3, 2026", "3 déc. 2026"); an aware datetime is read in zone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(ZoneInfo(zone or viewer_zone())).date()
    locale = viewer_locale()
    return native_digits(babel_dates.format_skeleton("yMMMd", value, locale=locale), locale)


def day_month(moment: datetime, zone: str, now: datetime | None = None) -> str:
    """A short date ("12 May", "May 12") in zone; with the year when it is not this year's."""
    this_year = (now or utcnow()).astimezone(ZoneInfo(zone)).year
    return _day_month(moment, zone, this_year)


@per_locale
def _day_month(moment: datetime, zone: str, this_year: int) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    skeleton = "MMMd" if local.year == this_year else "yMMMd"
    locale = viewer_locale()
    text = babel_dates.format_skeleton(skeleton, local, tzinfo=local.tzinfo, locale=locale)
    return native_digits(text, locale)


@per_locale
def date_range(starts_on: date | None, ends_on: date | None) -> str:
    """Calendar dates of a programme, e.g. "May 12 – 14, 2026" in the viewer's locale."""
    if starts_on is None:
        return ""
    locale = viewer_locale()
    if ends_on is None or ends_on == starts_on:
        text = babel_dates.format_skeleton("yMMMd", starts_on, locale=locale)
    else:
        text = babel_dates.format_interval(starts_on, ends_on, "yMMMd", locale=locale)
    return native_digits(text, locale)


def zone_offset(moment: datetime, zone: str) -> str:
    """The zone's offset at that moment, e.g. "GMT+02:00" (it changes with daylight saving)."""
    locale = viewer_locale()
    return native_digits(_offset(moment.astimezone(ZoneInfo(zone)), locale), locale)


@dataclass(frozen=True)
class SessionTime:
    """A session's date and time range as wall-clock time in one zone."""

    date: str
    #: The time range; with both dates when the session ends on another day, and with each
    #: end's offset when daylight saving changes in between.
    times: str
    #: The zone's offset for the whole range ("GMT+09:00"); empty when the two ends differ.
    offset: str
    #: The start as ISO 8601 with offset, for <time datetime="...">.
    iso: str
    #: Date and time range together, in the locale's order.
    full: str


def session_time(session: ProgrammeSession, zone: str) -> SessionTime:
    """When a session happens in zone, in the viewer's locale."""
    return _session_time(session.starts_at, session.ends_at, zone)


@per_locale
def _session_time(starts_at: datetime, ends_at: datetime, zone: str) -> SessionTime:
    tz = ZoneInfo(zone)
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    locale = viewer_locale()
    day_text = babel_dates.format_skeleton("yMMMEd", start, tzinfo=tz, locale=locale)
    fallback = str(locale.interval_formats.get(None) or "{0} – {1}")
    same_offset = start.utcoffset() == end.utcoffset()
    if start.date() == end.date() and same_offset:
        times = babel_dates.format_interval(
            start, end, _time_skeleton(locale), tzinfo=tz, locale=locale
        )
        full = _joined(locale.datetime_formats["medium"], day_text, times)
    elif start.date() == end.date():
        times = fallback.replace("{0}", f"{_time(start, locale)} {_offset(start, locale)}")
        times = times.replace("{1}", f"{_time(end, locale)} {_offset(end, locale)}")
        full = _joined(locale.datetime_formats["medium"], day_text, times)
    else:
        ends = [_date_and_time(m, locale) for m in (start, end)]
        if not same_offset:
            ends = [f"{ends[0]} {_offset(start, locale)}", f"{ends[1]} {_offset(end, locale)}"]
        times = full = fallback.replace("{0}", ends[0]).replace("{1}", ends[1])
    return SessionTime(
        date=native_digits(day_text, locale),
        times=native_digits(times, locale),
        offset=native_digits(_offset(start, locale), locale) if same_offset else "",
        iso=start.isoformat(),
        full=native_digits(full, locale),
    )


def zones_differ(sessions: list[ProgrammeSession], zone: str, other: str | None) -> bool:
    """Whether other zone shows any session at another wall-clock time than zone."""
    if not other or other == zone:
        return False
    a, b = ZoneInfo(zone), ZoneInfo(other)
    moments = [m for s in sessions for m in (s.starts_at, s.ends_at)] or [utcnow()]
    return any(m.astimezone(a).utcoffset() != m.astimezone(b).utcoffset() for m in moments)
