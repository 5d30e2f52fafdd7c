"""Attendance: the coordinators' roll call per session and the participants' self check-in.

Only confirmed registrations of the session's programme have attendance, and only while the
programme is published or completed (a draft has no participants; a cancelled programme has
no sessions to attend). Every change is audited with the session's title as its detail;
saving a status that is already recorded changes nothing and audits nothing.

The self check-in code of a session is not stored: it is an HMAC of the session id under the
app's SECRET_KEY, so it is stable for a session, differs between sessions, cannot be derived
without the key, and changes everywhere at once if the key is rotated.
"""

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from miti_training import audit
from miti_training.attendance import codes
from miti_training.errors import DomainError, FieldError
from miti_training.extensions import db
from miti_training.formatting import format_in_zone
from miti_training.models import (
    Attendance,
    AttendanceStatus,
    Programme,
    ProgrammeSession,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    User,
    utcnow,
)

#: Programme statuses in which attendance may be taken (completed: late corrections).
ATTENDANCE_STATUSES = (ProgrammeStatus.PUBLISHED, ProgrammeStatus.COMPLETED)

#: Self check-in opens this long before a session starts (people arrive early)...
CHECK_IN_OPENS_BEFORE = timedelta(minutes=30)
#: ...and closes this long after it ends (a late scan of the projected code still counts).
CHECK_IN_CLOSES_AFTER = timedelta(minutes=30)

#: 8 characters of 5 bits: 40 bits of the HMAC, ample against rate-limited guessing.
CODE_LENGTH = 8
MAX_CODE_INPUT = codes.MAX_INPUT


# Errors -------------------------------------------------------------------------------------


class NotConfirmed(DomainError):
    """Attendance is only for confirmed participants."""


class AttendanceNotTaken(DomainError):
    """The programme is a draft or cancelled: there is nobody to take attendance of."""


class CheckInClosed(DomainError):
    """The code is right but the session's check-in window is not open now."""


# Rules --------------------------------------------------------------------------------------


def can_take_attendance(programme: Programme) -> bool:
    return programme.status in ATTENDANCE_STATUSES


def require_attendance_taken(programme: Programme) -> None:
    if not can_take_attendance(programme):
        if programme.status == ProgrammeStatus.DRAFT:
            raise AttendanceNotTaken(
                _("This programme is a draft: attendance is taken once it is published.")
            )
        raise AttendanceNotTaken(
            _("This programme has been cancelled: there is no attendance to take.")
        )


def _status(value) -> AttendanceStatus:
    try:
        return AttendanceStatus(value)
    except ValueError:
        raise DomainError(_("Choose present, absent or excused.")) from None


def _audit_change(action, session, registration, before, after, actor) -> None:
    audit.record(
        action,
        actor=actor,
        programme=session.programme,
        registration=registration,
        from_state=before.value if before is not None else "",
        to_state=after.value,
        reason=session.title,
    )


def _existing(session: ProgrammeSession, registration_ids) -> dict[int, Attendance]:
    rows = db.session.scalars(
        select(Attendance).where(
            Attendance.session_id == session.id, Attendance.registration_id.in_(registration_ids)
        )
    )
    return {row.registration_id: row for row in rows}


def _flush_or_retry_message() -> None:
    """Flush; a row added meanwhile by someone else becomes a message instead of a 500.

    The caller rolls the transaction back on the DomainError, as after any refusal.
    """
    try:
        db.session.flush()
    except IntegrityError:
        raise DomainError(
            _("Someone else recorded attendance for this session at the same time. Try again.")
        ) from None


# Recording ----------------------------------------------------------------------------------


def record(
    session: ProgrammeSession,
    registration: Registration,
    status: AttendanceStatus | str,
    actor: User | None,
) -> Attendance:
    """Create or change one participant's attendance of one session (audited if it changes)."""
    status = _status(status)
    programme = session.programme
    require_attendance_taken(programme)
    if registration.programme_id != session.programme_id:
        raise DomainError(_("This participant is not registered for this session's programme."))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise NotConfirmed(_("Attendance is recorded for confirmed participants only."))
    attendance = _existing(session, [registration.id]).get(registration.id)
    before = attendance.status if attendance is not None else None
    if before == status:
        return attendance
    if attendance is None:
        attendance = Attendance(registration_id=registration.id, session_id=session.id)
        db.session.add(attendance)
    attendance.status = status
    attendance.is_self_check_in = False
    attendance.recorded_by_id = actor.id if actor is not None else None
    attendance.recorded_at = utcnow()
    _audit_change("attendance.record", session, registration, before, status, actor)
    _flush_or_retry_message()
    return attendance


@dataclass(frozen=True)
class RollCallResult:
    """What saving a roll call did."""

    #: Rows created or changed (each one audited).
    changed: int
    #: Registration ids left alone: not (or no longer) confirmed for this programme.
    skipped: int


def confirmed_registrations(programme: Programme, ids=None) -> list[Registration]:
    """Confirmed registrations of programme (those of ids only, if given), by name."""
    query = select(Registration).where(
        Registration.programme_id == programme.id,
        Registration.status == RegistrationStatus.CONFIRMED,
    )
    if ids is not None:
        query = query.where(Registration.id.in_(list(ids)))
    return list(db.session.scalars(query.order_by(Registration.full_name, Registration.id)))


