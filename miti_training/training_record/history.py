"""What an official did in the network: every registration, in any centre and year, with its
status, the sessions attended and the certificate.

A few statements whatever the length of the record: the registrations with their programmes
and centres, the sessions attended per registration, the sessions per programme, the
certificates.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from miti_training.attendance.completion import attendance_percent, is_completed
from miti_training.extensions import db
from miti_training.models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    Programme,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
    User,
)


@dataclass(frozen=True)
class RecordRow:
    registration: Registration
    programme: Programme
    present: int
    #: Sessions of the programme (the attendance counts only for a confirmed place).
    total: int
    #: The valid certificate, if any.
    certificate: Certificate | None

    @property
    def percent(self) -> int:
        return attendance_percent(self.present, self.total)

    @property
    def took_part(self) -> bool:
        """A confirmed place: what a transcript lists."""
        return self.registration.status == RegistrationStatus.CONFIRMED

    @property
    def completed(self) -> bool:
        """Attested by a certificate, or attended enough by the programme's threshold."""
        return self.certificate is not None or (
            self.took_part
            and is_completed(self.present, self.total, self.programme.completion_threshold)
        )

    @property
    def starts_on(self) -> date | None:
        return self.programme.starts_on


def _newest_first(row: RecordRow):
    return (row.starts_on or date.max, row.registration.id)


def record_of(user: User, *, leave_out: Registration | None = None) -> list[RecordRow]:
    """Every registration of user, newest programme first (leave_out: one not to list)."""
    query = (
        select(Registration)
        .where(Registration.user_id == user.id)
        .options(
            selectinload(Registration.programme).selectinload(Programme.centre),
            selectinload(Registration.programme).selectinload(Programme.translations),
        )
    )
    if leave_out is not None:
        query = query.where(Registration.id != leave_out.id)
    registrations = list(db.session.scalars(query))
    if not registrations:
        return []
    ids = [r.id for r in registrations]
    programme_ids = {r.programme_id for r in registrations}
    present = dict(
        db.session.execute(
            select(Attendance.registration_id, func.count(Attendance.id))
            .join(Registration, Registration.id == Attendance.registration_id)
            .join(
                ProgrammeSession,
                and_(
                    ProgrammeSession.id == Attendance.session_id,
                    # Only sessions of the registration's own programme count.
                    ProgrammeSession.programme_id == Registration.programme_id,
                ),
            )
            .where(
                Attendance.registration_id.in_(ids),
                Attendance.status == AttendanceStatus.PRESENT,
            )
            .group_by(Attendance.registration_id)
        ).all()
    )
    sessions = dict(
        db.session.execute(
            select(ProgrammeSession.programme_id, func.count(ProgrammeSession.id))
            .where(ProgrammeSession.programme_id.in_(programme_ids))
            .group_by(ProgrammeSession.programme_id)
        ).all()
    )
    certificates = {
        c.registration_id: c
        for c in db.session.scalars(
            select(Certificate).where(
                Certificate.registration_id.in_(ids), Certificate.revoked_at.is_(None)
            )
        )
    }
    rows = [
        RecordRow(
            registration=r,
            programme=r.programme,
            present=present.get(r.id, 0),
            total=sessions.get(r.programme_id, 0),
            certificate=certificates.get(r.id),
        )
        for r in registrations
    ]
    return sorted(rows, key=_newest_first, reverse=True)
