"""Which registrations are due which automatic email now.

Before the first session: confirmed registrations of published programmes that send reminders,
from reminder_days before the first session until it starts. After the programme: confirmed
participants who completed it (the attendance rule), from the end of its last session for
FOLLOW_UP_DAYS (older programmes are left alone, so switching this on does not write to
everyone of past years).
"""

from datetime import datetime, timedelta

from sqlalchemy import exists, func, or_, select

from miti_training.attendance.completion import completion_for
from miti_training.extensions import db
from miti_training.models import (
    Programme,
    ProgrammeSession,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    ReminderKind,
    ReminderSent,
    utcnow,
)
from miti_training.programmes.rules import MAX_REMINDER_DAYS

FOLLOW_UP_DAYS = 30


def _not_sent(kind: ReminderKind):
    return ~exists().where(
        ReminderSent.registration_id == Registration.id, ReminderSent.kind == kind
    )


def _session_bounds():
    return (
        select(
            ProgrammeSession.programme_id,
            func.min(ProgrammeSession.starts_at).label("first_start"),
            func.max(ProgrammeSession.ends_at).label("last_end"),
        )
        .group_by(ProgrammeSession.programme_id)
        .subquery()
    )


def _before_start(now: datetime) -> list[int]:
    bounds = _session_bounds()
    rows = db.session.execute(
        select(Registration.id, Programme.reminder_days, bounds.c.first_start)
        .join(Programme, Programme.id == Registration.programme_id)
        .join(bounds, bounds.c.programme_id == Programme.id)
        .where(
            Programme.status == ProgrammeStatus.PUBLISHED,
            Programme.sends_reminder.is_(True),
            Registration.status == RegistrationStatus.CONFIRMED,
            or_(Registration.user_id.is_not(None), Registration.email != ""),
            bounds.c.first_start > now,
            # The widest window in SQL; each programme's own number of days below.
            bounds.c.first_start <= now + timedelta(days=MAX_REMINDER_DAYS),
            _not_sent(ReminderKind.BEFORE_START),
        )
        .order_by(Registration.id)
    ).all()
    return [
        registration_id
        for registration_id, days, first_start in rows
        if _aware(first_start) - timedelta(days=days) <= now
    ]


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive UTC from an aggregate (no column type to convert it)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=utcnow().tzinfo)


def _follow_up(now: datetime) -> list[int]:
    bounds = _session_bounds()
    programmes = db.session.execute(
        select(Programme, bounds.c.last_end)
        .join(bounds, bounds.c.programme_id == Programme.id)
        .where(
            Programme.status.in_([ProgrammeStatus.PUBLISHED, ProgrammeStatus.COMPLETED]),
            bounds.c.last_end >= now - timedelta(days=FOLLOW_UP_DAYS),
        )
        .order_by(Programme.id)
    ).all()
    ended = [programme for programme, last_end in programmes if _aware(last_end) <= now]
    if not ended:
        return []
    pending = set(
        db.session.scalars(
            select(Registration.id).where(
                Registration.programme_id.in_([programme.id for programme in ended]),
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.user_id.is_not(None),
                _not_sent(ReminderKind.FOLLOW_UP),
            )
        )
    )
    found = []
    for programme in ended:
        found.extend(
            row.registration.id
            for row in completion_for(programme)
            if row.completed and row.registration.id in pending
        )
    return found


def due(now: datetime | None = None) -> list[tuple[int, ReminderKind]]:
    """(registration id, kind) of every automatic email due now and not sent yet."""
    now = now or utcnow()
    return [(rid, ReminderKind.BEFORE_START) for rid in _before_start(now)] + [
        (rid, ReminderKind.FOLLOW_UP) for rid in _follow_up(now)
    ]
