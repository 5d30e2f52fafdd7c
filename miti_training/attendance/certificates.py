"""Certificates of attendance: their codes, issuing and revoking them, and the public check.

Who completed a programme is decided in attendance.completion; the printed certificate is
made in attendance.certificate_pdf.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from miti_training import audit
from miti_training.attendance import codes
from miti_training.attendance.completion import CompletionRow, completion_for, completion_of
from miti_training.errors import DomainError, FieldError
from miti_training.extensions import db
from miti_training.formatting import interface_language
from miti_training.mail import notify
from miti_training.models import (
    Certificate,
    Programme,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    utcnow,
)
from miti_training.registrations.locking import lock_programme
from miti_training.urls import external_url

#: 12 symbols of 5 bits: 60 random bits, printed as XXXX-XXXX-XXXX.
CODE_LENGTH = 12
#: Longest revocation reason kept.
MAX_REASON = 1000


class AlreadyIssued(DomainError):
    """The registration already has a valid certificate; `certificate` is that one."""

    def __init__(self, message=None, certificate=None):
        super().__init__(message)
        self.certificate = certificate


# Codes ---------------------------------------------------------------------------------------


def new_code() -> str:
    """A random code in its printed form, e.g. "7K3M-Q9TX-2HRB"."""
    return codes.grouped(codes.random_code(CODE_LENGTH))


def normalise_code(text: str | None) -> str | None:
    """The printed form of a typed code (any case, dashes and spaces optional); None if invalid."""
    raw = codes.normalise(text, CODE_LENGTH)
    return codes.grouped(raw) if raw else None


def _unused_codes(count: int) -> list[str]:
    """count new codes, none already taken (checked in one query; the unique key stays the
    last line of defence)."""
    found: list[str] = []
    while len(found) < count:
        candidates = {new_code() for _ in range(count - len(found))} - set(found)
        taken = set(
            db.session.scalars(select(Certificate.code).where(Certificate.code.in_(candidates)))
        )
        found.extend(candidates - taken)
    return found


# Issuing and revoking ------------------------------------------------------------------------


def not_issuable_reason(programme: Programme, now: datetime | None = None) -> str | None:
    """Why programme gives no certificates yet, in words; None when it does."""
    if programme.status not in (ProgrammeStatus.PUBLISHED, ProgrammeStatus.COMPLETED):
        return _("Certificates are issued only for published or completed programmes.")
    if not programme.sessions:
        return _("This programme has no sessions, so nobody can complete it.")
    if programme.status != ProgrammeStatus.COMPLETED:
        last_end = max(session.ends_at for session in programme.sessions)
        if last_end > (now or utcnow()):
            return _("Certificates can be issued once the last session has ended.")
    return None


def printed_name(registration: Registration) -> str:
    """The name to print: the account's current name, else the name given at registration."""
    user = registration.user
    return ((user.full_name if user is not None else "") or registration.full_name or "").strip()


def _create(row: CompletionRow, actor, code: str) -> Certificate:
    registration = row.registration
    certificate = Certificate(
        registration=registration,
        code=code,
        full_name=printed_name(registration)[:200],
        attendance_percent=row.percent,
        issued_by_id=actor.id if actor is not None else None,
        issued_at=utcnow(),
    )
    db.session.add(certificate)
    audit.record(
        "certificate.issue",
        actor=actor,
        programme=registration.programme,
        registration=registration,
        to_state=code,
    )
    _notify_issued(certificate)
    return certificate


def _refusal(row: CompletionRow) -> DomainError | None:
    """Why this participant gets no certificate (the programme itself being eligible)."""
    registration = row.registration
    if registration.status != RegistrationStatus.CONFIRMED:
        return DomainError(_("Only confirmed participants receive a certificate."))
    if row.certificate is not None:
        return AlreadyIssued(
            _(
                "%(name)s already has a certificate (%(code)s).",
                name=row.certificate.full_name,
                code=row.certificate.code,
            ),
            certificate=row.certificate,
        )
    if not row.completed:
        return DomainError(
            _(
                "%(name)s attended %(present)d of %(total)d sessions (%(percent)d%%); "
                "%(threshold)d%% are needed for a certificate.",
                name=printed_name(registration) or _("This participant"),
                present=row.present,
                total=row.total,
                percent=row.percent,
                threshold=row.threshold,
            )
        )
    if not printed_name(registration):
        return DomainError(_("This registration has been anonymised: there is no name to print."))
    return None


def issue(registration: Registration, actor) -> Certificate:
    """Issue a certificate to one participant who completed the programme.

    Raises AlreadyIssued when a valid certificate exists (revoke it first to issue a new one).
    """
    # Two coordinators clicking at once: the second waits, then sees the first certificate.
    lock_programme(registration.programme)
    reason = not_issuable_reason(registration.programme)
    if reason:
        raise DomainError(reason)
    row = completion_of(registration)
    refusal = _refusal(row)
    if refusal is not None:
        raise refusal
    certificate = _create(row, actor, _unused_codes(1)[0])
    db.session.flush()
    return certificate


