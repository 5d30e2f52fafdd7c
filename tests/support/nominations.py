"""Focal points and nominations for tests: rows made directly, as the factories do."""

from datetime import datetime

from miti_training.extensions import db
from miti_training.models import (
    CityAllocation,
    FocalPoint,
    MemberCity,
    Nomination,
    NominationStatus,
    Programme,
    User,
    utcnow,
)
from miti_training.nominations.nominating import token_hash
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
    _take_place(programme, city_id)
    return nomination


def make_invitation(
    programme: Programme, city: MemberCity, *, token: str, sent_at: datetime | None = None
) -> Nomination:
    """An address of city invited (no account) for programme with the link's secret token,
    sent at sent_at (now by default): set it back to age the link."""
    sent_at = sent_at or utcnow()
    nomination = Nomination(
        programme_id=programme.id,
        member_city_id=city.id,
        email=f"invited-{token[:8].lower()}@{city.id}.example",
        full_name="Invited Official",
        token_hash=token_hash(token),
        invitation_sent_at=sent_at,
        created_at=sent_at,
    )
    db.session.add(nomination)
    _take_place(programme, city.id)
    return nomination


def _take_place(programme: Programme, city_id: int) -> None:
    """The nomination's place out of its city's allocation (made with the default if none)."""
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
