"""Scored selection: a programme's rubric, and each reviewer's score sheet per application."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from miti_training.extensions import db
from miti_training.models.common import UTCDateTime, utcnow
from miti_training.models.programme import Programme
from miti_training.models.registration import Registration
from miti_training.models.user import User


class RubricCriterion(db.Model):
    """One criterion of a programme's rubric, scored 1–5 and weighted."""

    __tablename__ = "rubric_criteria"
    __table_args__ = (CheckConstraint("weight >= 1 AND weight <= 100", name="weight_in_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500), default="")
    weight: Mapped[int] = mapped_column(default=1)
    #: Order on the score sheet, smallest first.
    position: Mapped[int] = mapped_column(default=0)

    programme: Mapped[Programme] = relationship()


class ScoreSheet(db.Model):
    """One reviewer's scores of one application; others' sheets stay hidden from a reviewer
    until their own is submitted."""

    __tablename__ = "score_sheets"
    __table_args__ = (UniqueConstraint("registration_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    #: Null once the reviewer's account is deleted: the scores still count.
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Null while a draft; once set the sheet counts and can no longer change.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    registration: Mapped[Registration] = relationship()
    reviewer: Mapped[User | None] = relationship()
    scores: Mapped[list["Score"]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan", passive_deletes=True
    )


class Score(db.Model):
    """The value one sheet gives one criterion."""

    __tablename__ = "scores"
    __table_args__ = (
        UniqueConstraint("sheet_id", "criterion_id"),
        CheckConstraint("value >= 1 AND value <= 5", name="value_one_to_five"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("score_sheets.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_criteria.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[int] = mapped_column()

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")
    criterion: Mapped[RubricCriterion] = relationship()
