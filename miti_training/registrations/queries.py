"""Read-only queries of the registration pages: the staff's list, search, sort, counts and
history; a participant's own registrations.

Each function issues a fixed number of statements whatever the number of registrations
(the list page is tested for it).
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from miti_training import text_search
from miti_training.db_setup import clamp_page
from miti_training.extensions import db
from miti_training.models import (
    ACTIVE_STATUSES,
    AuditEntry,
    Centre,
    Programme,
    ProgrammeQuestion,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
)

PAGE_SIZE = 50
#: Ids taken from one bulk request; more is not a person ticking boxes.
MAX_BULK = 500


class StatusFilter(enum.StrEnum):
    """Which registrations the list shows: the active ones (default), all, or one status."""

    ACTIVE = "active"
    ALL = "all"
    APPLIED = "applied"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"


class SortKey(enum.StrEnum):
    NAME = "name"
    REGISTERED = "registered"
    STATUS = "status"
    POSITION = "position"


#: Statuses in the order a coordinator reads them (the "status" sort).
STATUS_ORDER = tuple(RegistrationStatus)


@dataclass(frozen=True)
class RegistrationFilters:
    status: StatusFilter = StatusFilter.ACTIVE
    q: str = ""
    sort: SortKey = SortKey.REGISTERED
    descending: bool = False


@dataclass(frozen=True)
class StatusCounts:
    """How many registrations a programme has in each status."""

    by_status: dict[RegistrationStatus, int]

    def __getitem__(self, status) -> int:
        return self.by_status.get(RegistrationStatus(status), 0)

    @property
    def active(self) -> int:
        return sum(self[s] for s in ACTIVE_STATUSES)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def for_filter(self, status_filter: StatusFilter | str) -> int:
        status_filter = StatusFilter(status_filter)
        if status_filter == StatusFilter.ACTIVE:
            return self.active
        if status_filter == StatusFilter.ALL:
            return self.total
        return self[status_filter.value]


def status_counts(programme: Programme) -> StatusCounts:
    """Registrations of programme per status, in one GROUP BY."""
    rows = db.session.execute(
        select(Registration.status, func.count())
        .where(Registration.programme_id == programme.id)
        .group_by(Registration.status)
    ).all()
    return StatusCounts({RegistrationStatus(status): count for status, count in rows})


def _order_by(filters: RegistrationFilters) -> list:
    status_rank = case(
        {status.value: rank for rank, status in enumerate(STATUS_ORDER)},
        value=Registration.status,
        else_=len(STATUS_ORDER),
    )
    if filters.sort == SortKey.NAME:
        keys = [func.lower(Registration.full_name), Registration.full_name]
    elif filters.sort == SortKey.STATUS:
        keys = [status_rank, Registration.waitlist_position, Registration.created_at]
    elif filters.sort == SortKey.POSITION:
        # Registrations without a position (not waitlisted) come after the waiting list.
        keys = [
            Registration.waitlist_position.is_(None),
            Registration.waitlist_position,
            status_rank,
            Registration.created_at,
        ]
    else:
        keys = [Registration.created_at]
    if filters.descending:
        if filters.sort == SortKey.POSITION:
            keys = [keys[0], keys[1].desc(), *keys[2:]]  # those without a position stay last
        else:
            keys = [keys[0].desc(), *keys[1:]]
        return [*keys, Registration.id.desc()]
    return [*keys, Registration.id]


def registrations_query(programme: Programme, filters: RegistrationFilters):
    """The programme's registrations matching filters, in their order (no pagination)."""
    query = select(Registration).where(Registration.programme_id == programme.id)
    if filters.status == StatusFilter.ACTIVE:
        query = query.where(Registration.status.in_(ACTIVE_STATUSES))
    elif filters.status != StatusFilter.ALL:
        query = query.where(Registration.status == RegistrationStatus(filters.status.value))
    q = filters.q.strip()
    if q:
        # Words of the name, address or organisation: see registration_matches for addresses.
        query = query.where(text_search.registration_matches(Registration.id, q))
    return query.order_by(*_order_by(filters))


def search_registrations(
    programme: Programme, filters: RegistrationFilters, page: int = 1, per_page: int = PAGE_SIZE
):
    """One page of the programme's registrations (Flask-SQLAlchemy Pagination): two queries."""
    return db.paginate(
        registrations_query(programme, filters),
        page=clamp_page(page),
        per_page=per_page,
        error_out=False,
    )


def registrations_by_ids(programme: Programme, ids: Iterable[int]) -> list[Registration]:
    """The registrations of programme among ids, in the order given; other ids are left out."""
    wanted = list(dict.fromkeys(ids))[:MAX_BULK]
    if not wanted:
        return []
    found = {
        r.id: r
        for r in db.session.scalars(
            select(Registration)
            .where(Registration.programme_id == programme.id, Registration.id.in_(wanted))
            .options(selectinload(Registration.user))
        )
    }
    return [found[i] for i in wanted if i in found]


def registration_in_centre(centre, registration_id: int) -> Registration | None:
    """The registration with this id if its programme belongs to centre, else None."""
    return db.session.scalar(
        select(Registration)
        .join(Registration.programme)
        .where(Registration.id == registration_id, Programme.centre_id == centre.id)
        .options(
            selectinload(Registration.programme).selectinload(Programme.questions),
            selectinload(Registration.user),
            selectinload(Registration.decided_by),
        )
    )


def next_pending(programme: Programme) -> Registration | None:
    """The programme's oldest application still waiting for review (the coordinator's queue)."""
    return db.session.scalar(
        select(Registration)
        .where(
            Registration.programme_id == programme.id,
            Registration.status == RegistrationStatus.APPLIED,
        )
        .order_by(Registration.created_at, Registration.id)
        .limit(1)
    )


def registration_of_user(user, registration_id: int) -> Registration | None:
    """The registration with this id if it is user's own, with its programme's details."""
    return db.session.scalar(
        select(Registration)
        .where(Registration.id == registration_id, Registration.user_id == user.id)
        .options(
            # Texts in every language join the rows they belong to: no statement of their own.
            selectinload(Registration.programme)
            .selectinload(Programme.centre)
            .joinedload(Centre.translations),
            selectinload(Registration.programme)
            .selectinload(Programme.sessions)
            .joinedload(ProgrammeSession.translations),
            selectinload(Registration.programme)
            .selectinload(Programme.questions)
            .joinedload(ProgrammeQuestion.translations),
            selectinload(Registration.programme).selectinload(Programme.translations),
        )
    )


def registrations_of_user(user) -> list[Registration]:
    """Every registration of user, the latest programme first, with the programmes' details."""
    return list(
        db.session.scalars(
            select(Registration)
            .join(Registration.programme)
            .where(Registration.user_id == user.id)
            .options(
                selectinload(Registration.programme)
                .selectinload(Programme.centre)
                .joinedload(Centre.translations),
                selectinload(Registration.programme).selectinload(Programme.sessions),
                selectinload(Registration.programme).selectinload(Programme.translations),
            )
            .order_by(Programme.starts_on.desc(), Programme.id.desc())
        )
    )


def registration_history(registration: Registration) -> list[AuditEntry]:
    """The audit entries of one registration, oldest first, with who did them."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.registration_id == registration.id)
            .options(selectinload(AuditEntry.actor))
            .order_by(AuditEntry.created_at, AuditEntry.id)
        )
    )
