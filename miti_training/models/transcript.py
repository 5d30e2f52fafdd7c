"""Transcripts: an official's training record as printed, checked publicly by its code."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from miti_training.extensions import db
from miti_training.models.common import UTCDateTime, utcnow
from miti_training.models.user import User


class Transcript(db.Model):
    """One printed transcript; it keeps what it listed, so the public check shows exactly
    what was printed even after the record grows or a certificate is revoked."""

    __tablename__ = "transcripts"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Random, unguessable; printed on the PDF and in its QR code.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    #: Deleting the account deletes its transcripts: they name the person.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The name as printed.
    full_name: Mapped[str] = mapped_column(String(200))
    #: The language it was printed in.
    language: Mapped[str] = mapped_column(String(8), default="en")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: What the transcript lists: {"entries": [{title, centre, starts_on, ends_on, present,
    #: total, percent, certificate}, ...]} (dates as ISO strings).
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    user: Mapped[User] = relationship()
