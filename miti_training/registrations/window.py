"""The registration window: whether a programme takes registrations at a moment, and why not.

One list of conditions decides everywhere: registration_state() evaluates it on a loaded
programme (cards, pages, the API), open_now() turns the same list into the catalogue's SQL
filter, and check_window() / check_open() refuse the services' requests with the reason.
"""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_

from miti_training.errors import ProgrammeFull, RegistrationClosed
from miti_training.formatting import format_in_zone, zone_name
from miti_training.models import Programme, ProgrammeStatus, utcnow

FULL_WITHOUT_WAITLIST = _l("This programme is full and has no waiting list.")


class RegistrationState(enum.StrEnum):
    """Where a programme's registration stands, for cards, pages and the API."""

    NOT_OPEN_YET = "not_open_yet"  #: with the opening time
    OPEN = "open"  #: with the closing time
    WAITLIST = "waitlist"  #: full, waiting list open, with the closing time
    FULL = "full"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    DRAFT = "draft"

    @property
    def takes_registrations(self) -> bool:
        """A new registration gets a seat or a place on the waiting list."""
        return self in (RegistrationState.OPEN, RegistrationState.WAITLIST)

    @property
    def window_open(self) -> bool:
        """Between opening and closing on a published programme, full or not."""
        return self.takes_registrations or self == RegistrationState.FULL


# The conditions, in the order a refusal names them ---------------------------------------


class _OnProgramme:
    """The conditions' terms evaluated in Python on a loaded programme."""

    @staticmethod
    def unset_or(value, test) -> bool:
        return value is None or test(value)

    @staticmethod
    def set_and(value, test) -> bool:
        return value is not None and test(value)

    @staticmethod
    def either(*values) -> bool:
        return any(values)


class _InSql:
    """The same terms as SQL on the programmes table."""

    @staticmethod
    def unset_or(column, test):
        return or_(column.is_(None), test(column))

    @staticmethod
    def set_and(column, test):
        return and_(column.is_not(None), test(column))

    @staticmethod
    def either(*clauses):
        return or_(*clauses)


def seats_free(p):
    """A seat is free: on a Programme, or as SQL on the Programme class."""
    return p.seats_taken < p.capacity


def _conditions(p, now: datetime, terms) -> tuple:
    """(state when it fails, condition) for everything registration needs, in order.

    p is a Programme (terms=_OnProgramme) or the Programme class (terms=_InSql).
    """
    return (
        (RegistrationState.DRAFT, p.status != ProgrammeStatus.DRAFT),
        (RegistrationState.CANCELLED, p.status != ProgrammeStatus.CANCELLED),
        (RegistrationState.COMPLETED, p.status != ProgrammeStatus.COMPLETED),
        (
            RegistrationState.NOT_OPEN_YET,
            terms.unset_or(p.registration_opens_at, lambda opens: opens <= now),
        ),
        (
            RegistrationState.CLOSED,
            terms.set_and(p.registration_closes_at, lambda closes: closes > now),
        ),
        (RegistrationState.FULL, terms.either(seats_free(p), p.is_waitlist_enabled)),
    )


def registration_state(
    programme: Programme, now: datetime | None = None
) -> tuple[RegistrationState, datetime | None]:
    """The registration state of programme at now, with the moment that goes with it."""
    now = now or utcnow()
    for state, holds in _conditions(programme, now, _OnProgramme):
        if not holds:
            moment = programme.registration_opens_at
            return state, moment if state == RegistrationState.NOT_OPEN_YET else None
    state = RegistrationState.OPEN if seats_free(programme) else RegistrationState.WAITLIST
    return state, programme.registration_closes_at


def open_now(now: datetime | None = None):
    """SQL: the programme takes registrations at now (OPEN or WAITLIST)."""
    now = now or utcnow()
    return and_(*(condition for _state, condition in _conditions(Programme, now, _InSql)))


def is_window_open(programme: Programme, now: datetime | None = None) -> bool:
    """Between opening and closing on a published programme (full or not)."""
    return registration_state(programme, now)[0].window_open


# Refusals --------------------------------------------------------------------------------


def _closed(programme: Programme, state: RegistrationState) -> RegistrationClosed:
    zone = programme.centre.timezone
    opens, closes = programme.registration_opens_at, programme.registration_closes_at
    if state == RegistrationState.DRAFT:
        message = _l("This programme is not published yet; registration is not open.")
    elif state == RegistrationState.CANCELLED:
        message = _l("This programme has been cancelled; registration is closed.")
    elif state == RegistrationState.COMPLETED:
        message = _l("This programme has already taken place; registration is closed.")
    elif state == RegistrationState.NOT_OPEN_YET:
        message = _l(
            "Registration is not open yet: it opens on %(when)s (%(zone)s).",
            when=format_in_zone(opens, zone),
            zone=zone_name(zone),
        )
    elif closes is None:
        message = _l("Registration for this programme is closed.")
    else:
        message = _l(
            "Registration closed on %(when)s (%(zone)s).",
            when=format_in_zone(closes, zone),
            zone=zone_name(zone),
        )
    return RegistrationClosed(message)


def check_window(programme: Programme, now: datetime | None = None) -> None:
    """Raise RegistrationClosed, saying why, unless the window is open at now (full or not)."""
    state, _moment = registration_state(programme, now)
    if not state.window_open:
        raise _closed(programme, state)


def check_open(programme: Programme, now: datetime | None = None) -> None:
    """Raise, saying why, unless a new registration is taken at now (a seat or the waiting list).

    RegistrationClosed outside the window, ProgrammeFull when full without a waiting list.
    """
    state, _moment = registration_state(programme, now)
    if state == RegistrationState.FULL:
        raise ProgrammeFull(FULL_WITHOUT_WAITLIST)
    if not state.takes_registrations:
        raise _closed(programme, state)
