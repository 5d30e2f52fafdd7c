"""Personal data: a participant's own copy of it, and deleting the account.

Deleting keeps the registrations, anonymised, so the centres' counts and statistics stay
right; the user row itself is deleted (every foreign key to users.id is SET NULL, or CASCADE
for the staff roles).
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from miti_training import audit
from miti_training.accounts.data_rows import iso, registration_data, transcript_data
from miti_training.attendance import certificates
from miti_training.errors import DomainError, WrongPassword
from miti_training.extensions import db
from miti_training.models import (
    ACTIVE_STATUSES,
    Attendance,
    AuditEntry,
    Centre,
    Certificate,
    Membership,
    MembershipRole,
    Programme,
    ProgrammeQuestion,
    ProgrammeStatus,
    Registration,
    Transcript,
    User,
    utcnow,
)
from miti_training.registrations import decisions
from miti_training.registrations.answers import answer_key

#: Version of the layout of the downloaded file, for whoever reads it with a program.
EXPORT_FORMAT = 1
#: Internal revocation reason (staff see it; the public page never says why).
REVOCATION_REASON = "account deleted"


# The participant's copy of their data --------------------------------------------------------


def _actor(entry: AuditEntry, user: User) -> str:
    """Who acted, without naming anybody else: "you", "staff" or "system"."""
    if entry.actor_id is None:
        return "system"
    return "you" if entry.actor_id == user.id else "staff"


def personal_data(user: User) -> dict:
    """Everything the system holds about user, as JSON-ready data.

    One query per kind of row (registrations, translations, questions, attendance,
    certificates, audit entries, roles, transcripts), whatever the number of registrations.
    Other people appear only as "staff" or "system".
    """
    registrations = list(
        db.session.scalars(
            select(Registration)
            .where(Registration.user_id == user.id)
            .options(
                joinedload(Registration.member_city),
                joinedload(Registration.programme).options(
                    joinedload(Programme.centre), selectinload(Programme.translations)
                ),
            )
            .order_by(Registration.created_at, Registration.id)
        ).unique()
    )
    ids = [registration.id for registration in registrations]
    programme_ids = {registration.programme_id for registration in registrations}
    questions, attendance, issued = {}, {}, {}
    if ids:
        for question in db.session.scalars(
            select(ProgrammeQuestion).where(ProgrammeQuestion.programme_id.in_(programme_ids))
        ):
            questions[answer_key(question)] = question
        for row in db.session.scalars(
            select(Attendance)
            .where(Attendance.registration_id.in_(ids))
            .options(joinedload(Attendance.session))
        ):
            attendance.setdefault(row.registration_id, []).append(row)
        for certificate in db.session.scalars(
            select(Certificate)
            .where(Certificate.registration_id.in_(ids))
            .order_by(Certificate.issued_at, Certificate.id)
        ):
            issued.setdefault(certificate.registration_id, []).append(certificate)
    about_user = AuditEntry.subject_user_id == user.id
    entries = db.session.scalars(
        select(AuditEntry)
        .where(or_(about_user, AuditEntry.registration_id.in_(ids)) if ids else about_user)
        .order_by(AuditEntry.created_at, AuditEntry.id)
    ).all()
    roles = db.session.scalars(
        select(Membership)
        .where(Membership.user_id == user.id)
        .options(joinedload(Membership.centre))
        .order_by(Membership.granted_at, Membership.id)
    ).all()
    transcripts = db.session.scalars(
        select(Transcript)
        .where(Transcript.user_id == user.id)
        .order_by(Transcript.issued_at, Transcript.id)
    ).all()
    city = user.member_city
    return {
        "format": EXPORT_FORMAT,
        "exported_at": iso(utcnow()),
        "profile": {
            "full_name": user.full_name,
            "email": user.email,
            "member_city": {"name": city.name, "country": city.country} if city else None,
            "job_title": user.job_title,
            "preferred_language": user.preferred_language,
            "timezone": user.timezone,
            "is_admin": user.is_admin,
            "created_at": iso(user.created_at),
            "email_confirmed_at": iso(user.email_confirmed_at),
            "password_changed_at": iso(user.password_changed_at),
            "last_login_at": iso(user.last_login_at),
            "has_calendar_feed": user.calendar_token is not None,
        },
        "staff_roles": [
            {
                "centre": role.centre.name,
                "role": str(role.role),
                "granted_at": iso(role.granted_at),
            }
            for role in roles
        ],
        "registrations": [
            registration_data(
                registration,
                user,
                questions,
                attendance.get(registration.id, []),
                issued.get(registration.id, []),
            )
            for registration in registrations
        ],
        "history": [
            {
                "action": entry.action,
                "at": iso(entry.created_at),
                "registration_id": entry.registration_id,
                "from_state": entry.from_state,
                "to_state": entry.to_state,
                "by": _actor(entry, user),
            }
            for entry in entries
        ],
        "transcripts": [transcript_data(transcript) for transcript in transcripts],
    }


# Deleting the account ------------------------------------------------------------------------


@dataclass(frozen=True)
class Deletion:
    """What deleting an account did, in counts (nothing personal)."""

    anonymised: int
    withdrawn: int
    revoked: int


def _sole_director_of(user: User) -> list[str]:
    """Names of the centres where user is the only enabled director."""
    own = select(Membership.centre_id).where(
        Membership.user_id == user.id, Membership.role == MembershipRole.DIRECTOR
    )
    return list(
        db.session.scalars(
            select(Centre.name)
            .join(Membership, Membership.centre_id == Centre.id)
            .join(User, User.id == Membership.user_id)
            .where(
                Centre.id.in_(own),
                Membership.role == MembershipRole.DIRECTOR,
                User.is_enabled.is_(True),
            )
            .group_by(Centre.id, Centre.name)
            .having(func.count(func.distinct(Membership.user_id)) == 1)
            .order_by(Centre.name)
        )
    )


def deletion_blocker(user: User):
    """Why user may not delete their account now (a message), or None.

    An administrator must first lose the rights (another administrator removes them), and
    the only director of a centre must first have another director appointed, so no account
    deletion leaves the network or a centre without anyone in charge.
    """
    if user.is_admin:
        return _l(
            "You are an administrator. Ask another administrator to remove your administrator rights first; then you can delete your account."
        )
    centres = _sole_director_of(user)
    if centres:
        return _l(
            "You are the only director of %(centres)s. Ask an administrator to appoint another director first; then you can delete your account.",
            centres=", ".join(centres),
        )
    return None


def _has_ended(programme: Programme, now: datetime) -> bool:
    """True once the programme's last day is over in its centre's time zone."""
    if programme.ends_on is None:
        return False
    return programme.ends_on < now.astimezone(ZoneInfo(programme.centre.timezone)).date()


def _to_withdraw(registration: Registration, now: datetime) -> bool:
    programme = registration.programme
    return (
        registration.status in ACTIVE_STATUSES
        and programme.status == ProgrammeStatus.PUBLISHED
        and not _has_ended(programme, now)
    )


def _own_registrations(user: User) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.user_id == user.id)
            .options(
                joinedload(Registration.programme).options(
                    joinedload(Programme.centre), selectinload(Programme.translations)
                )
            )
            .order_by(Registration.id)
        ).unique()
    )


def registrations_to_withdraw(user: User) -> list[Registration]:
    """The active registrations that deleting the account withdraws (programme not ended)."""
    now = utcnow()
    return [r for r in _own_registrations(user) if _to_withdraw(r, now)]


def _anonymise(registration: Registration) -> None:
    """Clear everything that identifies the person; keep what the statistics count.

    Status, programme, member city, country and the timestamps stay: a country alone does
    not identify anybody, and the network's statistics are by city, country and region.
    """
    registration.user = None
    registration.full_name = ""
    registration.email = ""
    registration.organisation = ""
    registration.job_title = ""
    registration.motivation = ""
    registration.accessibility_needs = ""
    registration.dietary_needs = ""
    registration.answers = {}


def delete_account(user: User, password: str) -> Deletion:
    """Delete user's account after checking the password, in the caller's transaction.

    Active registrations of programmes that have not ended are withdrawn through enrolment
    (seat freed, the waiting list promoted; the participant gets enrolment's usual email per
    withdrawal); every registration is then anonymised, not deleted; certificates are
    revoked and lose the printed name; roles go with the user row.
    """
    blocker = deletion_blocker(user)
    if blocker is not None:
        raise DomainError(blocker)
    if not user.check_password(password or ""):
        raise WrongPassword()
    now = utcnow()
    registrations = _own_registrations(user)
    withdrawn = 0
    for registration in registrations:
        if _to_withdraw(registration, now):
            decisions.withdraw(registration, actor=user)
            withdrawn += 1
    revoked = 0
    ids = [registration.id for registration in registrations]
    if ids:
        for certificate in db.session.scalars(
            select(Certificate)
            .where(Certificate.registration_id.in_(ids))
            .options(joinedload(Certificate.registration))
        ):
            if not certificate.is_revoked:
                certificates.revoke(certificate, user, REVOCATION_REASON)
                revoked += 1
            certificate.full_name = ""
    for registration in registrations:
        _anonymise(registration)
    audit.record(
        "account.delete",
        reason=(
            f"{len(registrations)} registrations anonymised, {withdrawn} withdrawn, "
            f"{revoked} certificates revoked"
        ),
    )
    db.session.flush()
    db.session.delete(user)
    db.session.flush()
    return Deletion(anonymised=len(registrations), withdrawn=withdrawn, revoked=revoked)
