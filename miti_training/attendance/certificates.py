"""Certificates of attendance: who completed a programme, issuing, revoking, the PDF, checking.

A participant completed a programme when their registration is confirmed and they were marked
present at no less than the programme's completion threshold (a percentage) of its sessions.
Excused absences count as absences: the certificate states attendance, and an excused
participant did not attend. A programme without sessions has nobody completing it.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from miti_training import audit
from miti_training.attendance import codes
from miti_training.errors import DomainError, FieldError
from miti_training.extensions import db
from miti_training.formatting import LANGUAGES, text_direction
from miti_training.mail import notify
from miti_training.models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    Programme,
    ProgrammeSession,
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
    codes: list[str] = []
    while len(codes) < count:
        candidates = {new_code() for _ in range(count - len(codes))} - set(codes)
        taken = set(
            db.session.scalars(select(Certificate.code).where(Certificate.code.in_(candidates)))
        )
        codes.extend(candidates - taken)
    return codes


# Completion ----------------------------------------------------------------------------------


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
        """Share of sessions attended, rounded down (so 79.9% never shows as 80%)."""
        return self.present * 100 // self.total if self.total else 0

    @property
    def completed(self) -> bool:
        return is_completed(self.present, self.total, self.threshold)


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
    result = []
    for registration, present, total in rows:
        valid, revoked = certificates.get(registration.id, (None, None))
        result.append(
            CompletionRow(
                registration=registration,
                present=present,
                total=total,
                threshold=programme.completion_threshold,
                certificate=valid,
                revoked=None if valid else revoked,
            )
        )
    return result


def completion_of(registration: Registration) -> CompletionRow:
    """One registration's row (it need not be confirmed: then it has not completed)."""
    programme = registration.programme
    statement = _attendance_statement(programme).where(Registration.id == registration.id)
    row = db.session.execute(statement).first()
    present, total = (row[1], row[2]) if row else (0, len(programme.sessions))
    valid, revoked = _certificates_by_registration([registration.id]).get(
        registration.id, (None, None)
    )
    return CompletionRow(
        registration=registration,
        present=present,
        total=total,
        threshold=programme.completion_threshold,
        certificate=valid,
        revoked=None if valid else revoked,
    )


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


def _notify_issued(certificate: Certificate) -> None:
    """Tell the participant (if they still have an account) where to download the certificate."""
    registration = certificate.registration
    user = registration.user
    if user is None or not user.email:
        return
    programme = registration.programme
    language = _language(user.preferred_language)
    title = programme.text_in(language).title
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


# The PDF -------------------------------------------------------------------------------------


def _language(code: str | None) -> str:
    languages = LANGUAGES
    return code if code in languages else languages[0]


def _only_data_urls():
    """A fetcher that loads data: URIs only, so rendering never reaches the network or disk."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"})


def _qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark="#1a1a1a")


def certificate_html(certificate: Certificate, locale: str) -> str:
    """The certificate as an HTML page in locale (the PDF's source)."""
    from miti_training.formatting import date_range

    language = _language(locale)
    registration = certificate.registration
    programme = registration.programme
    centre = programme.centre
    verify_url = external_url("certificates.verify", code=certificate.code)
    with force_locale(language):
        issued_local = certificate.issued_at.astimezone(ZoneInfo(centre.timezone))
        return render_template(
            "certificates/pdf.html",
            certificate=certificate,
            programme=programme,
            text=programme.text_in(language),
            centre=centre,
            dates=date_range(programme.starts_on, programme.ends_on),
            issued_on=babel_dates.format_skeleton("yMMMMd", issued_local, locale=language),
            sessions=len(programme.sessions),
            lang=language,
            direction=text_direction(language),
            verify_url=verify_url,
            qr=_qr_data_uri(verify_url),
        )


def render_pdf(certificate: Certificate, locale: str) -> bytes:
    """The certificate as an A4 landscape PDF in locale's language."""
    from weasyprint import HTML

    html = certificate_html(certificate, locale)
    return HTML(string=html, url_fetcher=_only_data_urls()).write_pdf()


def pdf_filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.code}.pdf"
