"""Figures of a centre's dashboard, aggregated in the database: how full the coming
programmes are, what waits for a decision, and attendance at the sessions that have ended.

Every function issues one or two statements (GROUP BY with SUM(CASE ...)), whatever the
number of programmes, registrations or attendance rows: the page is tested for it.
"""

from dataclasses import dataclass
from datetime import date, datetime
from math import ceil
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, or_, select

from miti_training.db_setup import clamp_page
from miti_training.extensions import db
from miti_training.models import (
    Attendance,
    AttendanceStatus,
    Centre,
    Programme,
    ProgrammeSession,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    utcnow,
)
from miti_training.network.network_dashboard import COUNTED_STATUSES, row_values

#: Past sessions shown per page of the centre dashboard.
SESSIONS_PER_PAGE = 20


def percent(part: int, whole: int) -> float | None:
    """part / whole as a ratio for Babel's format_percent; None when whole is zero."""
    return part / whole if whole > 0 else None


def _count_where(condition):
    """COUNT of the joined rows matching condition, as SUM(CASE ...) (portable, no FILTER)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def centre_today(centre: Centre, now: datetime | None = None) -> date:
    """Today's date in the centre's time zone (programme dates are the centre's dates)."""
    return (now or utcnow()).astimezone(ZoneInfo(centre.timezone)).date()


@dataclass(frozen=True)
class UpcomingProgramme:
    """A published programme that has not ended, with its registration figures."""

    id: int
    title: str
    starts_on: date | None
    ends_on: date | None
    capacity: int
    confirmed: int
    applied: int
    waitlisted: int
    #: Days from the centre's today to the first day; 0 or less once it has started.
    days_to_start: int | None

    @property
    def fill_rate(self) -> float | None:
        return percent(self.confirmed, self.capacity)

    @property
    def meter_value(self) -> int:
        """Confirmed seats clamped to the capacity, for a <meter> that must stay in range."""
        return min(self.confirmed, self.capacity)


@dataclass(frozen=True)
class CentreTotals:
    """Registrations waiting for a decision in the centre's upcoming programmes."""

    applied: int
    waitlisted: int


def _upcoming_filter(centre: Centre, today: date):
    return and_(
        Programme.centre_id == centre.id,
        Programme.status == ProgrammeStatus.PUBLISHED,
        or_(Programme.ends_on.is_(None), Programme.ends_on >= today),
    )


def upcoming_programmes(centre: Centre, *, now: datetime | None = None) -> list[UpcomingProgramme]:
    """The centre's published programmes that have not ended, soonest first, in one query."""
    today = centre_today(centre, now)
    status = Registration.status
    rows = db.session.execute(
        select(
            Programme.id,
            Programme.title,
            Programme.starts_on,
            Programme.ends_on,
            Programme.capacity,
            _count_where(status == RegistrationStatus.CONFIRMED).label("confirmed"),
            _count_where(status == RegistrationStatus.APPLIED).label("applied"),
            _count_where(status == RegistrationStatus.WAITLISTED).label("waitlisted"),
        )
        .outerjoin(Registration, Registration.programme_id == Programme.id)
        .where(_upcoming_filter(centre, today))
        .group_by(
            Programme.id,
            Programme.title,
            Programme.starts_on,
            Programme.ends_on,
            Programme.capacity,
        )
        .order_by(Programme.starts_on.asc().nulls_last(), Programme.id)
    ).all()
    return [
        UpcomingProgramme(
            **row_values(row, "confirmed", "applied", "waitlisted"),
            days_to_start=(row.starts_on - today).days if row.starts_on else None,
        )
        for row in rows
    ]


def centre_totals(centre: Centre, *, now: datetime | None = None) -> CentreTotals:
    """Applications to review and waiting-list places over the upcoming programmes."""
    today = centre_today(centre, now)
    status = Registration.status
    row = db.session.execute(
        select(
            _count_where(status == RegistrationStatus.APPLIED).label("applied"),
            _count_where(status == RegistrationStatus.WAITLISTED).label("waitlisted"),
        )
        .select_from(Registration)
        .join(Programme, Programme.id == Registration.programme_id)
        .where(_upcoming_filter(centre, today))
    ).one()
    return CentreTotals(applied=int(row.applied), waitlisted=int(row.waitlisted))


@dataclass(frozen=True)
class SessionAttendance:
    """Attendance recorded for one past session, counted over its confirmed participants."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    programme_id: int
    programme_title: str
    confirmed: int
    present: int
    absent: int
    excused: int

    @property
    def not_recorded(self) -> int:
        return max(self.confirmed - self.present - self.absent - self.excused, 0)

    @property
    def attendance_rate(self) -> float | None:
        """Present among the confirmed participants."""
        return percent(self.present, self.confirmed)


@dataclass(frozen=True)
class Page:
    """One page of rows, with what templates/_macros.html's pagination macro reads."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(ceil(self.total / self.per_page), 1)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def past_session_attendance(
    centre: Centre,
    page: int = 1,
    *,
    per_page: int = SESSIONS_PER_PAGE,
    now: datetime | None = None,
) -> Page:
    """Sessions of the centre that have ended, most recent first, with attendance counts.

    Two statements: the number of sessions, and one page of them counted with one GROUP BY.
    Only confirmed registrations count, so "not recorded" is confirmed minus the marks.
    """
    now = now or utcnow()
    page = clamp_page(page)
    where = (
        Programme.centre_id == centre.id,
        Programme.status.in_(COUNTED_STATUSES),
        ProgrammeSession.ends_at <= now,
    )
    total = db.session.scalar(
        select(func.count(ProgrammeSession.id))
        .join(Programme, Programme.id == ProgrammeSession.programme_id)
        .where(*where)
    )
    mark = Attendance.status
    rows = db.session.execute(
        select(
            ProgrammeSession.id,
            ProgrammeSession.title,
            ProgrammeSession.starts_at,
            ProgrammeSession.ends_at,
            Programme.id.label("programme_id"),
            Programme.title.label("programme_title"),
            func.count(Registration.id).label("confirmed"),
            _count_where(mark == AttendanceStatus.PRESENT).label("present"),
            _count_where(mark == AttendanceStatus.ABSENT).label("absent"),
            _count_where(mark == AttendanceStatus.EXCUSED).label("excused"),
        )
        .join(Programme, Programme.id == ProgrammeSession.programme_id)
        .outerjoin(
            Registration,
            and_(
                Registration.programme_id == Programme.id,
                Registration.status == RegistrationStatus.CONFIRMED,
            ),
        )
        #: At most one mark per registration and session (unique constraint): no double count.
        .outerjoin(
            Attendance,
            and_(
                Attendance.registration_id == Registration.id,
                Attendance.session_id == ProgrammeSession.id,
            ),
        )
        .where(*where)
        .group_by(
            ProgrammeSession.id,
            ProgrammeSession.title,
            ProgrammeSession.starts_at,
            ProgrammeSession.ends_at,
            Programme.id,
            Programme.title,
        )
        .order_by(ProgrammeSession.starts_at.desc(), ProgrammeSession.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = [
        SessionAttendance(**row_values(row, "confirmed", "present", "absent", "excused"))
        for row in rows
    ]
    return Page(items=items, page=page, per_page=per_page, total=total or 0)
