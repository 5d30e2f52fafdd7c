"""Self check-in: a participant records their own presence with the code shown in the room.

The check-in code of a session is not stored: it is an HMAC of the session id under the
app's SECRET_KEY, so it is stable for a session, differs between sessions, cannot be derived
without the key, and changes everywhere at once if the key is rotated. The code works from
shortly before the session starts until shortly after it ends.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from miti_training.attendance import codes
from miti_training.attendance.roll_call import (
    ATTENDANCE_STATUSES,
    NotConfirmed,
    flush_or_retry_message,
    recorded,
    write,
)
from miti_training.errors import DomainError, FieldError
from miti_training.extensions import db
from miti_training.formatting import format_in_zone
from miti_training.models import (
    Attendance,
    AttendanceStatus,
    Programme,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
    User,
    utcnow,
)

#: Self check-in opens this long before a session starts (people arrive early)...
CHECK_IN_OPENS_BEFORE = timedelta(minutes=30)
#: ...and closes this long after it ends (a late scan of the projected code still counts).
CHECK_IN_CLOSES_AFTER = timedelta(minutes=30)

#: 8 characters of 5 bits: 40 bits of the HMAC, ample against rate-limited guessing.
CODE_LENGTH = 8
MAX_CODE_INPUT = codes.MAX_INPUT


class CheckInClosed(DomainError):
    """The code is right but the session's check-in window is not open now."""


# The code -----------------------------------------------------------------------------------


def check_in_code(session: ProgrammeSession) -> str:
    """The session's check-in code: 8 Crockford base32 characters of an HMAC of its id."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    digest = hmac.new(key, f"attendance-check-in:{session.id}".encode(), hashlib.sha256).digest()
    return codes.from_number(int.from_bytes(digest[:5], "big"), CODE_LENGTH)


def display_code(code: str) -> str:
    """A code in two groups of four, the way it is projected ("7K3M-QX9P")."""
    return codes.grouped(code)


def normalise_code(typed: str | None) -> str | None:
    """The code as typed, in canonical form; None when it cannot be a code at all."""
    return codes.normalise(typed, CODE_LENGTH)


# The window -------------------------------------------------------------------------------


def window(session: ProgrammeSession) -> tuple[datetime, datetime]:
    """When self check-in for the session opens and closes."""
    return session.starts_at - CHECK_IN_OPENS_BEFORE, session.ends_at + CHECK_IN_CLOSES_AFTER


def is_window_open(session: ProgrammeSession, now: datetime) -> bool:
    opens, closes = window(session)
    return opens <= now <= closes


def _in_centre_time(moment: datetime, session: ProgrammeSession) -> str:
    zone = session.programme.centre.timezone
    return _("%(time)s (%(zone)s)", time=format_in_zone(moment, zone), zone=zone)


# Checking in --------------------------------------------------------------------------------


def _candidate_sessions(user: User, now: datetime) -> list[ProgrammeSession]:
    """Sessions a code could be for: those open for check-in now, and the user's own sessions.

    The user's own sessions outside their window are there so that a right code at the wrong
    time is told when check-in opens (or that it has closed) rather than "wrong code".
    """
    own_programmes = select(Registration.programme_id).where(
        Registration.user_id == user.id, Registration.status == RegistrationStatus.CONFIRMED
    )
    return list(
        db.session.scalars(
            select(ProgrammeSession)
            .join(ProgrammeSession.programme)
            .where(
                Programme.status.in_(ATTENDANCE_STATUSES),
                or_(
                    and_(
                        ProgrammeSession.starts_at <= now + CHECK_IN_OPENS_BEFORE,
                        ProgrammeSession.ends_at >= now - CHECK_IN_CLOSES_AFTER,
                    ),
                    ProgrammeSession.programme_id.in_(own_programmes),
                ),
            )
            .options(joinedload(ProgrammeSession.programme).joinedload(Programme.centre))
        ).unique()
    )


def session_for_code(user: User, typed: str | None, now: datetime) -> ProgrammeSession:
    """The session whose code was typed, compared in constant time; FieldError("code") if none."""
    wrong = FieldError(
        _("This check-in code is not valid. Check the code shown in the room and try again."),
        "code",
    )
    code = normalise_code(typed)
    if code is None:
        raise wrong
    found = None
    for candidate in _candidate_sessions(user, now):
        # Every candidate is compared, so the time taken says nothing about which matched.
        if hmac.compare_digest(check_in_code(candidate).encode(), code.encode()):
            found = candidate
    if found is None:
        raise wrong
    return found


@dataclass(frozen=True)
class CheckInResult:
    session: ProgrammeSession
    registration: Registration
    attendance: Attendance
    #: True when the participant was already recorded present (nothing changed).
    already_present: bool


def check_in(user: User, code: str | None, now: datetime | None = None) -> CheckInResult:
    """Record user present at the session of code, if its window is open and they are confirmed."""
    now = now or utcnow()
    session = session_for_code(user, code, now)
    programme = session.programme
    opens, closes = window(session)
    if now < opens:
        raise CheckInClosed(
            _(
                "Check-in for “%(session)s” opens at %(time)s.",
                session=session.title,
                time=_in_centre_time(opens, session),
            )
        )
    if now > closes:
        raise CheckInClosed(
            _(
                "Check-in for “%(session)s” has closed (at %(time)s). Ask the centre's staff "
                "to record your attendance.",
                session=session.title,
                time=_in_centre_time(closes, session),
            )
        )
    registration = db.session.scalar(
        select(Registration).where(
            Registration.programme_id == programme.id, Registration.user_id == user.id
        )
    )
    if registration is None:
        raise NotConfirmed(
            _(
                "You are not registered for “%(title)s”, so you cannot check in to its sessions.",
                title=programme.title,
            )
        )
    if registration.status == RegistrationStatus.WAITLISTED:
        raise NotConfirmed(
            _(
                "You are on the waiting list for “%(title)s”: only confirmed participants can "
                "check in. Please speak to the centre's staff.",
                title=programme.title,
            )
        )
    if registration.status != RegistrationStatus.CONFIRMED:
        raise NotConfirmed(
            _(
                "Your registration for “%(title)s” is not confirmed: only confirmed "
                "participants can check in.",
                title=programme.title,
            )
        )
    attendance = recorded(session, [registration.id]).get(registration.id)
    if attendance is not None and attendance.status == AttendanceStatus.PRESENT:
        return CheckInResult(session, registration, attendance, already_present=True)
    attendance = write(
        session, registration, attendance, AttendanceStatus.PRESENT, user, now, self_check_in=True
    )
    flush_or_retry_message()
    return CheckInResult(session, registration, attendance, already_present=False)
