"""What happens to a seat offered from the waiting list: the participant accepts it (confirmed)
or declines it, or its deadline passes and it goes to the next in line.

Each change locks the programme row first (locking), like every registration change. An
expiry is also claimed by one conditional UPDATE (still offered, deadline passed), so several
sweeps running at once expire each offer exactly once and offer its seat on exactly once.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from miti_training.errors import OfferExpired, PermissionDenied, TransitionNotAllowed
from miti_training.extensions import db
from miti_training.formatting import status_words
from miti_training.models import (
    Programme,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    utcnow,
)
from miti_training.registrations import notifications, seats, states
from miti_training.registrations.access import is_owner
from miti_training.registrations.locking import lock_programme, reload

S = RegistrationStatus
#: The audit reason of an offer that passed to the next person.
EXPIRED_REASON = "offer expired"


def _begin(registration: Registration, actor) -> Registration:
    """Lock, reload, and check that it is the participant's own offer."""
    programme = lock_programme(registration.programme)
    registration = reload(registration)
    if not is_owner(actor, registration):
        raise PermissionDenied()
    states.require_published(programme)
    if registration.status != S.OFFERED:
        raise TransitionNotAllowed(
            _l(
                "This registration is %(status)s; no seat is offered to you.",
                status=status_words(registration.status),
            ),
            from_status=registration.status,
        )
    return registration


def accept(registration: Registration, *, actor, now: datetime | None = None) -> Registration:
    """The participant takes the seat offered to them, before its deadline: confirmed."""
    now = now or utcnow()
    registration = _begin(registration, actor)
    if not states.offer_open(registration, now):
        raise OfferExpired()
    registration.status = S.CONFIRMED
    registration.offer_expires_at = None
    registration.decided_at = now
    db.session.flush()
    states.record("registration.accept_offer", registration, actor, S.OFFERED, S.CONFIRMED, "")
    notifications.notify_outcome(registration)
    return registration


def decline(
    registration: Registration, *, actor, now: datetime | None = None
) -> list[Registration]:
    """The participant gives the offered seat up (withdrawn); it goes to the next in line,
    whom the returned list names."""
    registration = _begin(registration, actor)
    programme = registration.programme
    seats.leave(registration, S.WITHDRAWN)
    db.session.flush()
    states.record("registration.decline_offer", registration, actor, S.OFFERED, S.WITHDRAWN, "")
    notifications.notify_withdrawn(registration, by_staff=False)
    return seats.promote(programme, actor, now)


def due(now: datetime | None = None, limit: int = 200) -> list[int]:
    """Ids of the offers whose deadline has passed, of published programmes, oldest first."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(Registration.id)
            .join(Programme, Programme.id == Registration.programme_id)
            .where(
                Registration.status == S.OFFERED,
                Registration.offer_expires_at <= now,
                Programme.status == ProgrammeStatus.PUBLISHED,
            )
            .order_by(Registration.offer_expires_at, Registration.id)
            .limit(limit)
        )
    )


def expire(registration_id: int, now: datetime | None = None) -> bool:
    """Decline one offer whose deadline has passed and offer its seat to the next in line.

    False when there is nothing to do: accepted, declined or expired by someone else since it
    was listed. The programme is locked first, then the offer is claimed by a conditional
    UPDATE; only the one that matches frees the seat, emails and offers it on.
    """
    now = now or utcnow()
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        return False
    programme = lock_programme(registration.programme)
    if not states.can_change(programme):
        return False
    claimed = db.session.execute(
        update(Registration)
        .where(
            Registration.id == registration_id,
            Registration.status == S.OFFERED,
            Registration.offer_expires_at <= now,
        )
        .values(
            status=S.DECLINED,
            offer_expires_at=None,
            waitlist_position=None,
            decided_by_id=None,
            decided_at=now,
            updated_at=now,
        )
        .returning(Registration.id)
        .execution_options(synchronize_session=False)
    ).first()
    if claimed is None:
        return False
    registration = reload(registration)
    seats.free_seat(programme)
    states.record(
        "registration.offer_expire", registration, None, S.OFFERED, S.DECLINED, EXPIRED_REASON
    )
    notify_expired(registration)
    seats.promote(programme, None, now)
    return True


def notify_expired(registration: Registration) -> None:
    notifications.notify_participant(
        registration,
        "registration_offer_expired",
        lambda title: _l("The seat offered to you has passed on: %(title)s", title=title),
    )