def record_many(
    session: ProgrammeSession,
    statuses: Mapping[int, AttendanceStatus | str],
    actor: User | None,
) -> RollCallResult:
    """Save a whole roll call at once: two SELECTs, then one flush; unchanged rows untouched.

    Ids that are not confirmed registrations of the session's programme (withdrawn since the
    page was shown, or foreign) are skipped and counted, never recorded.
    """
    programme = session.programme
    require_attendance_taken(programme)
    wanted = {int(registration_id): _status(value) for registration_id, value in statuses.items()}
    if not wanted:
        return RollCallResult(changed=0, skipped=0)
    registrations = confirmed_registrations(programme, wanted)
    existing = _existing(session, [r.id for r in registrations])
    now = utcnow()
    changed = 0
    for registration in registrations:
        status = wanted[registration.id]
        attendance = existing.get(registration.id)
        before = attendance.status if attendance is not None else None
        if before == status:
            continue
        if attendance is None:
            attendance = Attendance(registration_id=registration.id, session_id=session.id)
            db.session.add(attendance)
        attendance.status = status
        attendance.is_self_check_in = False
        attendance.recorded_by_id = actor.id if actor is not None else None
        attendance.recorded_at = now
        _audit_change("attendance.record", session, registration, before, status, actor)
        changed += 1
    _flush_or_retry_message()
    return RollCallResult(changed=changed, skipped=len(wanted) - len(registrations))


def mark_all_present(session: ProgrammeSession, actor: User | None) -> int:
    """Mark present every confirmed participant of the session not recorded yet; return how many.

    Participants already recorded keep their status, whatever it is: an "excused" given in
    advance or an "absent" set on purpose is never overwritten by the shortcut (change those
    one by one on the roll call).
    """
    programme = session.programme
    require_attendance_taken(programme)
    unmarked = list(
        db.session.scalars(
            _confirmed_with_attendance(select(Registration), session).where(Attendance.id.is_(None))
        )
    )
    result = record_many(
        session, {registration.id: AttendanceStatus.PRESENT for registration in unmarked}, actor
    )
    return result.changed


# Reading ------------------------------------------------------------------------------------


def _confirmed_with_attendance(query, session: ProgrammeSession):
    """query over the programme's confirmed registrations, each with its row for session."""
    return query.outerjoin(
        Attendance,
        and_(Attendance.registration_id == Registration.id, Attendance.session_id == session.id),
    ).where(
        Registration.programme_id == session.programme_id,
        Registration.status == RegistrationStatus.CONFIRMED,
    )


@dataclass(frozen=True)
class RollCallRow:
    registration: Registration
    attendance: Attendance | None

    @property
    def status(self) -> AttendanceStatus | None:
        return self.attendance.status if self.attendance is not None else None


def roll_call(session: ProgrammeSession) -> list[RollCallRow]:
    """The confirmed participants of the session's programme with their attendance, by name."""
    rows = db.session.execute(
        _confirmed_with_attendance(select(Registration, Attendance), session).order_by(
            Registration.full_name, Registration.id
        )
    ).all()
    return [RollCallRow(registration=r, attendance=a) for r, a in rows]


@dataclass(frozen=True)
class Summary:
    """Confirmed participants of a session by attendance status."""

    present: int = 0
    absent: int = 0
    excused: int = 0
    #: Confirmed participants with no attendance recorded yet.
    unmarked: int = 0
    #: Of the present, those who checked in themselves with the code.
    self_checked_in: int = 0

    @property
    def total(self) -> int:
        return self.present + self.absent + self.excused + self.unmarked


def summary(session: ProgrammeSession) -> Summary:
    """Counts per status for the session's confirmed participants, in one GROUP BY."""
    self_checked = func.sum(case((Attendance.is_self_check_in.is_(True), 1), else_=0))
    rows = db.session.execute(
        select(Attendance.status, func.count(Registration.id), self_checked)
        .select_from(Registration)
        .outerjoin(
            Attendance,
            and_(
                Attendance.registration_id == Registration.id,
                Attendance.session_id == session.id,
            ),
        )
        .where(
            Registration.programme_id == session.programme_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .group_by(Attendance.status)
    ).all()
    counts = {"present": 0, "absent": 0, "excused": 0, "unmarked": 0, "self_checked_in": 0}
    for status, count, self_count in rows:
        counts[AttendanceStatus(status).value if status is not None else "unmarked"] += count
        if status == AttendanceStatus.PRESENT:
            counts["self_checked_in"] = int(self_count or 0)
    return Summary(**counts)


# Self check-in ------------------------------------------------------------------------------


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


def window(session: ProgrammeSession) -> tuple[datetime, datetime]:
    """When self check-in for the session opens and closes."""
    return session.starts_at - CHECK_IN_OPENS_BEFORE, session.ends_at + CHECK_IN_CLOSES_AFTER


def is_window_open(session: ProgrammeSession, now: datetime) -> bool:
    opens, closes = window(session)
    return opens <= now <= closes


def _in_centre_time(moment: datetime, session: ProgrammeSession) -> str:
    zone = session.programme.centre.timezone
    return _("%(time)s (%(zone)s)", time=format_in_zone(moment, zone), zone=zone)


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
    attendance = _existing(session, [registration.id]).get(registration.id)
    if attendance is not None and attendance.status == AttendanceStatus.PRESENT:
        return CheckInResult(session, registration, attendance, already_present=True)
    before = attendance.status if attendance is not None else None
    if attendance is None:
        attendance = Attendance(registration_id=registration.id, session_id=session.id)
        db.session.add(attendance)
    attendance.status = AttendanceStatus.PRESENT
    attendance.is_self_check_in = True
    attendance.recorded_by_id = user.id
    attendance.recorded_at = now
    _audit_change(
        "attendance.check_in", session, registration, before, AttendanceStatus.PRESENT, user
    )
    _flush_or_retry_message()
    return CheckInResult(session, registration, attendance, already_present=False)
