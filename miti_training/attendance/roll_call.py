"""Attendance: the coordinators' roll call per session, and how any attendance is recorded.

Only confirmed registrations of the session's programme have attendance, and only while the
programme is published or completed (a draft has no participants; a cancelled programme has
no sessions to attend). Every change is audited with the session's title as its detail;
saving a status that is already recorded changes nothing and audits nothing. The
participants' own check-in (attendance.check_in) records through the same functions.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from miti_training import audit
from miti_training.errors import DomainError
from miti_training.extensions import db
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


# Errors -------------------------------------------------------------------------------------


class NotConfirmed(DomainError):
    """Attendance is only for confirmed participants."""


class AttendanceNotTaken(DomainError):
    """The programme is a draft or cancelled: there is nobody to take attendance of."""


# Rules --------------------------------------------------------------------------------------


#: Recording attendance earlier than this before a session starts is most likely a slip of
#: the wrong session; the roll call asks for a confirmation first.
EARLY_RECORDING = timedelta(days=1)


def is_far_ahead(session: ProgrammeSession, now: datetime | None = None) -> bool:
    """Whether session starts more than EARLY_RECORDING from now."""
    return session.starts_at - (now or utcnow()) > EARLY_RECORDING


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


def recorded(session: ProgrammeSession, registration_ids) -> dict[int, Attendance]:
    """registration id -> its attendance row for session, for those already recorded."""
    rows = db.session.scalars(
        select(Attendance).where(
            Attendance.session_id == session.id, Attendance.registration_id.in_(registration_ids)
        )
    )
    return {row.registration_id: row for row in rows}


def write(
    session: ProgrammeSession,
    registration: Registration,
    attendance: Attendance | None,
    status: AttendanceStatus,
    actor: User | None,
    now: datetime,
    *,
    self_check_in: bool = False,
) -> Attendance:
    """Set registration's status for session on its row (a new one if None), and audit it."""
    before = attendance.status if attendance is not None else None
    if attendance is None:
        attendance = Attendance(registration_id=registration.id, session_id=session.id)
        db.session.add(attendance)
    attendance.status = status
    attendance.is_self_check_in = self_check_in
    attendance.recorded_by_id = actor.id if actor is not None else None
    attendance.recorded_at = now
    audit.record(
        "attendance.check_in" if self_check_in else "attendance.record",
        actor=actor,
        programme=session.programme,
        registration=registration,
        from_state=before.value if before is not None else "",
        to_state=status.value,
        reason=session.title,
    )
    return attendance


def flush_or_retry_message() -> None:
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
    attendance = recorded(session, [registration.id]).get(registration.id)
    if attendance is not None and attendance.status == status:
        return attendance
    attendance = write(session, registration, attendance, status, actor, utcnow())
    flush_or_retry_message()
    return attendance


@dataclass(frozen=True)
class RollCallResult:
    """What saving a roll call did."""

    #: Rows created or changed (each one audited).
    changed: int
    #: Registration ids left alone: not (or no longer) confirmed for this programme.
    skipped: int


def confirmed_registrations(programme: Programme, ids=None) -> list[Registration]:
    """Confirmed registrations of programme (those of ids only, if given) with their member
    city, by name (then address) whatever the case; two statements."""
    query = (
        select(Registration)
        .where(
            Registration.programme_id == programme.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .options(selectinload(Registration.member_city))
    )
    if ids is not None:
        query = query.where(Registration.id.in_(list(ids)))
    found = db.session.scalars(query).all()
    # Sorted here, not in SQL: the order is then the same on SQLite and PostgreSQL.
    return sorted(found, key=lambda r: ((r.full_name or r.email).casefold(), r.id))


def record_many(
    session: ProgrammeSession,
    statuses: Mapping[int, AttendanceStatus | str],
    actor: User | None,
) -> RollCallResult:
    """Save a whole roll call at once: three SELECTs, then one flush; unchanged rows untouched.

    Ids that are not confirmed registrations of the session's programme (withdrawn since the
    page was shown, or foreign) are skipped and counted, never recorded.
    """
    programme = session.programme
    require_attendance_taken(programme)
    wanted = {int(registration_id): _status(value) for registration_id, value in statuses.items()}
    if not wanted:
        return RollCallResult(changed=0, skipped=0)
    registrations = confirmed_registrations(programme, wanted)
    existing = recorded(session, [r.id for r in registrations])
    now = utcnow()
    changed = 0
    for registration in registrations:
        status = wanted[registration.id]
        attendance = existing.get(registration.id)
        if attendance is not None and attendance.status == status:
            continue
        write(session, registration, attendance, status, actor, now)
        changed += 1
    flush_or_retry_message()
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
        _confirmed_with_attendance(
            select(Attendance.status, func.count(Registration.id), self_checked).select_from(
                Registration
            ),
            session,
        ).group_by(Attendance.status)
    ).all()
    counts = {"present": 0, "absent": 0, "excused": 0, "unmarked": 0, "self_checked_in": 0}
    for status, count, self_count in rows:
        counts[AttendanceStatus(status).value if status is not None else "unmarked"] += count
        if status == AttendanceStatus.PRESENT:
            counts["self_checked_in"] = int(self_count or 0)
    return Summary(**counts)
