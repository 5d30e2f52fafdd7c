"""The seat counter and the waiting list: taking and freeing seats, positions 1..n, placing a
registration by the first_come rule and promoting the first in line when a seat is free.

Invariant: programmes.seats_taken equals the registrations holding a seat (confirmed, and
offered: a freed seat held for the first in line) and never exceeds the capacity; waitlisted registrations hold positions 1..n without gaps, the others none, and
programmes.waitlist_length is n. Callers hold the programme's row lock
(locking.lock_programme), except enter(), whose UPDATE takes the lock itself.
"""

from datetime import datetime

from sqlalchemy import case, select, update
from sqlalchemy.orm.attributes import set_committed_value

from miti_training.errors import ProgrammeFull
from miti_training.extensions import db
from miti_training.models import (
    Programme,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    utcnow,
)
from miti_training.registrations import notifications, offering, states, window
from miti_training.registrations.locking import lock_programme, mark_locked
from miti_training.registrations.policy import decided_by_staff
from miti_training.registrations.window import FULL_WITHOUT_WAITLIST

S = RegistrationStatus
#: The statuses counted in seats_taken.
HOLDS_SEAT = frozenset({S.CONFIRMED, S.OFFERED})
_COUNTERS = ("seats_taken", "waitlist_length", "updated_at")


def _update(programme: Programme, conditions, **values):
    """A conditional UPDATE of the programme's counters, returning them."""
    return (
        update(Programme)
        .where(Programme.id == programme.id, *conditions)
        # The column's onupdate, given here: inside a WITH it would not be filled in.
        .values(**values, updated_at=utcnow())
        .returning(Programme.id, *(getattr(Programme, name) for name in _COUNTERS))
        .execution_options(synchronize_session=False)
    )


def locked_by(programme: Programme, row) -> None:
    """A matching UPDATE returned row (the new counters): it holds the lock until the commit."""
    mark_locked()
    for name in _COUNTERS:
        set_committed_value(programme, name, getattr(row, name))


def _run(programme: Programme, statement):
    row = db.session.execute(statement).first()
    if row is not None:
        locked_by(programme, row)
    return row


def _counted(programme: Programme, conditions, **values):
    """One conditional UPDATE of the programme's counters; the new counters, or None when
    the conditions do not hold. A matching UPDATE holds the row lock until the commit."""
    return _run(programme, _update(programme, conditions, **values))


def _placings(programme: Programme, conditions) -> list:
    """(status, UPDATE) in the first_come rule's order: a free seat, else the end of the
    waiting list if the programme has one. The waiting list's position is its new length."""
    return [
        (
            S.CONFIRMED,
            _update(
                programme,
                [*conditions, Programme.seats_taken < Programme.capacity],
                seats_taken=Programme.seats_taken + 1,
            ),
        ),
        (
            S.WAITLISTED,
            _update(
                programme,
                [
                    *conditions,
                    Programme.seats_taken >= Programme.capacity,
                    Programme.is_waitlist_enabled,
                ],
                waitlist_length=Programme.waitlist_length + 1,
            ),
        ),
    ]


def _in_one_statement(programme: Programme, conditions):
    """PostgreSQL: the same rule as _placings in one UPDATE, for a larger statement. The row
    is locked inside the statement first (FOR UPDATE in its WITH, no round trip of its own),
    so the seat test and the counters read the same version; `confirmed` says which."""
    locked = (
        select(Programme.id, (Programme.seats_taken < Programme.capacity).label("seat"))
        .where(Programme.id == programme.id, *conditions)
        .with_for_update()
        .cte("locked")
    )
    return (
        update(Programme)
        .where(Programme.id == locked.c.id)
        .values(
            seats_taken=Programme.seats_taken + case((locked.c.seat, 1), else_=0),
            waitlist_length=Programme.waitlist_length + case((locked.c.seat, 0), else_=1),
            updated_at=utcnow(),
        )
        .returning(
            Programme.id,
            *(getattr(Programme, name) for name in _COUNTERS),
            locked.c.seat.label("confirmed"),
        )
        .execution_options(synchronize_session=False)
    )


