"""The posts each page lists: the public's (published posts of public programmes, newest
first) and the staff's (every post of a programme)."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from miti_training.extensions import db
from miti_training.models import Centre, NewsPost, NewsPostStatus, Programme
from miti_training.programmes.catalogue import PUBLIC_STATUSES

#: How many posts the home page, a centre page and a feed show.
LATEST = 5
FEED_SIZE = 20


def _public():
    return (
        select(NewsPost)
        .join(NewsPost.programme)
        .where(
            NewsPost.status == NewsPostStatus.PUBLISHED,
            Programme.status.in_(PUBLIC_STATUSES),
        )
        .options(
            selectinload(NewsPost.translations),
            joinedload(NewsPost.programme).selectinload(Programme.translations),
            joinedload(NewsPost.programme)
            .joinedload(Programme.centre)
            .selectinload(Centre.translations),
        )
        .order_by(NewsPost.published_at.desc(), NewsPost.id.desc())
    )


def public_post(post_id: int) -> NewsPost | None:
    """A post the public may read; drafts and posts of unpublished programmes are None."""
    return db.session.scalars(_public().where(NewsPost.id == post_id)).first()


def programme_posts(programme: Programme) -> list[NewsPost]:
    """The published posts of a public programme, newest first."""
    return list(db.session.scalars(_public().where(NewsPost.programme_id == programme.id)))


def latest_posts(*, centre: Centre | None = None, limit: int = LATEST) -> list[NewsPost]:
    """The newest published posts of centre, or of the whole network."""
    query = _public()
    if centre is not None:
        query = query.where(Programme.centre_id == centre.id)
    return list(db.session.scalars(query.limit(limit)))


def posts_of_programme(programme: Programme) -> list[NewsPost]:
    """Every post of programme, drafts included, newest first (staff pages)."""
    return list(
        db.session.scalars(
            select(NewsPost)
            .where(NewsPost.programme_id == programme.id)
            .order_by(NewsPost.created_at.desc(), NewsPost.id.desc())
        )
    )


def post_in_programme(programme: Programme, post_id: int) -> NewsPost | None:
    """A post of programme by id; another programme's id is None."""
    return db.session.scalars(
        select(NewsPost).where(NewsPost.id == post_id, NewsPost.programme_id == programme.id)
    ).first()
