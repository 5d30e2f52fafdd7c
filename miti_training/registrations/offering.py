"""Offering a freed seat to the first on the waiting list, for programmes whose offers expire.

The seat is already taken for them (seats.promote): an offered registration holds it until
they accept (confirmed), decline, or the deadline passes (offers.expire), so nobody else
takes it meanwhile. The deadline is the programme's offer_hours from the moment of the offer.
"""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from miti_training.extensions import db
from miti_training.models import Programme, Registration, RegistrationStatus, utcnow
from miti_training.registrations import notifications, states

S = RegistrationStatus


def deadline(programme: Programme, now: datetime) -> datetime:
    """Until when a seat offered at now is held."""
    return now + timedelta(hours=programme.offer_hours)


def offer(registration: Registration, actor, now: datetime | None = None) -> None:
    """The registration, just moved off the waiting list to offered, gets its deadline; the
    offer is audited and the participant emailed (after commit)."""
    now = now or utcnow()
    registration.offer_expires_at = deadline(registration.programme, now)
    registration.decided_by_id = None
    registration.decided_at = now
    db.session.flush()
    states.record(
        "registration.offer",
        registration,
        actor,
        S.WAITLISTED,
        S.OFFERED,
        f"A seat became free; offered until {registration.offer_expires_at.isoformat()}.",
    )
    notify_offered(registration)


def notify_offered(registration: Registration) -> None:
    """The offer and its deadline, in the centre's time and in the participant's own."""
    person = notifications.recipient(registration)
    notifications.notify_participant(
        registration,
        "registration_offered",
        lambda title: _l("A seat is offered to you: %(title)s", title=title),
        deadline=registration.offer_expires_at,
        own_zone=getattr(person, "timezone", None) or "",
    )
