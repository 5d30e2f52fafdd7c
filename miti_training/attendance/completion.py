"""Who completed a programme: the attendance threshold rule, and each participant's standing.

A participant completed a programme when their registration is confirmed and they were marked
present at no less than the programme's completion threshold (a percentage) of its sessions.
Excused absences count as absences: the certificate states attendance, and an excused
participant did not attend. A programme without sessions has nobody completing it.
"""

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from miti_training.extensions import db
from miti_training.models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    Programme,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
)


@dataclass(frozen=True)
class CompletionRow:
    """One confirmed participant's attendance against the programme's rule."""

    registration: Registration
    present: int
    total: int
    threshold: int
    #: The valid certificate, if any.
    certificate: Certificate | None
    #: The latest revoked certificate, when there is no valid one.
    revoked: Certificate | None = None

    @property
    def percent(self) -> int:
        return attendance_percent(self.present, self.total)

    @property
    def completed(self) -> bool:
        return is_completed(self.present, self.total, self.threshold)


def attendance_percent(present: int, total: int) -> int:
    """Share of sessions attended, rounded down (so 79.9% never shows as 80%)."""
    return present * 100 // total if total else 0


def is_completed(present: int, total: int, threshold: int) -> bool:
    """present out of total reaches threshold percent (in integers: no rounding at the edge)."""
    return total > 0 and present * 100 >= threshold * total


def _attendance_statement(programme: Programme):
    """(Registration, present, total) for the programme's confirmed registrations, in one query."""
    total = (
        select(func.count(ProgrammeSession.id))
        .where(ProgrammeSession.programme_id == programme.id)
        .scalar_subquery()
    )
    present = func.count(Attendance.id)
    return (
        select(Registration, present.label("present"), total.label("total"))
        .outerjoin(
            Attendance,
            and_(
                Attendance.registration_id == Registration.id,
                Attendance.status == AttendanceStatus.PRESENT,
                # Only sessions of this programme count (a stray row never inflates the share).
                Attendance.session_id.in_(
                    select(ProgrammeSession.id).where(ProgrammeSession.programme_id == programme.id)
                ),
            ),
        )
        .where(
            Registration.programme_id == programme.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .group_by(Registration.id)
    )


def _certificates_by_registration(
    registration_ids: list[int],
) -> dict[int, tuple[Certificate | None, Certificate | None]]:
    """registration id -> (valid certificate, latest revoked one), in one query."""
    found: dict[int, tuple[Certificate | None, Certificate | None]] = {}
    if not registration_ids:
        return found
    certificates = db.session.scalars(
        select(Certificate)
        .where(Certificate.registration_id.in_(registration_ids))
        .order_by(Certificate.issued_at, Certificate.id)
    )
    for certificate in certificates:
        valid, revoked = found.get(certificate.registration_id, (None, None))
        if certificate.is_revoked:
            revoked = certificate
        else:
            valid = certificate
        found[certificate.registration_id] = (valid, revoked)
    return found


def _row(registration, present, total, threshold, certificates) -> CompletionRow:
    valid, revoked = certificates.get(registration.id, (None, None))
    return CompletionRow(
        registration=registration,
        present=present,
        total=total,
        threshold=threshold,
        certificate=valid,
        revoked=None if valid else revoked,
    )


def completion_for(programme: Programme) -> list[CompletionRow]:
    """Every confirmed participant of programme with their attendance and certificate, by name.

    Three statements whatever the number of participants: the aggregate, the accounts, the
    certificates.
    """
    statement = (
        _attendance_statement(programme)
        .options(selectinload(Registration.user))
        .order_by(func.lower(Registration.full_name), Registration.id)
    )
    rows = db.session.execute(statement).all()
    certificates = _certificates_by_registration([r.id for r, _p, _t in rows])
    threshold = programme.completion_threshold
    return [
        _row(registration, present, total, threshold, certificates)
        for registration, present, total in rows
    ]


def completion_of(registration: Registration) -> CompletionRow:
    """One registration's row (it need not be confirmed: then it has not completed)."""
    programme = registration.programme
    statement = _attendance_statement(programme).where(Registration.id == registration.id)
    row = db.session.execute(statement).first()
    present, total = (row[1], row[2]) if row else (0, len(programme.sessions))
    certificates = _certificates_by_registration([registration.id])
    return _row(registration, present, total, programme.completion_threshold, certificates)
