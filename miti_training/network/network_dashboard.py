"""Figures of the whole network, aggregated in the database: the administration's counts, and
the network dashboard's participants per member city, country and world region, each
centre's programmes, participants and completions, and the nominations, selections and
completions per member city and world region, for a year.

Each figure of the dashboard is one statement (GROUP BY), whatever the number of
programmes, registrations or certificates: the page is tested for it. Years are date ranges on
`Programme.starts_on`, so the index on it serves them.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, distinct, extract, func, or_, select

from miti_training.extensions import db
from miti_training.models import (
    Centre,
    Certificate,
    EnrolmentPolicy,
    MemberCity,
    Membership,
    Nomination,
    NominationStatus,
    Programme,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    User,
    WorldRegion,
    utcnow,
)

#: Programmes that count in the dashboards' figures (drafts and cancelled ones do not).
COUNTED_STATUSES = (ProgrammeStatus.PUBLISHED, ProgrammeStatus.COMPLETED)


def network_counts() -> dict[str, int]:
    """Numbers shown on the administration home page."""

    def count(query) -> int:
        return db.session.scalar(query) or 0

    return {
        "centres": count(select(func.count()).select_from(Centre)),
        "member_cities": count(select(func.count()).select_from(MemberCity)),
        "users": count(select(func.count()).select_from(User)),
        "staff": count(select(func.count(func.distinct(Membership.user_id)))),
        "admins": count(select(func.count()).select_from(User).where(User.is_admin.is_(True))),
    }


def network_years(*, now: datetime | None = None) -> list[int]:
    """Years in which counted programmes start, and the current year; latest first."""
    year = extract("year", Programme.starts_on)
    found = db.session.scalars(
        select(year)
        .where(Programme.status.in_(COUNTED_STATUSES), Programme.starts_on.is_not(None))
        .distinct()
    ).all()
    return sorted({int(y) for y in found if y is not None} | {(now or utcnow()).year}, reverse=True)


def chosen_year(raw: str | None, years: Sequence[int], default: int) -> int:
    """The year asked for in the query string if it is one of years, else default."""
    if raw and len(raw) <= 4 and raw.isascii() and raw.isdigit() and int(raw) in years:
        return int(raw)
    return default


def row_values(row, *counts: str) -> dict:
    """A result row's columns by name, the counts among them as int (a SUM may come back as a
    Decimal)."""
    values = row._asdict()
    for name in counts:
        values[name] = int(values[name])
    return values


def _starting_in(year: int):
    """Counted programmes whose first day falls in year (a range, so the index serves it)."""
    return and_(
        Programme.status.in_(COUNTED_STATUSES),
        Programme.starts_on >= date(year, 1, 1),
        Programme.starts_on < date(year + 1, 1, 1),
    )


def _confirmed_in(year: int):
    """Confirmed registrations of counted programmes starting in year, with their city."""
    return (
        select()
        .select_from(Registration)
        .join(Programme, Programme.id == Registration.programme_id)
        .outerjoin(MemberCity, MemberCity.id == Registration.member_city_id)
        .where(_starting_in(year), Registration.status == RegistrationStatus.CONFIRMED)
    )


@dataclass(frozen=True)
class CityCount:
    #: None for registrations without a member city (deleted, or never given).
    city_id: int | None
    name: str | None
    country: str | None
    world_region: WorldRegion | None
    participants: int


@dataclass(frozen=True)
class CountryCount:
    country: str | None
    participants: int


@dataclass(frozen=True)
class RegionCount:
    world_region: WorldRegion | None
    participants: int


def _participants_per(year: int, columns: tuple, then_by: tuple) -> list:
    """Rows of columns and n, the confirmed participants for each value of columns; most
    first, then in the order then_by."""
    n = func.count(Registration.id).label("n")
    return db.session.execute(
        _confirmed_in(year).add_columns(*columns, n).group_by(*columns).order_by(n.desc(), *then_by)
    ).all()


def _region(value) -> WorldRegion | None:
    return WorldRegion(value) if value else None


def participants_by_city(year: int) -> list[CityCount]:
    """Confirmed participants per member city, most first."""
    city = (MemberCity.id, MemberCity.name, MemberCity.country, MemberCity.world_region)
    rows = _participants_per(year, city, (MemberCity.name.asc().nulls_last(), MemberCity.id))
    return [
        CityCount(
            city_id=row.id,
            name=row.name,
            country=row.country,
            world_region=_region(row.world_region),
            participants=row.n,
        )
        for row in rows
    ]


def participants_by_country(year: int) -> list[CountryCount]:
    """Confirmed participants per country of their member city, most first."""
    country = MemberCity.country
    rows = _participants_per(year, (country,), (country.asc().nulls_last(),))
    return [CountryCount(country=row.country, participants=row.n) for row in rows]


def participants_by_region(year: int) -> list[RegionCount]:
    """Confirmed participants per world region of their member city, most first."""
    region = MemberCity.world_region
    rows = _participants_per(year, (region,), (region.asc().nulls_last(),))
    return [RegionCount(world_region=_region(row.world_region), participants=row.n) for row in rows]


@dataclass(frozen=True)
class CentreFigures:
    centre_id: int | None
    name: str
    slug: str
    programmes: int
    participants: int
    #: Registrations holding a valid (not revoked) certificate.
    completions: int


def centre_figures(year: int) -> list[CentreFigures]:
    """Programmes, confirmed participants and certified completions per centre, in one query.

    Every centre is listed, with zeros when it has nothing in year.
    """
    programmes = (
        select(Programme.centre_id, func.count(Programme.id).label("n"))
        .where(_starting_in(year))
        .group_by(Programme.centre_id)
        .subquery()
    )
    participants = (
        select(Programme.centre_id, func.count(Registration.id).label("n"))
        .join(Registration, Registration.programme_id == Programme.id)
        .where(_starting_in(year), Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(Programme.centre_id)
        .subquery()
    )
    completions = (
        select(Programme.centre_id, func.count(distinct(Certificate.registration_id)).label("n"))
        .select_from(Certificate)
        .join(Registration, Registration.id == Certificate.registration_id)
        .join(Programme, Programme.id == Registration.programme_id)
        .where(_starting_in(year), Certificate.revoked_at.is_(None))
        .group_by(Programme.centre_id)
        .subquery()
    )
    n_programmes = func.coalesce(programmes.c.n, 0).label("programmes")
    rows = db.session.execute(
        select(
            Centre.id.label("centre_id"),
            Centre.name,
            Centre.slug,
            n_programmes,
            func.coalesce(participants.c.n, 0).label("participants"),
            func.coalesce(completions.c.n, 0).label("completions"),
        )
        .outerjoin(programmes, programmes.c.centre_id == Centre.id)
        .outerjoin(participants, participants.c.centre_id == Centre.id)
        .outerjoin(completions, completions.c.centre_id == Centre.id)
        .order_by(n_programmes.desc(), Centre.name, Centre.id)
    ).all()
    return [
        CentreFigures(**row_values(row, "programmes", "participants", "completions"))
        for row in rows
    ]


def centre_total(rows: Iterable[CentreFigures]) -> CentreFigures:
    """The total row: sums of the per-centre figures (one row per centre, already counted)."""
    rows = list(rows)
    return CentreFigures(
        centre_id=None,
        name="",
        slug="",
        programmes=sum(r.programmes for r in rows),
        participants=sum(r.participants for r in rows),
        completions=sum(r.completions for r in rows),
    )


# Nomination and selection ----------------------------------------------------------------------


@dataclass(frozen=True)
class SelectionFigures:
    """A member city's (or, with city_id None, a world region's) figures for a year."""

    city_id: int | None
    name: str | None
    country: str | None
    world_region: WorldRegion | None
    #: Officials put forward by the city, nominations withdrawn left out.
    nominations: int
    #: Confirmed places in programmes that select among nominated officials.
    selections: int
    #: Registrations holding a valid (not revoked) certificate, any enrolment policy.
    completions: int


def _per_city(year: int):
    """The three counts per member city, as subqueries (city_id, n)."""
    nominations = (
        select(Nomination.member_city_id.label("city_id"), func.count(Nomination.id).label("n"))
        .join(Programme, Programme.id == Nomination.programme_id)
        .where(_starting_in(year), Nomination.status != NominationStatus.WITHDRAWN)
        .group_by(Nomination.member_city_id)
        .subquery()
    )
    selections = (
        select(Registration.member_city_id.label("city_id"), func.count(Registration.id).label("n"))
        .join(Programme, Programme.id == Registration.programme_id)
        .where(
            _starting_in(year),
            Programme.enrolment_policy == EnrolmentPolicy.NOMINATION,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .group_by(Registration.member_city_id)
        .subquery()
    )
    completions = (
        select(
            Registration.member_city_id.label("city_id"),
            func.count(distinct(Certificate.registration_id)).label("n"),
        )
        .select_from(Certificate)
        .join(Registration, Registration.id == Certificate.registration_id)
        .join(Programme, Programme.id == Registration.programme_id)
        .where(_starting_in(year), Certificate.revoked_at.is_(None))
        .group_by(Registration.member_city_id)
        .subquery()
    )
    return nominations, selections, completions


def _with_counts(year: int, columns: tuple, sums: bool):
    """columns of MemberCity with the three counts (summed when grouping), cities with any."""
    parts = _per_city(year)
    counts = []
    for part, name in zip(parts, ("nominations", "selections", "completions"), strict=True):
        value = func.coalesce(part.c.n, 0)
        counts.append((func.sum(value) if sums else value).label(name))
    query = select(*columns, *counts).select_from(MemberCity)
    for part in parts:
        query = query.outerjoin(part, part.c.city_id == MemberCity.id)
    return query.where(or_(*(part.c.n.is_not(None) for part in parts))), counts


def selection_by_city(year: int) -> list[SelectionFigures]:
    """Nominations, selections and completions per member city in year, most nominations
    first; cities with none of the three are left out. One statement."""
    columns = (MemberCity.id, MemberCity.name, MemberCity.country, MemberCity.world_region)
    query, counts = _with_counts(year, columns, sums=False)
    rows = db.session.execute(query.order_by(counts[0].desc(), MemberCity.name, MemberCity.id))
    return [
        SelectionFigures(
            city_id=row.id,
            name=row.name,
            country=row.country,
            world_region=_region(row.world_region),
            **{k: int(getattr(row, k)) for k in ("nominations", "selections", "completions")},
        )
        for row in rows
    ]


def selection_by_region(year: int) -> list[SelectionFigures]:
    """The same figures per world region of the cities, most nominations first. One statement."""
    region = MemberCity.world_region
    query, counts = _with_counts(year, (region,), sums=True)
    rows = db.session.execute(
        query.group_by(region).order_by(counts[0].desc(), region.asc().nulls_last())
    )
    return [
        SelectionFigures(
            city_id=None,
            name=None,
            country=None,
            world_region=_region(row.world_region),
            **{k: int(getattr(row, k)) for k in ("nominations", "selections", "completions")},
        )
        for row in rows
    ]