def _claim(programme: Programme, conditions) -> tuple[RegistrationStatus, int | None] | None:
    """The first_come rule where conditions hold; None when neither placing is possible."""
    for status, statement in _placings(programme, conditions):
        row = _run(programme, statement)
        if row is not None:
            return status, row.waitlist_length if status == S.WAITLISTED else None
    return None


def enter(programme: Programme, now: datetime | None, place=None):
    """Where a participant's new registration goes: (status, waiting-list position, row).

    review: applied; first_come: a seat, else the waiting list. The window (window.open_now)
    is checked again inside the UPDATE, which takes the programme's row lock itself, so
    nothing is read while the lock is held. place(status, update) may run the UPDATE inside
    a larger statement (returning its row, or None when nothing matched; status None: the
    row's `confirmed` decides); by default each UPDATE runs alone. When nothing matches, the lock is taken to say why
    (window.check_open raises), or to place them if a seat was freed meanwhile.
    """
    now = now or window.utcnow()
    still_open = [window.open_now(now)]
    if decided_by_staff(programme):
        # No counter changes; the UPDATE only locks and re-checks (a cancellation waits).
        placings = [(S.APPLIED, _update(programme, still_open, seats_taken=Programme.seats_taken))]
    elif place is not None:
        placings = [(None, _in_one_statement(programme, still_open))]  # the row says which
    else:
        placings = _placings(programme, still_open)
    for attempt in (1, 2):
        for status, statement in placings:
            row = place(status, statement) if place else db.session.execute(statement).first()
            if row is not None:
                locked_by(programme, row)
                if status is None:
                    status = S.CONFIRMED if row.confirmed else S.WAITLISTED
                return status, row.waitlist_length if status == S.WAITLISTED else None, row
        if attempt == 1:
            lock_programme(programme)
            window.check_open(programme, now)
    raise AssertionError("with the lock held and the window open, a placing matches")


def take_seat(programme: Programme) -> bool:
    """One conditional UPDATE: True if a seat was free and is now taken."""
    return (
        _counted(
            programme,
            [
                Programme.seats_taken < Programme.capacity,
                Programme.status == ProgrammeStatus.PUBLISHED,
            ],
            seats_taken=Programme.seats_taken + 1,
        )
        is not None
    )


def free_seat(programme: Programme) -> None:
    _counted(programme, [Programme.seats_taken > 0], seats_taken=Programme.seats_taken - 1)


def join_waitlist(programme: Programme) -> int:
    """The waiting list grows by one: the position at its end."""
    return _counted(programme, [], waitlist_length=Programme.waitlist_length + 1).waitlist_length


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
        _counted(
            registration.programme,
            [Programme.waitlist_length > 0],
            waitlist_length=Programme.waitlist_length - 1,
        )


def move(registration: Registration, new_position: int) -> tuple[int, int]:
    """Put a waitlisted registration at new_position, clamped to 1..n; others close up.

    Returns (old position, new position).
    """
    programme = registration.programme
    new_position = min(max(new_position, 1), programme.waitlist_length)
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
    registration.offer_expires_at = None
    if previous in HOLDS_SEAT:
        registration.status = new_status
        registration.waitlist_position = None
        db.session.flush()
        free_seat(registration.programme)
    elif previous == S.WAITLISTED:
        leave_waitlist(registration, new_status)
    else:
        registration.status = new_status
        registration.waitlist_position = None
    return previous


def place(programme: Programme, registration: Registration) -> None:
    """The first_come rule for staff (any time while published): a seat if one is free, else
    the waiting list if on, else refuse."""
    placed = _claim(programme, [Programme.status == ProgrammeStatus.PUBLISHED])
    if placed is None:
        raise ProgrammeFull(FULL_WITHOUT_WAITLIST)
    registration.status, registration.waitlist_position = placed
    db.session.flush()


def promote(programme: Programme, actor, now: datetime | None = None) -> list[Registration]:
    """Confirm waitlisted registrations, first in line first, while seats are free; or, when
    the programme's offers expire, offer them the seats (offering.offer)."""
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
        promoted.append(first)
        if programme.offers_expire:
            leave_waitlist(first, S.OFFERED)
            offering.offer(first, actor, now)
            continue
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
