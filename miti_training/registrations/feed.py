"""The personal calendar feed: a participant's confirmed programmes at a secret, revocable URL."""

import re
import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Programme, ProgrammeStatus, Registration, RegistrationStatus, User, utcnow
from ..services.ical import PRODID, session_uid
from ..services.urls import external_url

#: Longest token accepted in a feed URL; token_urlsafe(32) gives 43 characters.
MAX_TOKEN_LENGTH = 64


def new_calendar_token(user: User) -> str:
    """Give user a new secret feed token (the old URL, if any, stops working); flushes."""
    user.calendar_token = secrets.token_urlsafe(32)
    db.session.flush()
    return user.calendar_token


_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_-]+")


def user_for_token(token: str) -> User | None:
    """The enabled account whose feed token is exactly token."""
    if not token or len(token) > MAX_TOKEN_LENGTH or not _TOKEN_CHARS.fullmatch(token):
        return None  # also keeps NUL bytes away from PostgreSQL
    user = db.session.scalar(select(User).where(User.calendar_token == token))
    if user is None or not user.is_enabled or user.calendar_token != token:
        return None
    return user


def confirmed_registrations(user: User) -> list[Registration]:
    """user's confirmed registrations with what the feed shows, loaded in bulk."""
    return list(
        db.session.scalars(
            select(Registration)
            .join(Registration.programme)
            .where(
                Registration.user_id == user.id,
                Registration.status == RegistrationStatus.CONFIRMED,
                Programme.status != ProgrammeStatus.DRAFT,
            )
            .options(
                selectinload(Registration.programme).selectinload(Programme.centre),
                selectinload(Registration.programme).selectinload(Programme.sessions),
                selectinload(Registration.programme).selectinload(Programme.translations),
            )
            .order_by(Programme.starts_on, Programme.id)
        )
    )


def personal_calendar(user: User, *, name: str) -> bytes:
    """A VCALENDAR of every session of user's confirmed programmes, each in its centre's zone.

    UIDs are those of the programme .ics files, so a session imported both ways is one event.
    """
    language = user.preferred_language or "en"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", vText(name))
    # Calendar apps poll a feed: ask for an update every few hours, not every minute.
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vText("PT6H"))
    moments = []
    for registration in confirmed_registrations(user):
        programme = registration.programme
        text = programme.text_in(language)
        url = external_url("catalogue.programme_detail", slug=programme.slug)
        zone = ZoneInfo(programme.centre.timezone)
        stamp = programme.updated_at or utcnow()
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
            event.add("status", "CONFIRMED")
            calendar.add_component(event)
            moments += [session.starts_at, session.ends_at]
    if moments:
        calendar.add_missing_timezones(
            first_date=min(moments).date() - timedelta(days=366),
            last_date=max(moments).date() + timedelta(days=366),
        )
    return calendar.to_ical()