def bulk_issue(programme: Programme, actor) -> int:
    """Issue certificates to every participant who completed and has none; how many were issued.

    A constant number of queries besides the inserts. The programme's row lock makes a
    second bulk issue (or a single one) wait and then find these certificates.
    """
    lock_programme(programme)
    reason = not_issuable_reason(programme)
    if reason:
        raise DomainError(reason)
    due = [row for row in completion_for(programme) if _refusal(row) is None]
    for row, code in zip(due, _unused_codes(len(due)), strict=True):
        _create(row, actor, code)
    db.session.flush()
    return len(due)


def revoke(certificate: Certificate, actor, reason: str) -> Certificate:
    """Revoke a certificate; the public page then says so. The reason stays internal."""
    reason = (reason or "").strip()
    if not reason:
        raise FieldError(_("Say why the certificate is revoked."), field="reason")
    if certificate.is_revoked:
        raise DomainError(_("This certificate has already been revoked."))
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = actor.id if actor is not None else None
    certificate.revocation_reason = reason[:MAX_REASON]
    registration = certificate.registration
    audit.record(
        "certificate.revoke",
        actor=actor,
        programme=registration.programme,
        registration=registration,
        from_state=certificate.code,
        to_state="revoked",
        reason=certificate.revocation_reason,
    )
    db.session.flush()
    return certificate


def participant_language(certificate: Certificate) -> str:
    """The language a certificate is printed in, whoever asks for it: its participant's
    preferred language, else (no account any more) the programme's original language."""
    registration = certificate.registration
    user = registration.user
    if user is not None and user.preferred_language:
        return interface_language(user.preferred_language)
    return interface_language(registration.programme.original_language)


def _notify_issued(certificate: Certificate) -> None:
    """Tell the participant (if they still have an account) where to download the certificate."""
    registration = certificate.registration
    user = registration.user
    if user is None or not user.email:
        return
    programme = registration.programme
    title = programme.text_in(participant_language(certificate)).title
    notify(
        user,
        "certificate_issued",
        _l("Your certificate of attendance: %(title)s", title=title),
        name=certificate.full_name,
        title=title,
        centre=programme.centre,
        code=certificate.code,
        download_link=external_url(
            "registrations.certificate_pdf", registration_id=registration.id
        ),
        verify_link=external_url("certificates.verify", code=certificate.code),
    )


# Queries for the pages -----------------------------------------------------------------------


def registration_in_programme(programme: Programme, registration_id: int) -> Registration | None:
    """A registration of programme by id, with its account (another programme's id gives None)."""
    return db.session.scalar(
        select(Registration)
        .where(Registration.id == registration_id, Registration.programme_id == programme.id)
        .options(selectinload(Registration.user))
    )


def certificate_in_programme(programme: Programme, certificate_id: int) -> Certificate | None:
    """A certificate of programme by id (another programme's id gives None)."""
    return db.session.scalar(
        select(Certificate)
        .join(Certificate.registration)
        .where(Certificate.id == certificate_id, Registration.programme_id == programme.id)
        .options(selectinload(Certificate.registration).selectinload(Registration.user))
    )


def valid_certificate(registration: Registration) -> Certificate | None:
    """The registration's certificate that is not revoked, if any."""
    return valid_certificates([registration]).get(registration.id)


def valid_certificates(registrations) -> dict[int, Certificate]:
    """registration id -> valid certificate, for many registrations in one query."""
    ids = [registration.id for registration in registrations]
    if not ids:
        return {}
    certificates = db.session.scalars(
        select(Certificate).where(
            Certificate.registration_id.in_(ids), Certificate.revoked_at.is_(None)
        )
    )
    return {certificate.registration_id: certificate for certificate in certificates}


@dataclass(frozen=True)
class Verification:
    """What the public may learn from a code: nothing beyond what is printed on the PDF."""

    code: str
    full_name: str
    programme_title: str
    programme_language: str
    starts_on: date | None
    ends_on: date | None
    centre_name: str
    centre_timezone: str
    issued_at: datetime
    revoked_at: datetime | None

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


def verify(code: str | None, language: str = "en") -> Verification | None:
    """The public facts of the certificate with this code (typed in any form), or None."""
    normalised = normalise_code(code)
    if normalised is None:
        return None
    certificate = db.session.scalar(
        select(Certificate)
        .where(Certificate.code == normalised)
        .options(
            selectinload(Certificate.registration)
            .selectinload(Registration.programme)
            .selectinload(Programme.centre),
            selectinload(Certificate.registration)
            .selectinload(Registration.programme)
            .selectinload(Programme.translations),
        )
    )
    if certificate is None:
        return None
    programme = certificate.registration.programme
    text = programme.text_in(language)
    return Verification(
        code=certificate.code,
        full_name=certificate.full_name,
        programme_title=text.title,
        programme_language=text.language,
        starts_on=programme.starts_on,
        ends_on=programme.ends_on,
        centre_name=programme.centre.name,
        centre_timezone=programme.centre.timezone,
        issued_at=certificate.issued_at,
        revoked_at=certificate.revoked_at,
    )
