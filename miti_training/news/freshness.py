"""How new a post's public page is (its HTTP validators), in one small query.

A post's page shows the post, its programme's title and its centre's name. Every change of a
post or its translations also marks its programme changed (models/touching.py), so the lists
that show posts (the programme's page, centre pages, the home page, the feeds) take it from
the programmes' validators, and this page from the newest of the three rows.
"""

from datetime import datetime

from sqlalchemy import bindparam, select

from miti_training.db_setup import MAX_ID
from miti_training.extensions import db
from miti_training.models import Centre, NewsPost, NewsPostStatus, Programme, utcnow
from miti_training.programmes.catalogue import PUBLIC_STATUSES
from miti_training.programmes.freshness import Freshness, hourly

_POST = (
    select(NewsPost.updated_at, Programme.updated_at, Centre.updated_at)
    .join(NewsPost.programme)
    .join(Programme.centre)
    .where(
        NewsPost.id == bindparam("post_id"),
        NewsPost.status == NewsPostStatus.PUBLISHED,
        Programme.status.in_(PUBLIC_STATUSES),
    )
)


def post_freshness(post_id: int, now: datetime | None = None) -> Freshness | None:
    """Of a published post's page; None when the public has no post at post_id."""
    if not 0 < post_id <= MAX_ID:
        return None
    now = now or utcnow()
    row = db.session.execute(_POST, {"post_id": post_id}).one_or_none()
    if row is None:
        return None
    return hourly(now, row)
