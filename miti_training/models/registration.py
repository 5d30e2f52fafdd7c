"""Registrations of participants for programmes, and their attendance."""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from miti_training.extensions import db
from miti_training.models.centre import Centre, MemberCity
from miti_training.models.common import UTCDateTime, str_enum, utcnow
from miti_training.models.programme import Programme, ProgrammeSession
from miti_training.models.user import User


class RegistrationStatus(enum.StrEnum):
    APPLIED = "applied"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    #: A freed seat held for the first on the waiting list until they accept or the offer
    #: expires (programmes whose offers expire).
    OFFERED = "offered"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"


#: Statuses of a registration still in play (counted, notified on cancellation).
ACTIVE_STATUSES = (
    RegistrationStatus.APPLIED,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.OFFERED,
)


class Registration(db.Model):
    """One participant's registration for one programme (unique per pair)."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("programme_id", "user_id"),
        CheckConstraint(
            "waitlist_position IS NULL OR waitlist_position > 0",
            name="waitlist_position_positive",
        ),
        Index("ix_registrations_programme_id_status", "programme_id", "status"),
        #: The sweep's query: offers whose deadline has passed.
        Index("ix_registrations_status_offer_expires_at", "status", "offer_expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    #: Null once the account is deleted (the registration is kept, anonymised).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[RegistrationStatus] = mapped_column(
        str_enum(RegistrationStatus), default=RegistrationStatus.APPLIED, index=True
    )
    # Snapshot of the participant's profile at registration time.
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    #: The member city at registration time, for the network's statistics.
    member_city_id: Mapped[int | None] = mapped_column(
        ForeignKey("member_cities.id", ondelete="SET NULL"), index=True
    )
    country: Mapped[str] = mapped_column(String(120), default="")
    job_title: Mapped[str] = mapped_column(String(200), default="")
    motivation: Mapped[str] = mapped_column(Text, default="")
    accessibility_needs: Mapped[str] = mapped_column(Text, default="")
    dietary_needs: Mapped[str] = mapped_column(Text, default="")
    #: Answers to the programme's custom questions, keyed by question id.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    consent_data_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the participant agreed to appear on the participant list (null: not agreed).
    consent_listing_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the participant agreed that photos in which they appear may be published (null:
    #: not agreed, or withdrawn).
    consent_photos_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: 1 = next in line; null unless waitlisted.
    waitlist_position: Mapped[int | None] = mapped_column()
    #: Until when an offered seat is held; null unless offered.
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    programme: Mapped[Programme] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    member_city: Mapped[MemberCity | None] = relationship()

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status}>"


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


class Attendance(db.Model):
    """Whether a registered participant attended one session."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("registration_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_sessions.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[AttendanceStatus] = mapped_column(str_enum(AttendanceStatus))
    #: True when the participant checked in themselves with the session code.
    is_self_check_in: Mapped[bool] = mapped_column(default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    registration: Mapped[Registration] = relationship()
    session: Mapped[ProgrammeSession] = relationship()


class Certificate(db.Model):
    """A certificate of attendance for one registration, checked publicly by its code."""

    __tablename__ = "certificates"
    __table_args__ = (
        # At most one valid certificate per registration; revoked ones stay as history.
        Index(
            "uq_certificates_one_valid_per_registration",
            "registration_id",
            unique=True,
            postgresql_where=text("revoked_at IS NULL"),
            sqlite_where=text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    #: Random, unguessable; printed on the PDF and in its QR code.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    #: The name as printed, kept even if the account is later renamed or deleted.
    full_name: Mapped[str] = mapped_column(String(200))
    #: Share of the programme's sessions attended (percent) when issued.
    attendance_percent: Mapped[int] = mapped_column(default=0)
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revocation_reason: Mapped[str] = mapped_column(Text, default="")

    registration: Mapped[Registration] = relationship()
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class AuditEntry(db.Model):
    """Who did what to which programme or registration, when, from what to what."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: Dotted verb, e.g. "registration.confirm", "programme.publish", "role.grant".
    action: Mapped[str] = mapped_column(String(60), index=True)
    centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("centres.id", ondelete="SET NULL"), index=True
    )
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="SET NULL"), index=True
    )
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    #: The user the action was about (role grants, account changes).
    subject_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    from_state: Mapped[str] = mapped_column(String(40), default="")
    to_state: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    # Read-only: what the entry is about, for the sentences that show it (loaded in bulk).
    subject_user: Mapped[User | None] = relationship(foreign_keys=[subject_user_id], viewonly=True)
    centre: Mapped[Centre | None] = relationship(viewonly=True)
    programme: Mapped[Programme | None] = relationship(viewonly=True)
    registration: Mapped["Registration | None"] = relationship(viewonly=True)
