"""Queries for centre staff pages, always filtered by the centres a user may manage."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from miti_training.extensions import db
from miti_training.models import Centre, Membership, Programme
from miti_training.network.roles import managed_centre_ids


def centres_managed_by(user) -> list[Centre]:
    """The centres user may manage (all of them for admins), by name."""
    ids = managed_centre_ids(user)
    query = select(Centre).order_by(Centre.name)
    if ids is not None:
        query = query.where(Centre.id.in_(ids))
    return list(db.session.scalars(query))


def centre_programmes(centre: Centre) -> list[Programme]:
    """Every programme of the centre, drafts included, newest first."""
    query = (
        select(Programme)
        .where(Programme.centre_id == centre.id)
        .options(selectinload(Programme.sessions))
        .order_by(Programme.starts_on.desc().nulls_last(), Programme.id.desc())
    )
    return list(db.session.scalars(query))


def centre_staff(centre: Centre) -> list[Membership]:
    query = (
        select(Membership)
        .where(Membership.centre_id == centre.id)
        .options(selectinload(Membership.user))
        .order_by(Membership.role, Membership.id)
    )
    return list(db.session.scalars(query))
