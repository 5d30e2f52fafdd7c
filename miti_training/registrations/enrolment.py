"""A participant registers for a programme, or changes their answers later.

first_come takes a seat (else the waiting list, else ProgrammeFull); review records an
application and tells the centre. One registration per person and programme: a withdrawn one
is reused when they register again.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from miti_training.errors import (
    AlreadyRegistered,
    DomainError,
    FieldError,
    PermissionDenied,
    RegistrationClosed,
)
from miti_training.extensions import db
from miti_training.formatting import status_words
from miti_training.models import (
    Programme,
    Registration,
    RegistrationStatus,
    User,
    utcnow,
)
from miti_training.registrations import (
    nominated,
    notifications,
    placing,
    prerequisites,
    seats,
    states,
    window,
)
from miti_training.registrations.access import is_owner
from miti_training.registrations.answers import cleaned_details
from miti_training.registrations.locking import lock_programme, reload
from miti_training.registrations.policy import decided_by_staff

S = RegistrationStatus
_UNREAD = object()


def check_user(user: User) -> None:
    """Only an enabled account with a confirmed address registers."""
    if not user.is_enabled:
        raise DomainError(
            _l("Your account is deactivated; contact the centre to register for a programme.")
        )
    if not user.is_confirmed:
        raise DomainError(
            _l(
                "Confirm your email address before registering: open the link we emailed you, or ask for a new link on your profile page."
            )
        )


def check_can_register(programme: Programme, user: User, now: datetime | None = None) -> None:
    """Raise the DomainError that refuses user a new registration now, saying why.

    The account, a nomination under the nomination policy, then the window and a seat or the
    waiting list (window.check_open), then the programmes it requires
    (prerequisites.PrerequisitesMissing).
    """
    check_user(user)
    nominated.check_nominated(programme, user)
    window.check_open(programme, now)
    prerequisites.require_prerequisites(programme, user)


def profile_snapshot(user: User) -> dict:
    """The profile as it is now: the registration keeps what the centre was told."""
    city = user.member_city
    return {
        "full_name": user.full_name,
        "email": user.email,
        "member_city_id": city.id if city is not None else None,
        "organisation": city.name if city is not None else "",
        "country": city.country if city is not None else "",
        "job_title": user.job_title or "",
    }


def snapshot_profile(registration: Registration, user: User) -> None:
    """Copy the profile as it is now into registration."""
    for name, value in profile_snapshot(user).items():
        setattr(registration, name, value)


def existing_registration(programme: Programme, user: User) -> Registration | None:
    return db.session.scalars(
        select(Registration).where(
            Registration.programme_id == programme.id, Registration.user_id == user.id
        )
    ).first()


def _already(existing: Registration) -> AlreadyRegistered:
    status = existing.status
    if status == S.APPLIED:
        message = _l(
            "You have already applied for this programme; your application is waiting for review."
        )
    elif status == S.CONFIRMED:
        message = _l("You are already registered for this programme; your place is confirmed.")
    elif status == S.WAITLISTED:
        message = _l(
            "You are already on the waiting list of this programme (position %(position)d).",
            position=existing.waitlist_position or 0,
        )
    elif status == S.DECLINED:
        message = _l(
            "Your application for this programme was declined; contact the centre if you think this is a mistake."
        )
    else:
        message = _l("You already have a registration for this programme.")
    return AlreadyRegistered(message, registration=existing)


def register(
    programme: Programme,
    user: User,
    *,
    answers: dict,
    motivation: str = "",
    accessibility_needs: str = "",
    dietary_needs: str = "",
    consent_data: bool,
    consent_listing: bool,
    consent_photos: bool = False,
    existing: Registration | None | object = _UNREAD,
) -> Registration:
    """Register user for programme by its enrolment policy.

    existing: the user's registration for programme if the caller has just read it
    (existing_registration), so it is not read twice; the statements that write check it
    again.

    Refused (DomainError subclasses), in this order, as the register page does: an existing
    registration that is not withdrawn (AlreadyRegistered.registration), then
    check_can_register(), then no consent to data processing or, under review, no motivation.

    Everything is checked, read and rendered before the programme's row is locked; the lock
    is taken by the UPDATE that places the registration (seats.enter, which checks the window
    again), then come its INSERT, the audit entry and the email, and the caller's COMMIT.
    """
    if existing is _UNREAD:
        existing = existing_registration(programme, user)
    if existing is not None and existing.status != S.WITHDRAWN:
        raise _already(existing)
    check_can_register(programme, user)
    if consent_data is not True:
        raise FieldError(
            _l(
                "Agree to the processing of your personal data: the centre needs it to register you."
            ),
            field="consent_data",
        )
    values = cleaned_details(
        programme,
        answers=answers,
        motivation=motivation,
        accessibility_needs=accessibility_needs,
        dietary_needs=dietary_needs,
    )
    values |= profile_snapshot(user)
    now = utcnow()
    values |= {
        "consent_data_at": now,
        "consent_listing_at": now if consent_listing else None,
        "consent_photos_at": now if consent_photos else None,
        "decided_by_id": None,
        "decided_at": None,
    }
    registration = existing or Registration(programme=programme, user=user, **values)
    previous = existing.status if existing is not None else ""
    emails = notifications.prepare_new(registration, _outcomes(programme), values)

    reason = "registered again after withdrawing" if existing is not None else ""
    if existing is None and placing.possible() and emails.fillable():
        # Its status is the statement's; the entry is written by the statement too.
        entry = states.record("registration.register", registration, user, "", "", reason)
        db.session.expunge(entry)
        try:
            # The window's own clock (None), as check_can_register read it.
            seats.enter(programme, None, placing.InOneStatement(registration, entry, emails))
        except IntegrityError:
            _already_inserted(registration)
        nominated.mark_applied(registration, user)
        return registration
    values["status"], values["waitlist_position"], _row = seats.enter(programme, None)
    if existing is None:
        _insert(registration, values)
    else:
        _register_again(existing, values)
    states.record(
        "registration.register", registration, user, previous, registration.status, reason
    )
    nominated.mark_applied(registration, user)
    emails.queue(registration)
    return registration


#: Seats left at which a first_come registration may go either way: others registering at
#: the same moment (a server's threads, 16 by default) may take them before its turn.
UNCERTAIN_SEATS = 16


def _outcomes(programme: Programme) -> tuple[RegistrationStatus, ...]:
    """The statuses whose emails are rendered before the lock: the one the programme as read
    gives, or both while few seats are left and a waiting list is open. Another outcome
    (seats taken or freed meanwhile) has its emails rendered once it is known, in the lock
    (PreparedEmails.queue)."""
    if decided_by_staff(programme):
        return (S.APPLIED,)
    if programme.is_waitlist_enabled and 0 < programme.seats_left <= UNCERTAIN_SEATS:
        return (S.CONFIRMED, S.WAITLISTED)
    return (S.CONFIRMED,) if window.seats_free(programme) else (S.WAITLISTED,)


def _insert(registration: Registration, values: dict) -> None:
    registration.status = values["status"]
    registration.waitlist_position = values["waitlist_position"]
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError:
        _already_inserted(registration)


def _already_inserted(registration: Registration) -> None:
    """The INSERT failed: another request of the same person got in between the check and
    the insert (anything else is raised again)."""
    db.session.rollback()
    other = existing_registration(registration.programme, registration.user)
    if other is not None:
        raise _already(other) from None
    raise


def _register_again(registration: Registration, values: dict) -> None:
    """The withdrawn registration takes values, unless another request took it up first."""
    taken_up = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id, Registration.status == S.WITHDRAWN)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if taken_up.rowcount != 1:
        db.session.rollback()
        raise _already(reload(registration))
    for name, value in values.items():
        set_committed_value(registration, name, value)


def update_answers(
    registration: Registration,
    user: User,
    *,
    answers: dict,
    motivation: str,
    accessibility_needs: str,
    dietary_needs: str,
    consent_listing: bool,
) -> None:
    """The participant changes their answers while applied/confirmed and the window is open."""
    if not is_owner(user, registration):
        raise PermissionDenied()
    check_user(user)
    programme = lock_programme(registration.programme)
    registration = reload(registration)
    if not states.allows(registration.status, "edit"):
        raise DomainError(
            _l(
                "Your registration is %(status)s; answers can be changed only while it is applied or confirmed.",
                status=status_words(registration.status),
            )
        )
    try:
        window.check_window(programme)
    except RegistrationClosed as closed:
        raise RegistrationClosed(
            _l("%(why)s Your answers can no longer be changed.", why=closed.message)
        ) from None
    new = cleaned_details(
        programme,
        answers=answers,
        motivation=motivation,
        accessibility_needs=accessibility_needs,
        dietary_needs=dietary_needs,
    )
    changed = [name for name, value in new.items() if getattr(registration, name) != value]
    for name in changed:
        setattr(registration, name, new[name])
    if bool(consent_listing) != (registration.consent_listing_at is not None):
        registration.consent_listing_at = utcnow() if consent_listing else None
        changed.append("consent_listing")
    if not changed:
        return
    db.session.flush()
    states.record(
        "registration.update",
        registration,
        user,
        registration.status,
        registration.status,
        "changed: " + ", ".join(changed),
    )
