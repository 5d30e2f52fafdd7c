"""The mail outbox: every message is a row committed with the change that caused it."""

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from miti_training.extensions import db
from miti_training.models.common import UTCDateTime, utcnow

#: Rows still to send; the partial index keeps the sweeper's query small however many were sent.
UNSENT = text("sent_at IS NULL")


class OutboxMessage(db.Model):
    """One rendered email, sent once by whoever claims it first (mail.outbox)."""

    __tablename__ = "mail_outbox"
    __table_args__ = (
        Index(
            "ix_mail_outbox_due", "next_attempt_at", postgresql_where=UNSENT, sqlite_where=UNSENT
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(32), unique=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text, default="")
    locale: Mapped[str] = mapped_column(String(8))
    #: Where replies go (a centre's or a coordinator's address); empty: no Reply-To header.
    reply_to: Mapped[str] = mapped_column(String(254), default="", server_default="")
    #: Files sent along: [{"filename", "content_type", "data" (base64)}].
    attachments: Mapped[list | None] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Delivery attempts begun (a claim counts one).
    attempts: Mapped[int] = mapped_column(default=0)
    #: Not claimed before this time: now for a new message, later after a failure (backoff).
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: A sender holds the message until this time; past it, the claim has lapsed.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
