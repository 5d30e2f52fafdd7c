"""iCalendar (RFC 5545) files: one event per session of a programme, in the centre's zone."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText

from miti_training.models import Programme, ProgrammeStatus, utcnow
from miti_training.urls import external_url

PRODID = "-//Metropolis International Training Institute//MITI Training//EN"
#: Fixed domain of the UIDs: a calendar keeps recognising an event whatever the server is called.
UID_DOMAIN = "miti-training"


def session_uid(session_id: int) -> str:
    """A session's UID, stable across downloads, so re-importing updates instead of duplicating."""
    return f"session-{session_id}@{UID_DOMAIN}"


def new_calendar(name: str) -> Calendar:
    """An empty VCALENDAR of this application called name."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", vText(name))  # X- properties are not escaped by default
    return calendar


def add_sessions(calendar: Calendar, programme: Programme, *, text, url: str) -> None:
    """One VEVENT per session of programme, in its centre's zone; text is its translation."""
    zone = ZoneInfo(programme.centre.timezone)
    stamp = programme.updated_at or utcnow()
    status = "CANCELLED" if programme.status == ProgrammeStatus.CANCELLED else "CONFIRMED"
    description = "\n\n".join(part for part in (text.summary, url) if part)
    for session in programme.sessions:
        event = Event()
        event.add("uid", session_uid(session.id))
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("dtstart", session.starts_at.astimezone(zone))
        event.add("dtend", session.ends_at.astimezone(zone))
        event.add("summary", f"{text.title} — {session.text_in(text.language).title}")
        # A session held at the programme's venue is given the venue in text's language.
        own_place = session.location and session.location != programme.venue
        location = session.location if own_place else text.venue
        if location:
            event.add("location", location)
        event.add("description", description)
        event.add("url", url)
        event.add("status", status)
        calendar.add_component(event)


def finish(calendar: Calendar, sessions) -> bytes:
    """The calendar as bytes, with the VTIMEZONEs its sessions' zones need (a year each side)."""
    sessions = list(sessions)
    if sessions:
        first = min(s.starts_at for s in sessions).date()
        last = max(s.ends_at for s in sessions).date()
        calendar.add_missing_timezones(
            first_date=first - timedelta(days=366), last_date=last + timedelta(days=366)
        )
    return calendar.to_ical()


def programme_calendar(
    programme: Programme, *, language: str | None = None, url: str | None = None
) -> bytes:
    """The programme's sessions as a VCALENDAR with the centre's VTIMEZONE.

    Text is in language when the programme has it, else in its original language; url is the
    programme page (by default built from SERVER_BASE_URL, never from a request's Host).
    """
    text = programme.text_in(language or programme.original_language)
    url = url or external_url("catalogue.programme_detail", slug=programme.slug)
    calendar = new_calendar(text.title)
    add_sessions(calendar, programme, text=text, url=url)
    return finish(calendar, programme.sessions)
