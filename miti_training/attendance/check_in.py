"""Self check-in: a participant records their own presence with the code shown in the room.

The check-in code of a session is not stored: like a TOTP, it is an HMAC of the session id and
the current time step under the app's SECRET_KEY. It differs between sessions, cannot be
derived without the key, and changes every few minutes, so a photo of the screen is soon of no
use outside the room (docs/security.md, item 29). The previous step's code still counts for a
short grace, for whoever was typing when it changed. Check-in works from shortly before the
session starts until shortly after it ends.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
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
from miti_training.formatting import format_in_zone, zone_name
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
#: A new code every 5 minutes (steps counted from the Unix epoch, the same on every host)...
CODE_STEP = timedelta(minutes=5)
#: ...and the previous one still accepted this long into the next step.
CODE_GRACE = timedelta(minutes=2)
#: An older code of the last day is recognised, to say it expired rather than that it is wrong.
EXPIRED_LOOKBACK = timedelta(days=1)


class CheckInClosed(DomainError):
    """The code is right but the session's check-in window is not open now."""


class CodeExpired(DomainError):
    """The code was the session's some steps ago: a photo or an old QR code, not the room's."""


# The code -----------------------------------------------------------------------------------


def code_step(moment: datetime) -> int:
    """The number of the time step moment falls in."""
    return int(moment.timestamp() // CODE_STEP.total_seconds())


def _step_start(step: int) -> datetime:
    return datetime.fromtimestamp(step * CODE_STEP.total_seconds(), UTC)


def next_code_at(now: datetime) -> datetime:
    """When the code shown at now gives way to the next one."""
    return _step_start(code_step(now) + 1)


def _code_of_step(session: ProgrammeSession, step: int) -> str:
    """8 Crockford base32 characters of an HMAC of the session id and the step."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    message = f"attendance-check-in:{session.id}:{step}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return codes.from_number(int.from_bytes(digest[:5], "big"), CODE_LENGTH)


def check_in_code(session: ProgrammeSession, at: datetime | None = None) -> str:
    """The session's check-in code at a moment (now by default)."""
    return _code_of_step(session, code_step(at or utcnow()))


def accepted_steps(now: datetime) -> list[int]:
    """The steps whose codes count at now: the current one, and the previous within the grace."""
    step = code_step(now)
    if now - _step_start(step) < CODE_GRACE:
        return [step, step - 1]
    return [step]


def _expired_steps(session: ProgrammeSession, now: datetime, accepted: list[int]) -> range:
    """Earlier steps of the session's window (within the lookback), the accepted ones excluded."""
    opens, closes = window(session)
    first = code_step(max(opens, now - EXPIRED_LOOKBACK))
    last = min(code_step(min(now, closes)), min(accepted) - 1)
    return range(first, last + 1)


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
    return _("%(time)s (%(zone)s)", time=format_in_zone(moment, zone), zone=zone_name(zone))


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


@dataclass(frozen=True)
class CodeMatch:
    session: ProgrammeSession
    #: False when the code was the session's at an earlier step, past the grace.
    current: bool


def _matching(sessions, steps_of, code: bytes) -> ProgrammeSession | None:
    """The session one of whose steps' codes is code; every code of every session is compared,
    so the time taken says nothing about which matched."""
    found = None
    for candidate in sessions:
        for step in steps_of(candidate):
            if hmac.compare_digest(_code_of_step(candidate, step).encode(), code):
                found = candidate
    return found


def session_for_code(user: User, typed: str | None, now: datetime) -> CodeMatch:
    """The session whose code was typed; FieldError("code") if none."""
    wrong = FieldError(
        _("This check-in code is not valid. Check the code shown in the room and try again."),
        "code",
    )
    code = normalise_code(typed)
    if code is None:
        raise wrong
    candidates = _candidate_sessions(user, now)
    accepted = accepted_steps(now)
    found = _matching(candidates, lambda _session: accepted, code.encode())
    if found is not None:
        return CodeMatch(found, current=True)
    found = _matching(
        candidates, lambda session: _expired_steps(session, now, accepted), code.encode()
    )
    if found is not None:
        return CodeMatch(found, current=False)
    raise wrong


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
    match = session_for_code(user, code, now)
    session = match.session
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
    if not match.current:
        minutes = int(CODE_STEP.total_seconds() // 60)
        raise CodeExpired(
            ngettext(
                "This check-in code has expired: the code changes every %(num)d minute. Type "
                "the code shown in the room now.",
                "This check-in code has expired: the code changes every %(num)d minutes. Type "
                "the code shown in the room now.",
                minutes,
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
