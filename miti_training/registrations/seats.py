"""The seat counter and the waiting list: taking and freeing seats, positions 1..n, placing a
registration by the first_come rule and promoting the first in line when a seat is free.

Invariant: programmes.seats_taken equals the confirmed registrations and never exceeds the
capacity; waitlisted registrations hold positions 1..n without gaps, the others none. Callers
hold the programme's row lock (locking.lock_programme).
"""

from sqlalchemy import func, select, update

from miti_training.errors import ProgrammeFull
from miti_training.extensions import db
from miti_training.models import (
    Programme,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    utcnow,
)
from miti_training.registrations import notifications, states
from miti_training.registrations.window import FULL_WITHOUT_WAITLIST

S = RegistrationStatus


def take_seat(programme: Programme) -> bool:
    """One conditional UPDATE: True if a seat was free and is now taken."""
    result = db.session.execute(
        update(Programme)
        .where(
            Programme.id == programme.id,
            Programme.seats_taken < Programme.capacity,
            Programme.status == ProgrammeStatus.PUBLISHED,
        )
        .values(seats_taken=Programme.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(programme, ["seats_taken", "updated_at"])
    return result.rowcount == 1


def _free_seat(programme: Programme) -> None:
    db.session.execute(
        update(Programme)
        .where(Programme.id == programme.id, Programme.seats_taken > 0)
        .values(seats_taken=Programme.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(programme, ["seats_taken", "updated_at"])


def next_position(programme: Programme) -> int:
    """The position at the end of the waiting list."""
    db.session.flush()
    last = db.session.scalar(
        select(func.max(Registration.waitlist_position)).where(
            Registration.programme_id == programme.id,
            Registration.status == S.WAITLISTED,
        )
    )
    return (last or 0) + 1


def _waitlist_length(programme: Programme) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.programme_id == programme.id, Registration.status == S.WAITLISTED)
    )


def _shift_positions(programme: Programme, first: int, last: int | None, delta: int) -> None:
    """Add delta to the positions first..last (last None: to the end) of the waiting list."""
    db.session.flush()
    condition = [
        Registration.programme_id == programme.id,
        Registration.status == S.WAITLISTED,
        Registration.waitlist_position >= first,
    ]
    if last is not None:
        condition.append(Registration.waitlist_position <= last)
    db.session.execute(
        update(Registration)
        .where(*condition)
        .values(waitlist_position=Registration.waitlist_position + delta)
        .execution_options(synchronize_session="fetch")
    )


def leave_waitlist(registration: Registration, new_status: RegistrationStatus) -> None:
    """Change a waitlisted registration's status and close the gap it leaves."""
    old = registration.waitlist_position
    registration.status = new_status
    registration.waitlist_position = None
    db.session.flush()
    if old is not None:
        _shift_positions(registration.programme, old + 1, None, -1)


def move(registration: Registration, new_position: int) -> tuple[int, int]:
    """Put a waitlisted registration at new_position, clamped to 1..n; others close up.

    Returns (old position, new position).
    """
    programme = registration.programme
    new_position = min(max(new_position, 1), _waitlist_length(programme))
    old = registration.waitlist_position
    if old == new_position:
        return old, new_position
    registration.waitlist_position = None
    db.session.flush()
    if new_position < old:
        _shift_positions(programme, new_position, old - 1, +1)
    else:
        _shift_positions(programme, old + 1, new_position, -1)
    registration.waitlist_position = new_position
    db.session.flush()
    return old, new_position


def leave(registration: Registration, new_status: RegistrationStatus) -> RegistrationStatus:
    """Move an active registration out (declined/withdrawn), keeping seats and positions right.

    Returns the status it had.
    """
    previous = registration.status
    if previous == S.CONFIRMED:
        registration.status = new_status
        registration.waitlist_position = None
        db.session.flush()
        _free_seat(registration.programme)
    elif previous == S.WAITLISTED:
        leave_waitlist(registration, new_status)
    else:
        registration.status = new_status
        registration.waitlist_position = None
    return previous


def place(programme: Programme, registration: Registration) -> None:
    """The first_come rule: a seat if one is free, else the waiting list if on, else refuse."""
    if take_seat(programme):
        registration.status = S.CONFIRMED
        registration.waitlist_position = None
    elif programme.is_waitlist_enabled:
        registration.status = S.WAITLISTED
        registration.waitlist_position = next_position(programme)
    else:
        raise ProgrammeFull(FULL_WITHOUT_WAITLIST)
    db.session.flush()


def promote(programme: Programme, actor) -> list[Registration]:
    """Confirm waitlisted registrations, first in line first, while seats are free."""
    promoted = []
    if not states.can_change(programme):
        return promoted
    while True:
        db.session.flush()
        first = db.session.scalars(
            select(Registration)
            .where(Registration.programme_id == programme.id, Registration.status == S.WAITLISTED)
            .order_by(Registration.waitlist_position, Registration.id)
            .limit(1)
        ).first()
        if first is None or not take_seat(programme):
            return promoted
        leave_waitlist(first, S.CONFIRMED)
        first.decided_by_id = None
        first.decided_at = utcnow()
        db.session.flush()
        states.record(
            "registration.promote",
            first,
            actor,
            S.WAITLISTED,
            S.CONFIRMED,
            "A seat became free; first on the waiting list.",
        )
        notifications.notify_promoted(first)
        promoted.append(first)
