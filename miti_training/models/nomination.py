"""Nomination by member cities: focal points, the places each city may fill, the caps per world
region, and the nominations themselves."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from miti_training.extensions import db
from miti_training.models.centre import MemberCity, WorldRegion
from miti_training.models.common import UTCDateTime, str_enum, utcnow
from miti_training.models.programme import Programme
from miti_training.models.registration import Registration
from miti_training.models.user import User


class FocalPoint(db.Model):
    """A person who puts forward the officials of one member city (a city may have several)."""

    __tablename__ = "focal_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Unique: a person is focal point for one city at most.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    member_city_id: Mapped[int] = mapped_column(
        ForeignKey("member_cities.id", ondelete="RESTRICT"), index=True
    )
    granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    member_city: Mapped[MemberCity] = relationship()
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])


class CityAllocation(db.Model):
    """How many officials one member city may nominate for one programme, and how many it has.

    The row is made on the city's first nomination with the programme's default allocation,
    or earlier by an override. `taken` moves only by conditional UPDATEs, like seats.
    """

    __tablename__ = "city_allocations"
    __table_args__ = (
        UniqueConstraint("programme_id", "member_city_id"),
        CheckConstraint("places >= 0", name="places_not_negative"),
        CheckConstraint("taken >= 0", name="taken_not_negative"),
        #: The allocation's last line of defence, as seats_within_capacity is for seats.
        CheckConstraint("taken <= places", name="taken_within_places"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    member_city_id: Mapped[int] = mapped_column(
        ForeignKey("member_cities.id", ondelete="RESTRICT"), index=True
    )
    places: Mapped[int] = mapped_column(default=0)
    #: Active nominations of the city (withdrawn ones give their place back).
    taken: Mapped[int] = mapped_column(default=0)
    #: True when staff set places for this city; False when it follows the default.
    is_override: Mapped[bool] = mapped_column(default=False)

    programme: Mapped[Programme] = relationship()
    member_city: Mapped[MemberCity] = relationship()


class RegionCap(db.Model):
    """At most `places` selected participants from one world region of the network."""

    __tablename__ = "region_caps"
    __table_args__ = (
        UniqueConstraint("programme_id", "world_region"),
        CheckConstraint("places >= 0", name="places_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    world_region: Mapped[WorldRegion] = mapped_column(str_enum(WorldRegion))
    places: Mapped[int] = mapped_column(default=0)

    programme: Mapped[Programme] = relationship()


class NominationStatus(enum.StrEnum):
    #: Put forward; the official has not applied yet.
    NOMINATED = "nominated"
    #: The official applied: the registration says what happened next.
    APPLIED = "applied"
    WITHDRAWN = "withdrawn"


class Nomination(db.Model):
    """One official put forward by a focal point of their city for one programme."""

    __tablename__ = "nominations"
    __table_args__ = (UniqueConstraint("programme_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    member_city_id: Mapped[int] = mapped_column(
        ForeignKey("member_cities.id", ondelete="RESTRICT"), index=True
    )
    #: The official's account; null while an emailed invitation has not been taken up.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: Normalised address the nomination was sent to (the account's, or the invitation's).
    email: Mapped[str] = mapped_column(String(254))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    #: Language of the nomination email when there is no account yet.
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[NominationStatus] = mapped_column(
        str_enum(NominationStatus), default=NominationStatus.NOMINATED, index=True
    )
    #: SHA-256 of the secret in the emailed link; the secret itself is never stored.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: When the link of token_hash was emailed; its expiry counts from here
    #: (nominations/invitations.py).
    invitation_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    nominated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    programme: Mapped[Programme] = relationship()
    member_city: Mapped[MemberCity] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    registration: Mapped[Registration | None] = relationship()
    nominated_by: Mapped[User | None] = relationship(foreign_keys=[nominated_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
