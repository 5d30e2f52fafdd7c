"""Focal points and nominations for tests: rows made directly, as the factories do."""

from miti_training.extensions import db
from miti_training.models import (
    CityAllocation,
    FocalPoint,
    MemberCity,
    Nomination,
    NominationStatus,
    Programme,
    User,
)
from tests.support.factories import make_member_city, make_user


def make_focal_point(city: MemberCity | None = None, **kw) -> User:
    """An official who is focal point of city (a new city by default)."""
    city = city or make_member_city()
    user = make_user(member_city=city, **kw)
    db.session.add(FocalPoint(user_id=user.id, member_city_id=city.id))
    db.session.flush()
    return user


def make_nomination(programme: Programme, user: User, **kw) -> Nomination:
    """user nominated for programme by their city, the place taken from its allocation."""
    city_id = kw.pop("member_city_id", user.member_city_id)
    nomination = Nomination(
        programme_id=programme.id,
        member_city_id=city_id,
        user_id=user.id,
        email=user.email,
        full_name=user.full_name,
        status=kw.pop("status", NominationStatus.NOMINATED),
        **kw,
    )
    db.session.add(nomination)
    allocation = (
        db.session.query(CityAllocation)
        .filter_by(programme_id=programme.id, member_city_id=city_id)
        .one_or_none()
    )
    if allocation is None:
        allocation = CityAllocation(
            programme_id=programme.id, member_city_id=city_id, places=programme.default_allocation
        )
        db.session.add(allocation)
    allocation.taken = (allocation.taken or 0) + 1
    allocation.places = max(allocation.places or 0, allocation.taken)
    db.session.flush()
    return nomination
