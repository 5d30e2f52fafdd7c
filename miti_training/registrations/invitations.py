"""Staff register someone by email address: an account is registered at once (every account's
address is proven: docs/security.md, item 21); an unknown address gets a registration without
account and an invitation, which the account made later from that address's sign-up link
takes up."""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from miti_training.errors import AlreadyRegistered, DomainError, FieldError, ProgrammeFull
from miti_training.extensions import db
from miti_training.formatting import status_words
from miti_training.models import (
    ACTIVE_STATUSES,
    Programme,
    Registration,
    RegistrationStatus,
    User,
    normalise_email,
)
from miti_training.registrations import notifications, seats, states
from miti_training.registrations.access import require_staff
from miti_training.registrations.decisions import mark_decided
from miti_training.registrations.enrolment import existing_registration, snapshot_profile
from miti_training.registrations.locking import lock_programme, reload
from miti_training.registrations.policy import decided_by_staff
from miti_training.registrations.window import check_window

S = RegistrationStatus
MAX_EMAIL = 254
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def is_valid_address(email: str) -> bool:
    """email (normalised) looks like an address and fits the column."""
    return bool(_EMAIL.fullmatch(email)) and len(email) <= MAX_EMAIL


def register_on_behalf(programme: Programme, email: str, *, actor) -> Registration:
    """Staff register an official by address: an account is registered by the policy (no
    consents recorded: only the participant can give them); an unknown address gets an
    applied registration without account and an invitation to sign up."""
    require_staff(actor, programme)
    email = normalise_email(email or "")
    if not is_valid_address(email):
        raise FieldError(_l("Enter a valid email address."), field="email")
    programme = lock_programme(programme)
    check_window(programme)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None:
        return _register_account(programme, user, actor)
    invited = _invitation_for(programme, email)
    if invited is not None:
        raise AlreadyRegistered(
            _l("%(email)s has already been invited to this programme.", email=email),
            registration=invited,
        )
    registration = Registration(programme=programme, user_id=None, email=email)
    registration.status = S.APPLIED
    mark_decided(registration, actor)
    db.session.add(registration)
    db.session.flush()
    states.record(
        "registration.invite",
        registration,
        actor,
        "",
        S.APPLIED,
        "registered by staff; invited to create an account",
    )
    notifications.notify_invitation(registration)
    return registration


def _register_account(programme: Programme, user: User, actor) -> Registration:
    if not user.is_enabled:
        raise DomainError(_l("This account is deactivated; it cannot be registered."))
    existing = existing_registration(programme, user)
    if existing is not None and existing.status != S.WITHDRAWN:
        raise AlreadyRegistered(
            _l(
                "%(email)s already has a registration for this programme (%(status)s).",
                email=user.email,
                status=status_words(existing.status),
            ),
            registration=existing,
        )
    registration = existing or Registration(programme=programme, user=user)
    previous = existing.status if existing is not None else ""
    snapshot_profile(registration, user)
    registration.status = S.APPLIED
    registration.waitlist_position = None
    mark_decided(registration, actor)
    try:
        with db.session.begin_nested():
            db.session.add(registration)
            db.session.flush()
            if not decided_by_staff(programme):
                seats.place(programme, registration)
    except IntegrityError:
        other = existing_registration(programme, user)
        if other is not None:
            raise AlreadyRegistered(registration=other) from None
        raise
    states.record(
        "registration.register",
        registration,
        actor,
        previous,
        registration.status,
        "registered by staff",
    )
    notifications.notify_outcome(registration, by_staff=True)
    return registration


def _invitation_for(programme: Programme, email: str) -> Registration | None:
    return db.session.scalars(
        select(Registration).where(
            Registration.programme_id == programme.id,
            Registration.user_id.is_(None),
            func.lower(Registration.email) == email,
            Registration.status.in_(ACTIVE_STATUSES),
        )
    ).first()


def attach_invitations(user: User) -> list[Registration]:
    """Give a new or readdressed account the registrations staff made for its address.

    Only to a confirmed account (the guard stays although every account is one). A first_come
    programme then seats or waitlists the registration; under review it stays applied. If the
    person registered by themselves meanwhile, the invitation is removed.
    """
    if not user.is_confirmed or not user.is_enabled:
        return []
    invitations = list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.user_id.is_(None),
                func.lower(Registration.email) == normalise_email(user.email),
                Registration.status.in_(ACTIVE_STATUSES),
            )
            .order_by(Registration.id)
        )
    )
    attached = []
    for invitation in invitations:
        programme = lock_programme(invitation.programme)
        invitation = reload(invitation)
        if invitation.user_id is not None or invitation.status not in ACTIVE_STATUSES:
            continue
        if existing_registration(programme, user) is not None:
            states.record(
                "registration.invitation_merged", invitation, user, invitation.status, "", ""
            )
            db.session.delete(invitation)
            db.session.flush()
            continue
        invitation.user_id = user.id
        snapshot_profile(invitation, user)
        previous = invitation.status
        if (
            previous == S.APPLIED
            and not decided_by_staff(programme)
            and states.can_change(programme)
        ):
            try:
                with db.session.begin_nested():
                    seats.place(programme, invitation)
            except ProgrammeFull:
                invitation.status = S.APPLIED  # staff decide when the programme is full
        db.session.flush()
        states.record(
            "registration.attach",
            invitation,
            user,
            previous,
            invitation.status,
            "invitation taken up by the new account",
        )
        if invitation.status != previous:
            notifications.notify_outcome(invitation)
        attached.append(invitation)
    return attached
