"""The messages a centre sent about one programme, newest first, for its staff."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from miti_training.db_setup import clamp_page
from miti_training.extensions import db
from miti_training.models import Programme, SentMessage, SentMessageRecipient

PAGE_SIZE = 20


def sent_messages(programme: Programme, page: int = 1, per_page: int = PAGE_SIZE):
    """One page (Flask-SQLAlchemy Pagination) of programme's messages with their recipients."""
    statement = (
        select(SentMessage)
        .where(SentMessage.programme_id == programme.id)
        .options(
            selectinload(SentMessage.sender),
            selectinload(SentMessage.recipients).selectinload(SentMessageRecipient.registration),
        )
        .order_by(SentMessage.sent_at.desc(), SentMessage.id.desc())
    )
    return db.paginate(statement, page=clamp_page(page), per_page=per_page, error_out=False)
