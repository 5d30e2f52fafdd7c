"""User accounts."""

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from miti_training.extensions import db
from miti_training.models.centre import MemberCity, Membership, MembershipRole
from miti_training.models.common import UTCDateTime, utcnow


def new_session_token() -> str:
    """A random token; rotating it ends every session and remember-me cookie of the account."""
    return secrets.token_urlsafe(24)


def normalise_email(email: str) -> str:
    """The one form an email address is stored and compared in: trimmed, lower case."""
    return email.strip().lower()


class User(UserMixin, db.Model):
    """A person with an account: participant, staff or admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased so lookups are case-insensitive on every backend.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200))
    member_city_id: Mapped[int | None] = mapped_column(
        ForeignKey("member_cities.id", ondelete="RESTRICT"), index=True
    )
    job_title: Mapped[str] = mapped_column(String(200), default="")
    preferred_language: Mapped[str] = mapped_column(String(8), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    is_admin: Mapped[bool] = mapped_column(default=False)
    #: False for deactivated accounts; they cannot log in and their sessions end.
    is_enabled: Mapped[bool] = mapped_column(default=True)
    #: Never null: an account is made only once its address is proven, and a path that forgot
    #: to say when fails at the insert instead of making an unconfirmed account.
    email_confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Part of the login session id; changing it logs the account out everywhere.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Secret part of the personal calendar feed URL; null until asked for, new when revoked.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    member_city: Mapped[MemberCity | None] = relationship()
    memberships: Mapped[list[Membership]] = relationship(
        foreign_keys=[Membership.user_id], back_populates="user", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<User {self.id}>"

    # Flask-Login -----------------------------------------------------------------------
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.is_enabled

    # Passwords -------------------------------------------------------------------------
    def set_password(self, password: str) -> None:
        """Hash with scrypt (Werkzeug's default salted KDF)."""
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.password_changed_at = utcnow()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def end_all_sessions(self) -> None:
        """Invalidate every login session and remember-me cookie of this account."""
        self.session_token = new_session_token()

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def is_staff(self) -> bool:
        return self.is_admin or bool(self.memberships)

    @property
    def is_reviewer(self) -> bool:
        """Holds the reviewer role in some centre (scores applications there)."""
        return any(m.role == MembershipRole.REVIEWER for m in self.memberships)
