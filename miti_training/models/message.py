"""Messages a centre sent to a programme's participants, and the automatic reminders sent."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from miti_training.extensions import db
from miti_training.models.common import UTCDateTime, str_enum, utcnow
from miti_training.models.programme import Programme
from miti_training.models.registration import Registration
from miti_training.models.user import User


class SentMessage(db.Model):
    """One message from the centre, stored in the transaction that queued its emails."""

    __tablename__ = "sent_messages"
    __table_args__ = (Index("ix_sent_messages_programme_id_sent_at", "programme_id", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    sender_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: The sender's name when it was sent (the account may be gone since).
    sender_name: Mapped[str] = mapped_column(String(200), default="")
    audience: Mapped[str] = mapped_column(String(20))
    reply_to: Mapped[str] = mapped_column(String(254), default="")
    #: The language of the original, then those of the other versions, comma-separated.
    languages: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(Text)
    recipient_count: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    programme: Mapped[Programme] = relationship()
    sender: Mapped[User | None] = relationship()
    recipients: Mapped[list["SentMessageRecipient"]] = relationship(
        back_populates="message", cascade="all, delete-orphan"
    )

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class SentMessageRecipient(db.Model):
    """Who received a message, and in which language; the name is read from the registration,
    so an anonymised registration stays anonymous here too."""

    __tablename__ = "sent_message_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("sent_messages.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))

    message: Mapped[SentMessage] = relationship(back_populates="recipients")
    registration: Mapped[Registration] = relationship()


class ReminderKind(enum.StrEnum):
    #: A few days before the first session.
    BEFORE_START = "before_start"
    #: After the programme, to those who completed it, with the certificate.
    FOLLOW_UP = "follow_up"


class ReminderSent(db.Model):
    """An automatic email sent to one registration; the unique pair makes it once per person."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("registration_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ReminderKind] = mapped_column(str_enum(ReminderKind))
    #: The outbox message that carried it.
    message_id: Mapped[str] = mapped_column(String(32), default="")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
