"""A programme's nomination settings, changed by the centre's coordinators and directors: the
window, the default allocation, per-city overrides and per-region caps.

No city's places ever go below what it has taken: the UPDATEs say so in their conditions,
and the CHECK constraint taken <= places stands behind the default's.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from miti_training import audit
from miti_training.errors import FieldError
from miti_training.extensions import db
from miti_training.models import CityAllocation, MemberCity, Programme, RegionCap, WorldRegion
from miti_training.nominations.allocations import allocation_of, ensure_allocation
from miti_training.programmes.editing import utc
from miti_training.registrations.access import require_staff
from miti_training.registrations.locking import lock_programme

#: More places than any city could fill: a typo, not a decision.
MAX_PLACES = 500


def _check_places(places, field: str) -> int:
    if not isinstance(places, int) or isinstance(places, bool) or not 0 <= places <= MAX_PLACES:
        raise FieldError(_l("Enter a whole number from 0 to %(max)d.", max=MAX_PLACES), field=field)
    return places


def update_settings(
    programme: Programme,
    *,
    opens_at: datetime | None,
    closes_at: datetime | None,
    default_allocation,
    actor,
) -> None:
    """The window (wall-clock times in the centre's zone) and the default allocation, which
    every city without an override follows."""
    require_staff(actor, programme)
    default_allocation = _check_places(default_allocation, "default_allocation")
    opens = utc(opens_at, programme.centre, "opens_at")
    closes = utc(closes_at, programme.centre, "closes_at")
    if opens is not None and closes is not None and closes <= opens:
        raise FieldError(_l("Nominations must close after they open."), field="closes_at")
    programme = lock_programme(programme)
    try:
        with db.session.begin_nested():
            db.session.execute(
                update(CityAllocation)
                .where(
                    CityAllocation.programme_id == programme.id,
                    CityAllocation.is_override.is_(False),
                )
                .values(places=default_allocation)
                .execution_options(synchronize_session=False)
            )
    except IntegrityError:
        most = db.session.scalar(
            select(func.max(CityAllocation.taken)).where(
                CityAllocation.programme_id == programme.id,
                CityAllocation.is_override.is_(False),
            )
        )
        raise FieldError(
            _l(
                "A city has already nominated %(taken)d officials: the default allocation cannot be lower than that.",
                taken=most or 0,
            ),
            field="default_allocation",
        ) from None
    programme.nomination_opens_at = opens
    programme.nomination_closes_at = closes
    programme.default_allocation = default_allocation
    db.session.flush()
    audit.record("programme.nomination_settings", actor=actor, programme=programme)


def set_city_places(programme: Programme, city_id, places, *, actor) -> MemberCity:
    """An override of one city's places (None: back to the default)."""
    require_staff(actor, programme)
    city = db.session.get(MemberCity, city_id) if isinstance(city_id, int) else None
    if city is None:
        raise FieldError(_l("Choose a member city from the list."), field="member_city_id")
    if places is not None:
        places = _check_places(places, "places")
    programme = lock_programme(programme)
    ensure_allocation(programme, city.id)
    new_places = programme.default_allocation if places is None else places
    changed = db.session.execute(
        update(CityAllocation)
        .where(
            CityAllocation.programme_id == programme.id,
            CityAllocation.member_city_id == city.id,
            CityAllocation.taken <= new_places,
        )
        .values(places=new_places, is_override=places is not None)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        allocation = allocation_of(programme, city.id)
        raise FieldError(
            _l(
                "%(city)s has already nominated %(taken)d officials: its places cannot be fewer.",
                city=city.name,
                taken=allocation.taken if allocation is not None else 0,
            ),
            field="places",
        )
    audit.record(
        "programme.city_allocation",
        actor=actor,
        programme=programme,
        to_state=str(new_places),
        reason=city.name,
    )
    return city


def region_caps(programme: Programme) -> dict[WorldRegion, int]:
    return {
        cap.world_region: cap.places
        for cap in db.session.scalars(
            select(RegionCap).where(RegionCap.programme_id == programme.id)
        )
    }


def set_region_cap(programme: Programme, region, places, *, actor) -> WorldRegion:
    """At most places selected from a world region (None: no cap)."""
    require_staff(actor, programme)
    try:
        region = WorldRegion(region)
    except ValueError:
        raise FieldError(_l("Choose a world region from the list."), field="world_region") from None
    if places is not None:
        places = _check_places(places, "places")
    programme = lock_programme(programme)
    db.session.execute(
        delete(RegionCap).where(
            RegionCap.programme_id == programme.id, RegionCap.world_region == region
        )
    )
    if places is not None:
        db.session.add(RegionCap(programme_id=programme.id, world_region=region, places=places))
    db.session.flush()
    audit.record(
        "programme.region_cap",
        actor=actor,
        programme=programme,
        to_state="" if places is None else str(places),
        reason=region.value,
    )
    return region
