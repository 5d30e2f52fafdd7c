"""Status changes after registering: staff confirm, waitlist, decline, reinstate and move; the
participant (or staff) withdraws; free seats go to the waiting list; a cancelled programme
cancels its registrations.

Each one locks the programme row, reloads the registration, checks who acts and the
transition table (states), keeps seats and positions right (seats), writes the audit entry
and emails the participant after commit.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from miti_training.errors import DomainError, FieldError, PermissionDenied, ProgrammeFull
from miti_training.extensions import db
from miti_training.models import (
    ACTIVE_STATUSES,
    Programme,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    utcnow,
)
from miti_training.registrations import notifications, seats, states
from miti_training.registrations.access import is_owner, is_staff, require_staff
from miti_training.registrations.answers import clean_reason
from miti_training.registrations.locking import lock_programme, reload
from miti_training.registrations.policy import decided_by_staff

S = RegistrationStatus


@dataclass(frozen=True)
class Outcome:
    """A registration that left (declined, withdrawn) and whom its seat went to, in order."""

    registration: Registration
    promoted: tuple[Registration, ...] = ()


def _begin(registration: Registration, actor, *, staff_only: bool) -> Registration:
    """Lock, reload and check who may act; returns the fresh registration."""
    programme = lock_programme(registration.programme)
    registration = reload(registration)
    if staff_only:
        require_staff(actor, programme)
    elif not (is_owner(actor, registration) or is_staff(actor, programme)):
        raise PermissionDenied()
    return registration


def _begin_change(
    registration: Registration, actor, target: RegistrationStatus, reason: str = ""
) -> tuple[Registration, str]:
    """_begin (withdrawing is the participant's too, every other change staff's only), then
    the reason, the transition table and a published programme."""
    registration = _begin(registration, actor, staff_only=target != S.WITHDRAWN)
    reason = clean_reason(reason)
    states.check_transition(registration, target)
    states.require_published(registration.programme)
    return registration, reason


def mark_decided(registration: Registration, actor) -> None:
    """Who decided (None: the system) and when."""
    registration.decided_by_id = actor.id if actor is not None else None
    registration.decided_at = utcnow()


def _decided(verb: str, registration: Registration, actor, previous, reason: str = "") -> None:
    """Staff decided: who and when, flushed, audited as "registration.<verb>"."""
    mark_decided(registration, actor)
    db.session.flush()
    states.record(
        f"registration.{verb}", registration, actor, previous, registration.status, reason
    )


def _told(
    verb: str, registration: Registration, actor, previous, reason: str = "", **context
) -> Registration:
    """_decided, then the participant is told where the registration now stands; returns it."""
    _decided(verb, registration, actor, previous, reason)
    notifications.notify_outcome(registration, reason=reason, **context)
    return registration


def confirm(registration: Registration, *, actor, reason: str = "") -> Registration:
    """Staff confirm an applied or waitlisted registration (it takes a free seat), or one
    offered a seat (the seat it holds)."""
    registration, reason = _begin_change(registration, actor, S.CONFIRMED, reason)
    programme = registration.programme
    previous = registration.status
    if previous == S.OFFERED:  # the seat is already held for them
        registration.status = S.CONFIRMED
        registration.offer_expires_at = None
        return _told("confirm", registration, actor, previous, reason)
    if not seats.take_seat(programme):
        raise ProgrammeFull(_l("No seat is free; waitlist the application or free a seat first."))
    if previous == S.WAITLISTED:
        seats.leave_waitlist(registration, S.CONFIRMED)
    else:
        registration.status = S.CONFIRMED
    return _told("confirm", registration, actor, previous, reason)


def waitlist(registration: Registration, *, actor, reason: str = "") -> Registration:
    """Staff put an applied registration at the end of the waiting list."""
    registration, reason = _begin_change(registration, actor, S.WAITLISTED, reason)
    programme = registration.programme
    if not programme.is_waitlist_enabled:
        raise DomainError(
            _l("This programme has no waiting list; confirm or decline the application.")
        )
    previous = registration.status
    registration.status = S.WAITLISTED
    registration.waitlist_position = seats.join_waitlist(programme)
    return _told("waitlist", registration, actor, previous, reason)


def decline(registration: Registration, *, actor, reason: str = "") -> Outcome:
    """Staff decline an application or cancel a confirmed registration, whose seat goes to the
    first on the waiting list (Outcome.promoted)."""
    registration, reason = _begin_change(registration, actor, S.DECLINED, reason)
    programme = registration.programme
    previous = seats.leave(registration, S.DECLINED)
    _decided("decline", registration, actor, previous, reason)
    held = previous in seats.HOLDS_SEAT
    notifications.notify_declined(registration, reason=reason, was_confirmed=held)
    promoted = seats.promote(programme, actor) if held else []
    return Outcome(registration, tuple(promoted))


def withdraw(registration: Registration, *, actor) -> Outcome:
    """The participant (or staff for them) withdraws; a confirmed seat is offered on."""
    registration, _reason = _begin_change(registration, actor, S.WITHDRAWN)
    programme = registration.programme
    previous = seats.leave(registration, S.WITHDRAWN)
    by_staff = not is_owner(actor, registration)
    if by_staff:
        mark_decided(registration, actor)
    db.session.flush()
    states.record(
        "registration.withdraw",
        registration,
        actor,
        previous,
        S.WITHDRAWN,
        "withdrawn by staff" if by_staff else "",
    )
    notifications.notify_withdrawn(registration, by_staff=by_staff)
    promoted = seats.promote(programme, actor) if previous in seats.HOLDS_SEAT else []
    return Outcome(registration, tuple(promoted))


def reinstate(registration: Registration, *, actor) -> Registration:
    """Declined or withdrawn -> back in: applied (review), else a seat or the waiting list."""
    registration = _begin(registration, actor, staff_only=True)
    programme = registration.programme
    states.check_action(registration, "reinstate")
    states.require_published(programme)
    previous = registration.status
    if decided_by_staff(programme):
        registration.status = S.APPLIED
    else:
        seats.place(programme, registration)
    return _told("reinstate", registration, actor, previous, reinstated=True)


def move_on_waitlist(registration: Registration, new_position: int, *, actor) -> None:
    """Put a waitlisted registration at new_position (clamped to 1..n); others close up."""
    registration = _begin(registration, actor, staff_only=True)
    states.check_action(registration, "move")
    states.require_published(registration.programme)
    try:
        new_position = int(new_position)
    except (TypeError, ValueError):
        raise FieldError(_l("Enter a position as a whole number."), field="position") from None
    old, new_position = seats.move(registration, new_position)
    if old == new_position:
        return
    states.record(
        "registration.move",
        registration,
        actor,
        S.WAITLISTED,
        S.WAITLISTED,
        f"position {old} -> {new_position}",
    )


def promote_waitlisted(programme: Programme, *, actor) -> list[Registration]:
    """Fill free seats from the waiting list, in order (call after raising the capacity)."""
    require_staff(actor, programme)
    programme = lock_programme(programme)
    return seats.promote(programme, actor)


def cancel_for_programme(programme: Programme, *, actor, reason) -> list[Registration]:
    """The programme is cancelled: every active registration is cancelled and notified.

    Positions are cleared, the seat counter returns to zero; returns the registrations.
    Only for a programme already marked cancelled (programmes.lifecycle.cancel_programme does that).
    """
    programme = lock_programme(programme)
    if programme.status != ProgrammeStatus.CANCELLED:
        raise DomainError(_l("Registrations are cancelled only when the programme is cancelled."))
    registrations = list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.programme_id == programme.id,
                Registration.status.in_(ACTIVE_STATUSES),
            )
            .options(selectinload(Registration.user))
            .order_by(Registration.id)
        )
    )
    for registration in registrations:
        previous = registration.status
        registration.status = S.CANCELLED
        registration.waitlist_position = None
        registration.offer_expires_at = None
        states.record("registration.cancel", registration, actor, previous, S.CANCELLED, reason)
        notifications.notify_cancelled(registration, reason)
    programme.seats_taken = 0
    programme.waitlist_length = 0
    db.session.flush()
    return registrations
