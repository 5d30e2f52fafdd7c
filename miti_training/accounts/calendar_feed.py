"""The personal calendar feed: a participant's confirmed programmes at a secret, revocable URL."""

import re
import secrets
from datetime import timedelta

from icalendar import vText
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from miti_training.extensions import db
from miti_training.models import Programme, ProgrammeStatus, Registration, RegistrationStatus, User
from miti_training.programmes.ical import add_sessions, finish, new_calendar
from miti_training.urls import external_url

#: Longest token accepted in a feed URL; token_urlsafe(32) gives 43 characters.
MAX_TOKEN_LENGTH = 64


def new_calendar_token(user: User) -> str:
    """Give user a new secret feed token (the old URL, if any, stops working); flushes."""
    user.calendar_token = secrets.token_urlsafe(32)
    db.session.flush()
    return user.calendar_token


def rotate_calendar_token(user: User) -> None:
    """A new feed token for an account whose password or address is replaced: whoever had the
    old credentials may have the feed URL too (docs/security.md, item 23). No token, no feed."""
    if user.calendar_token is not None:
        new_calendar_token(user)


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
    calendar = new_calendar(name)
    # Calendar apps poll a feed: ask for an update every few hours, not every minute.
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vText("PT6H"))
    sessions = []
    for registration in confirmed_registrations(user):
        programme = registration.programme
        url = external_url("catalogue.programme_detail", slug=programme.slug)
        add_sessions(calendar, programme, text=programme.text_in(language), url=url)
        sessions += programme.sessions
    return finish(calendar, sessions)
