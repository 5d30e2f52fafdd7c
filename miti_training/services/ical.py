"""iCalendar (RFC 5545) files: one event per session of a programme, in the centre's zone."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText

from ..models import Programme, ProgrammeStatus, utcnow
from .urls import external_url

PRODID = "-//Metropolis International Training Institute//MITI Training//EN"
#: Fixed domain of the UIDs: a calendar keeps recognising an event whatever the server is called.
UID_DOMAIN = "miti-training"


def session_uid(session_id: int) -> str:
    """A session's UID, stable across downloads, so re-importing updates instead of duplicating."""
    return f"session-{session_id}@{UID_DOMAIN}"


def programme_calendar(
    programme: Programme, *, language: str | None = None, url: str | None = None
) -> bytes:
    """The programme's sessions as a VCALENDAR with the centre's VTIMEZONE.

    Text is in language when the programme has it, else in its original language; url is the
    programme page (by default built from SERVER_BASE_URL, never from a request's Host).
    """
    text = programme.text_in(language or programme.original_language)
    url = url or external_url("catalogue.programme_detail", slug=programme.slug)
    zone = ZoneInfo(programme.centre.timezone)
    cancelled = programme.status == ProgrammeStatus.CANCELLED
    stamp = programme.updated_at or utcnow()

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", vText(text.title))  # X- properties are not escaped by default
    description = "\n\n".join(part for part in (text.summary, url) if part)
    for session in programme.sessions:
        event = Event()
        event.add("uid", session_uid(session.id))
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("dtstart", session.starts_at.astimezone(zone))
        event.add("dtend", session.ends_at.astimezone(zone))
        event.add("summary", f"{text.title} — {session.title}")
        location = session.location or programme.venue
        if location:
            event.add("location", location)
        event.add("description", description)
        event.add("url", url)
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    if programme.sessions:
        first = min(s.starts_at for s in programme.sessions).date()
        last = max(s.ends_at for s in programme.sessions).date()
        calendar.add_missing_timezones(
            first_date=first - timedelta(days=366), last_date=last + timedelta(days=366)
        )
    return calendar.to_ical()
