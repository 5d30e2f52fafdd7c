"""Whether an official was put forward for a programme, and what applying does to that.

The nominations package above decides who is nominated; this module only reads and marks
the rows, so applying and signing up need nothing from above.
"""

from sqlalchemy import func, or_, select, update

from miti_training.errors import NotNominated
from miti_training.extensions import db
from miti_training.models import (
    Nomination,
    NominationStatus,
    Programme,
    Registration,
    User,
    normalise_email,
)
from miti_training.registrations.policy import by_nomination

#: A nomination that still counts: put forward, or applied on.
ACTIVE_NOMINATION = (NominationStatus.NOMINATED, NominationStatus.APPLIED)


def _of_user(user: User):
    """The user's nominations: by account, or by an invitation to their address not taken up."""
    return or_(
        Nomination.user_id == user.id,
        (Nomination.user_id.is_(None))
        & (func.lower(Nomination.email) == normalise_email(user.email or "")),
    )


def active_nomination(programme: Programme, user) -> Nomination | None:
    """user's nomination for programme that still counts, if any."""
    if user is None or not getattr(user, "is_authenticated", False) or user.id is None:
        return None
    return db.session.scalars(
        select(Nomination).where(
            Nomination.programme_id == programme.id,
            Nomination.status.in_(ACTIVE_NOMINATION),
            _of_user(user),
        )
    ).first()


def may_apply(programme: Programme, user) -> bool:
    """Under the nomination policy, only a nominated official; under any other, anyone."""
    return not by_nomination(programme) or active_nomination(programme, user) is not None


def check_nominated(programme: Programme, user: User) -> None:
    """NotNominated unless user may apply to programme."""
    if not may_apply(programme, user):
        raise NotNominated()


def mark_applied(registration: Registration, user: User) -> None:
    """The application takes up the nomination: applied, linked to the registration.

    A conditional UPDATE: a nomination withdrawn in the meantime is not taken up, and the
    application is refused (the caller's transaction is rolled back)."""
    programme = registration.programme
    if not by_nomination(programme):
        return
    marked = db.session.execute(
        update(Nomination)
        .where(
            Nomination.programme_id == programme.id,
            Nomination.status.in_(ACTIVE_NOMINATION),
            _of_user(user),
        )
        .values(status=NominationStatus.APPLIED, registration_id=registration.id, user_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if marked.rowcount == 0:
        raise NotNominated()


def attach_nominations(user: User) -> int:
    """Give a new account the nominations sent to its address; how many."""
    if not user.is_confirmed:
        return 0
    return db.session.execute(
        update(Nomination)
        .where(
            Nomination.user_id.is_(None),
            func.lower(Nomination.email) == normalise_email(user.email),
        )
        .values(user_id=user.id)
        .execution_options(synchronize_session=False)
    ).rowcount
