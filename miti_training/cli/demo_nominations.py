"""Loading the demo's nominations (development only): focal points of four cities and the
Peer Review Process workshop under the nomination policy, with its window, places per city,
region caps and nominations, some of them applied on. Idempotent like the rest of the demo:
rows are looked up by their natural keys and only made when missing."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

from miti_training.cli.demo_data import (
    DEMO_ACCOUNTS,
    PEER_REVIEW_CITY_PLACES,
    PEER_REVIEW_DEFAULT_PLACES,
    PEER_REVIEW_NOMINATIONS,
    PEER_REVIEW_REGION_CAPS,
    PEER_REVIEW_SLUG,
    PEER_REVIEW_WINDOW,
)
from miti_training.extensions import db
from miti_training.models import (
    CityAllocation,
    FocalPoint,
    MemberCity,
    Nomination,
    NominationStatus,
    Programme,
    RegionCap,
    Registration,
    User,
)


def load_nominations(loader, now: datetime) -> None:
    """loader: the demo loader (its users, cities and add())."""
    admin = loader.users["admin@miti.example"]
    for account in DEMO_ACCOUNTS:
        city_name = account.get("focal_point_of")
        if city_name:
            _focal_point(loader, loader.users[account["email"]], loader.cities[city_name], admin)
    programme = db.session.scalar(select(Programme).where(Programme.slug == PEER_REVIEW_SLUG))
    if programme is None:
        return
    if programme.nomination_opens_at is None:
        opens, closes = PEER_REVIEW_WINDOW
        programme.nomination_opens_at = now + timedelta(days=opens)
        programme.nomination_closes_at = now + timedelta(days=closes)
        programme.default_allocation = PEER_REVIEW_DEFAULT_PLACES
    for region, places in PEER_REVIEW_REGION_CAPS.items():
        if _row(RegionCap, programme_id=programme.id, world_region=region) is None:
            loader._add(RegionCap(programme_id=programme.id, world_region=region, places=places))
    db.session.flush()
    for index, (focal_email, email, full_name, language) in enumerate(PEER_REVIEW_NOMINATIONS):
        _nomination(loader, programme, focal_email, email, full_name, language, now, index)


def _row(model, **keys):
    return db.session.scalar(select(model).filter_by(**keys))


def _focal_point(loader, user: User, city: MemberCity, admin: User) -> None:
    if _row(FocalPoint, user_id=user.id) is None:
        loader._add(FocalPoint(user_id=user.id, member_city_id=city.id, granted_by_id=admin.id))


def _allocation(loader, programme: Programme, city: MemberCity) -> CityAllocation:
    allocation = _row(CityAllocation, programme_id=programme.id, member_city_id=city.id)
    if allocation is None:
        override = PEER_REVIEW_CITY_PLACES.get(city.name)
        allocation = CityAllocation(
            programme_id=programme.id,
            member_city_id=city.id,
            places=override if override is not None else programme.default_allocation,
            taken=0,
            is_override=override is not None,
        )
        loader._add(allocation)
    return allocation


def _nomination(loader, programme, focal_email, email, full_name, language, now, index):
    if _row(Nomination, programme_id=programme.id, email=email) is not None:
        return
    focal = loader.users[focal_email]
    city = db.session.get(MemberCity, _row(FocalPoint, user_id=focal.id).member_city_id)
    user = loader.users.get(email)
    registration = _row(Registration, programme_id=programme.id, user_id=user.id) if user else None
    allocation = _allocation(loader, programme, city)
    allocation.taken += 1
    loader._add(
        Nomination(
            programme_id=programme.id,
            member_city_id=city.id,
            user_id=user.id if user else None,
            email=email,
            full_name=user.full_name if user else full_name,
            language=user.preferred_language if user else language,
            status=NominationStatus.APPLIED if registration else NominationStatus.NOMINATED,
            # An invitation's secret is only ever emailed; the demo keeps none.
            token_hash=None
            if user
            else hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest(),
            registration_id=registration.id if registration else None,
            nominated_by_id=focal.id,
            created_at=now - timedelta(days=8 - index),
        )
    )
    db.session.flush()
