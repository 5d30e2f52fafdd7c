"""Training centres and the member cities participants come from."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from miti_training.extensions import db
from miti_training.models.common import UTCDateTime, str_enum, utcnow
from miti_training.models.translatable import Translatable


class CentreKind(enum.StrEnum):
    HEADQUARTERS = "headquarters"
    REGIONAL = "regional"


class WorldRegion(enum.StrEnum):
    """Metropolis world regions, used for network statistics."""

    AFRICA = "africa"
    ASIA_PACIFIC = "asia_pacific"
    EUROPE = "europe"
    LATIN_AMERICA = "latin_america"
    MIDDLE_EAST = "middle_east"
    NORTH_AMERICA = "north_america"


class Centre(Translatable, db.Model):
    """A MITI centre: headquarters in Seoul or a regional centre; name and description in
    English, translated in centre_translations."""

    __tablename__ = "centres"
    #: The description is read when needed, not fetched back on every INSERT.
    __mapper_args__ = {"eager_defaults": False}
    TRANSLATED_FIELDS = ("name", "description")

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: What the centre offers, in a few sentences (home and centre pages). A server default,
    #: so rows written without it (older schemas, data migrations) stay valid.
    description: Mapped[str] = mapped_column(Text, server_default="")
    city: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(120))
    #: IANA zone name; session times are entered and shown in it.
    timezone: Mapped[str] = mapped_column(String(64))
    kind: Mapped[CentreKind] = mapped_column(str_enum(CentreKind), default=CentreKind.REGIONAL)
    host_institution: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Also set when only its translations change (models/touching.py): public pages that
    #: show the centre are as new as this.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(  # noqa: F821
        back_populates="centre", cascade="all, delete-orphan"
    )
    programmes: Mapped[list["Programme"]] = relationship(back_populates="centre")  # noqa: F821
    translations: Mapped[list["CentreTranslation"]] = relationship(
        back_populates="centre",
        cascade="all, delete-orphan",
        order_by="CentreTranslation.language",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<Centre {self.slug}>"


class CentreTranslation(db.Model):
    """A centre's name and description in another language than English."""

    __tablename__ = "centre_translations"
    __table_args__ = (UniqueConstraint("centre_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    centre: Mapped[Centre] = relationship(back_populates="translations")


class MemberCity(Translatable, db.Model):
    """A Metropolis member city or partner organisation; every participant belongs to one.
    The name is in English, translated in member_city_translations."""

    __tablename__ = "member_cities"
    __table_args__ = (UniqueConstraint("name", "country"),)
    TRANSLATED_FIELDS = ("name",)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(120))
    world_region: Mapped[WorldRegion] = mapped_column(str_enum(WorldRegion), index=True)
    #: False for partner organisations that are not cities.
    is_city: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    translations: Mapped[list["MemberCityTranslation"]] = relationship(
        back_populates="member_city",
        cascade="all, delete-orphan",
        order_by="MemberCityTranslation.language",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<MemberCity {self.name}>"


class MemberCityTranslation(db.Model):
    """A member city's name in another language than English."""

    __tablename__ = "member_city_translations"
    __table_args__ = (UniqueConstraint("member_city_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_city_id: Mapped[int] = mapped_column(
        ForeignKey("member_cities.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))

    member_city: Mapped[MemberCity] = relationship(back_populates="translations")


class MembershipRole(enum.StrEnum):
    COORDINATOR = "coordinator"
    DIRECTOR = "director"
    #: Scores applications of the centre's programmes; sees nothing else of the centre.
    REVIEWER = "reviewer"


class Membership(db.Model):
    """A staff role a user holds in one centre."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "centre_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id", ondelete="CASCADE"), index=True)
    role: Mapped[MembershipRole] = mapped_column(str_enum(MembershipRole))
    granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped["User"] = relationship(  # noqa: F821
        foreign_keys=[user_id], back_populates="memberships"
    )
    centre: Mapped[Centre] = relationship(back_populates="memberships")
    granted_by: Mapped["User | None"] = relationship(foreign_keys=[granted_by_id])  # noqa: F821
