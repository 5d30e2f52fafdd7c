"""The places each member city may fill with nominations for a programme, taken like seats.

A city's row is made on its first nomination (or by an override) with the programme's
default; `taken` moves only by conditional UPDATEs, so two focal points of one city racing for
its last place cannot both have it, and the CHECK constraint taken <= places stands behind.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from miti_training.db_setup import insert_ignoring_existing
from miti_training.errors import AllocationUsedUp
from miti_training.extensions import db
from miti_training.models import CityAllocation, MemberCity, Programme


def ensure_allocation(programme: Programme, city_id: int) -> None:
    """The city's allocation row exists (with the programme's default), made at most once even
    when two requests make it at the same moment."""
    db.session.execute(
        insert_ignoring_existing(
            db.session,
            CityAllocation,
            {
                "programme_id": programme.id,
                "member_city_id": city_id,
                "places": programme.default_allocation,
                "taken": 0,
                "is_override": False,
            },
        )
    )


def _of(programme: Programme, city_id: int):
    return (
        CityAllocation.programme_id == programme.id,
        CityAllocation.member_city_id == city_id,
    )


def take_place(programme: Programme, city_id: int) -> None:
    """One place of the city's allocation, or AllocationUsedUp: one conditional UPDATE."""
    ensure_allocation(programme, city_id)
    taken = db.session.execute(
        update(CityAllocation)
        .where(*_of(programme, city_id), CityAllocation.taken < CityAllocation.places)
        .values(taken=CityAllocation.taken + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        allocation = allocation_of(programme, city_id)
        raise AllocationUsedUp(
            _l(
                "Your city has used all its %(places)d places for this programme: withdraw a nomination to put someone else forward.",
                places=allocation.places if allocation is not None else 0,
            )
        )


def give_back(programme: Programme, city_id: int) -> None:
    """A withdrawn nomination's place returns to its city."""
    db.session.execute(
        update(CityAllocation)
        .where(*_of(programme, city_id), CityAllocation.taken > 0)
        .values(taken=CityAllocation.taken - 1)
        .execution_options(synchronize_session=False)
    )


def allocation_of(programme: Programme, city_id: int) -> CityAllocation | None:
    return db.session.scalar(
        select(CityAllocation)
        .where(*_of(programme, city_id))
        .execution_options(populate_existing=True)
    )


@dataclass(frozen=True)
class CityPlaces:
    """One city's allocation for a programme, as the pages show it."""

    city: MemberCity
    places: int
    taken: int
    is_override: bool

    @property
    def left(self) -> int:
        return max(self.places - self.taken, 0)


def places_of(programme: Programme, city: MemberCity) -> CityPlaces:
    """The city's places (the default when it has nominated no one yet)."""
    row = allocation_of(programme, city.id)
    if row is None:
        return CityPlaces(city, programme.default_allocation, 0, False)
    return CityPlaces(city, row.places, row.taken, row.is_override)


def allocation_table(programme: Programme) -> list[CityPlaces]:
    """The cities that nominated someone or have an override, by name; every other city has
    the default and has used none."""
    rows = db.session.scalars(
        select(CityAllocation)
        .join(CityAllocation.member_city)
        .where(CityAllocation.programme_id == programme.id)
        .options(selectinload(CityAllocation.member_city))
        .order_by(MemberCity.name, MemberCity.id)
    )
    return [CityPlaces(row.member_city, row.places, row.taken, row.is_override) for row in rows]
