"""A focal point withdraws a nomination of their city before selection: its place goes back
to the city, and an application made on it is withdrawn by registrations' own service."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from miti_training import audit
from miti_training.errors import DomainError
from miti_training.extensions import db
from miti_training.formatting import status_words
from miti_training.models import Nomination, NominationStatus, RegistrationStatus, utcnow
from miti_training.nominations import allocations, notifications
from miti_training.nominations.nominating import refuse_unless_city, require_focal_point
from miti_training.registrations import decisions
from miti_training.registrations.locking import lock_programme
from miti_training.registrations.nominated import ACTIVE_NOMINATION


def withdraw(nomination: Nomination, *, actor) -> Nomination:
    """Withdraw nomination (of actor's city); refused once the centre decided on the
    application, and when it is withdrawn already (the place is given back exactly once)."""
    focal_point = require_focal_point(actor)
    refuse_unless_city(nomination, focal_point)
    programme = lock_programme(nomination.programme)
    nomination = db.session.scalars(
        select(Nomination)
        .where(Nomination.id == nomination.id)
        .execution_options(populate_existing=True)
    ).one()
    registration = nomination.registration
    applied = registration is not None and registration.status != RegistrationStatus.WITHDRAWN
    if applied and registration.status != RegistrationStatus.APPLIED:
        raise DomainError(
            _l(
                "The centre has already decided on this application (%(status)s): the nomination can no longer be withdrawn. Write to the centre if needed.",
                status=status_words(registration.status),
            )
        )
    previous = nomination.status
    withdrawn = db.session.execute(
        update(Nomination)
        .where(Nomination.id == nomination.id, Nomination.status.in_(ACTIVE_NOMINATION))
        .values(
            status=NominationStatus.WITHDRAWN,
            withdrawn_at=utcnow(),
            withdrawn_by_id=actor.id,
            token_hash=None,
        )
        .execution_options(synchronize_session=False)
    )
    if withdrawn.rowcount != 1:
        raise DomainError(_l("This nomination has already been withdrawn."))
    allocations.give_back(programme, nomination.member_city_id)
    if applied:
        # The system withdraws on the focal point's behalf; the nomination's entry names them.
        decisions.withdraw(registration, actor=None)
    db.session.expire(nomination)
    audit.record(
        "nomination.withdraw",
        actor=actor,
        programme=programme,
        subject_user=nomination.user,
        from_state=previous.value,
        to_state=NominationStatus.WITHDRAWN.value,
        reason=focal_point.member_city.name,
    )
    if not applied:
        notifications.notify_withdrawn(nomination)
    return nomination
