"""The posts each page lists: the public's (published posts of public programmes, newest
first) and the staff's (every post of a programme).

What the public gets comes with its cover in the same statement, joined under the albums'
rule (albums.public), so a hidden photo is never a cover and a list costs no statement per
post: one for the covers' captions and one for their sessions' titles, when there are covers.
"""

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from miti_training.albums import public as public_albums
from miti_training.db_setup import MAX_ID, clamp_page
from miti_training.extensions import db
from miti_training.models import (
    Album,
    Centre,
    NewsPost,
    NewsPostStatus,
    Photo,
    Programme,
    ProgrammeSession,
)
from miti_training.programmes.catalogue import PUBLIC_STATUSES

#: How many posts the home page, a centre page and a feed show.
LATEST = 5
FEED_SIZE = 20
#: Posts on a page of the news archive (the network's or a centre's).
ARCHIVE_PAGE_SIZE = 12


def _with_cover(query):
    """query (posts joined to their programmes) filling each post's public_cover."""
    cover = contains_eager(NewsPost.public_cover)
    return public_albums.join_public_photo(query, NewsPost.cover_photo_id).options(
        cover.selectinload(Photo.translations),
        cover.contains_eager(Photo.album)
        .contains_eager(Album.session)
        .selectinload(ProgrammeSession.translations),
    )


def _public(*, with_programme: bool = True):
    """Published posts of public programmes, newest first, with their covers; with their
    programmes and centres (and all their texts) unless the caller has the programme already."""
    query = _with_cover(
        select(NewsPost)
        .join(NewsPost.programme)
        .where(
            NewsPost.status == NewsPostStatus.PUBLISHED,
            Programme.status.in_(PUBLIC_STATUSES),
        )
        .options(selectinload(NewsPost.translations))
        .order_by(NewsPost.published_at.desc(), NewsPost.id.desc())
    )
    if not with_programme:
        return query
    return query.options(
        contains_eager(NewsPost.programme).selectinload(Programme.translations),
        contains_eager(NewsPost.programme)
        .joinedload(Programme.centre)
        .selectinload(Centre.translations),
    )


def public_post(post_id: int) -> NewsPost | None:
    """A post the public may read; drafts and posts of unpublished programmes are None."""
    return db.session.scalars(_public().where(NewsPost.id == post_id)).first()


def programme_posts(programme: Programme) -> list[NewsPost]:
    """The published posts of a public programme, newest first."""
    query = _public(with_programme=False).where(NewsPost.programme_id == programme.id)
    return list(db.session.scalars(query))


def latest_posts(*, centre: Centre | None = None, limit: int = LATEST) -> list[NewsPost]:
    """The newest published posts of centre, or of the whole network."""
    query = _public()
    if centre is not None:
        query = query.where(Programme.centre_id == centre.id)
    return list(db.session.scalars(query.limit(limit)))


def archive_page(page: int, *, centre: Centre | None = None):
    """One page (Flask-SQLAlchemy Pagination) of every published post of centre, or of the
    network, newest first: a count and a page, whatever the page number asked for."""
    query = _public()
    if centre is not None:
        query = query.where(Programme.centre_id == centre.id)
    return db.paginate(query, page=clamp_page(page), per_page=ARCHIVE_PAGE_SIZE, error_out=False)


def any_post(post_id: int) -> NewsPost | None:
    """A post by id, public or not (a preview for its centre's staff), with the cover the
    public would see."""
    if not 0 < post_id <= MAX_ID:
        return None
    query = select(NewsPost).join(NewsPost.programme).where(NewsPost.id == post_id)
    return db.session.scalars(_with_cover(query)).first()


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
