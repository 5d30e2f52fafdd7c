"""Focal points: the people who put forward the officials of one member city, granted and
revoked by administrators (audited like centre roles)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from miti_training import audit
from miti_training.errors import DomainError
from miti_training.extensions import db
from miti_training.models import FocalPoint, MemberCity, User


def focal_point_of(user) -> FocalPoint | None:
    """The user's focal-point role, if they hold one (a person is focal point of one city)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_enabled:
        return None
    return db.session.scalar(select(FocalPoint).where(FocalPoint.user_id == user.id))


def focal_points_of_city(city: MemberCity) -> list[FocalPoint]:
    return list(
        db.session.scalars(
            select(FocalPoint)
            .where(FocalPoint.member_city_id == city.id)
            .options(selectinload(FocalPoint.user))
            .order_by(FocalPoint.id)
        )
    )


def all_focal_points() -> list[FocalPoint]:
    """Every focal point, by city then name (a few per member city at most)."""
    return list(
        db.session.scalars(
            select(FocalPoint)
            .join(FocalPoint.member_city)
            .join(FocalPoint.user)
            .options(selectinload(FocalPoint.user), selectinload(FocalPoint.member_city))
            .order_by(MemberCity.name, User.full_name, FocalPoint.id)
        )
    )


def grant_focal_point(user: User, member_city_id, *, actor: User) -> tuple[FocalPoint, bool]:
    """Make user focal point of a member city; returns the role and whether it is new.

    A person is focal point of one city: another city's role is refused with its name."""
    city = db.session.get(MemberCity, member_city_id) if isinstance(member_city_id, int) else None
    if city is None:
        raise DomainError(_l("Choose a member city from the list."))
    existing = db.session.scalar(select(FocalPoint).where(FocalPoint.user_id == user.id))
    if existing is not None:
        if existing.member_city_id == city.id:
            return existing, False
        raise DomainError(
            _l(
                "%(name)s is already focal point of %(city)s: revoke that role first.",
                name=user.full_name,
                city=existing.member_city.name,
            )
        )
    focal_point = FocalPoint(user_id=user.id, member_city_id=city.id, granted_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(focal_point)
    except IntegrityError:
        # Granted by a concurrent request in the meantime.
        raise DomainError(
            _l("The role could not be granted. Please reload the page and try again.")
        ) from None
    audit.record("focal_point.grant", actor=actor, subject_user=user, to_state=city.name)
    return focal_point, True


def revoke_focal_point(user: User, *, actor: User) -> FocalPoint:
    """Take the focal-point role away from user (their city's nominations stay)."""
    focal_point = db.session.scalar(select(FocalPoint).where(FocalPoint.user_id == user.id))
    if focal_point is None:
        raise DomainError(
            _l("This person is not a focal point; the role may have been revoked already.")
        )
    city_name = focal_point.member_city.name
    audit.record("focal_point.revoke", actor=actor, subject_user=user, from_state=city_name)
    db.session.delete(focal_point)
    db.session.flush()
    return focal_point
