"""Programmes (courses, workshops, forums, ...) and their dated sessions."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from miti_training.extensions import db
from miti_training.models.centre import Centre
from miti_training.models.common import UTCDateTime, str_enum, utcnow
from miti_training.models.translatable import Translatable, TranslatedText

#: The texts of a programme in one language: title, summary, description and venue.
ProgrammeText = TranslatedText


class ProgrammeKind(enum.StrEnum):
    COURSE = "course"
    WORKSHOP = "workshop"
    FORUM = "forum"
    STUDY_VISIT = "study_visit"
    WEBINAR = "webinar"


class ProgrammeFormat(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class Theme(enum.StrEnum):
    """Training themes the catalogue filters on."""

    URBAN_GOVERNANCE = "urban_governance"
    URBAN_TRANSPORTATION = "urban_transportation"
    E_GOVERNMENT = "e_government"
    WATER_MANAGEMENT = "water_management"
    CLIMATE_CHANGE = "climate_change"
    SMART_CITY = "smart_city"
    SUSTAINABLE_MOBILITY = "sustainable_mobility"
    URBAN_PLANNING = "urban_planning"
    HOUSING = "housing"
    RESILIENCE = "resilience"


class EnrolmentPolicy(enum.StrEnum):
    FIRST_COME = "first_come"
    REVIEW = "review"
    #: Only officials put forward by a focal point of their city may apply; staff select.
    NOMINATION = "nomination"


class ProgrammeStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Programme(Translatable, db.Model):
    """A training offer of one centre, with its registration rules and seat counter."""

    TRANSLATED_FIELDS = ("title", "summary", "description", "venue")

    __tablename__ = "programmes"
    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("seats_taken >= 0", name="seats_taken_not_negative"),
        #: The seat invariant's last line of defence: never more confirmed than capacity.
        CheckConstraint("seats_taken <= capacity", name="seats_within_capacity"),
        CheckConstraint("waitlist_length >= 0", name="waitlist_length_not_negative"),
        CheckConstraint("default_allocation >= 0", name="default_allocation_not_negative"),
        CheckConstraint(
            "city_selection_cap IS NULL OR city_selection_cap >= 1",
            name="city_selection_cap_positive",
        ),
        CheckConstraint("offer_hours >= 1 AND offer_hours <= 720", name="offer_hours_range"),
        CheckConstraint(
            "completion_threshold >= 0 AND completion_threshold <= 100",
            name="completion_threshold_percent",
        ),
        Index("ix_programmes_status_starts_on", "status", "starts_on"),
        #: The catalogue's default "not ended yet" filter and its count.
        Index("ix_programmes_status_ends_on", "status", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(
        ForeignKey("centres.id", ondelete="RESTRICT"), index=True
    )
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    #: Language of title, summary, description and venue; translations are separate rows.
    original_language: Mapped[str] = mapped_column(String(8), default="en")
    #: The programme this one was duplicated from (a new edition).
    edition_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[ProgrammeKind] = mapped_column(str_enum(ProgrammeKind), index=True)
    theme: Mapped[Theme] = mapped_column(str_enum(Theme, 40), index=True)
    format: Mapped[ProgrammeFormat] = mapped_column(str_enum(ProgrammeFormat), index=True)
    venue: Mapped[str] = mapped_column(String(300), default="")
    #: Working languages as comma-separated codes, e.g. "en,ko".
    languages: Mapped[str] = mapped_column(String(60), default="en", index=True)
    #: Calendar dates of the programme in the centre's time zone.
    starts_on: Mapped[date | None] = mapped_column(Date, index=True)
    ends_on: Mapped[date | None] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(default=0)
    #: Confirmed seats, taken with one conditional UPDATE so it never exceeds capacity.
    seats_taken: Mapped[int] = mapped_column(default=0)
    #: Registrations on the waiting list (their positions are 1..waitlist_length), so a new
    #: one gets its position from the same UPDATE that finds the programme full.
    waitlist_length: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    #: Indexed, as updated_at: the public pages' validators read the latest and next of them.
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    enrolment_policy: Mapped[EnrolmentPolicy] = mapped_column(
        str_enum(EnrolmentPolicy), default=EnrolmentPolicy.FIRST_COME
    )
    is_waitlist_enabled: Mapped[bool] = mapped_column(default=True)
    #: A freed seat is offered to the first on the waiting list for offer_hours, and passes
    #: to the next when not accepted in time; off: they are confirmed at once.
    offers_expire: Mapped[bool] = mapped_column(default=False, server_default=false())
    offer_hours: Mapped[int] = mapped_column(default=48, server_default=text("48"))
    #: When member cities' focal points may put officials forward (nomination policy only).
    nomination_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    nomination_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Officials each city may nominate unless a city_allocations row says otherwise.
    default_allocation: Mapped[int] = mapped_column(default=2, server_default=text("2"))
    #: At most this many selected from one member city (null: no cap).
    city_selection_cap: Mapped[int | None] = mapped_column()
    status: Mapped[ProgrammeStatus] = mapped_column(
        str_enum(ProgrammeStatus), default=ProgrammeStatus.DRAFT, index=True
    )
    cancellation_reason: Mapped[str] = mapped_column(Text, default="")
    #: Share of sessions (percent) a participant must attend to complete.
    completion_threshold: Mapped[int] = mapped_column(default=80)
    #: Whether confirmed participants get a reminder reminder_days before the first session.
    sends_reminder: Mapped[bool] = mapped_column(default=True, server_default=true())
    reminder_days: Mapped[int] = mapped_column(default=3, server_default="3")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Also set when only its sessions, questions or translations change (models/touching.py).
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, index=True
    )

    centre: Mapped[Centre] = relationship(back_populates="programmes")
    sessions: Mapped[list["ProgrammeSession"]] = relationship(
        back_populates="programme",
        cascade="all, delete-orphan",
        order_by="ProgrammeSession.starts_at",
    )
    questions: Mapped[list["ProgrammeQuestion"]] = relationship(
        back_populates="programme",
        cascade="all, delete-orphan",
        order_by="(ProgrammeQuestion.position, ProgrammeQuestion.id)",
    )
    translations: Mapped[list["ProgrammeTranslation"]] = relationship(
        back_populates="programme",
        cascade="all, delete-orphan",
        order_by="ProgrammeTranslation.language",
    )

    def __repr__(self) -> str:
        return f"<Programme {self.slug}>"

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def text_language(self) -> str:
        return self.original_language


class ProgrammePrerequisite(db.Model):
    """A programme an applicant must have completed before applying to or being nominated for
    another (e.g. a self-paced online module before the course)."""

    __tablename__ = "programme_prerequisites"
    __table_args__ = (CheckConstraint("programme_id <> required_programme_id", name="not_itself"),)

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    required_programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    programme: Mapped[Programme] = relationship(foreign_keys=[programme_id])
    required_programme: Mapped[Programme] = relationship(foreign_keys=[required_programme_id])


class ProgrammeTranslation(db.Model):
    """Title, summary, description and venue of a programme in another language."""

    __tablename__ = "programme_translations"
    __table_args__ = (UniqueConstraint("programme_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    venue: Mapped[str] = mapped_column(String(300), default="")

    programme: Mapped[Programme] = relationship(back_populates="translations")


class QuestionKind(enum.StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"


class ProgrammeQuestion(Translatable, db.Model):
    """A custom question of a programme's registration form, defined by the centre."""

    __tablename__ = "programme_questions"
    TRANSLATED_FIELDS = ("label", "help_text", "choices")

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    #: Order on the form, smallest first.
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind))
    label: Mapped[str] = mapped_column(String(300))
    help_text: Mapped[str] = mapped_column(String(500), default="")
    is_required: Mapped[bool] = mapped_column(default=False)
    #: The options of a single or multiple choice question, in order.
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    programme: Mapped[Programme] = relationship(back_populates="questions")
    translations: Mapped[list["QuestionTranslation"]] = relationship(
        back_populates="question",
        cascade="all, delete-orphan",
        order_by="QuestionTranslation.language",
        passive_deletes=True,
    )

    @property
    def text_language(self) -> str:
        return self.programme.original_language


class QuestionTranslation(db.Model):
    """A question's label, help text and choices (one for each of the original's, in the same
    order) in another language; answers keep the original choice."""

    __tablename__ = "question_translations"
    __table_args__ = (UniqueConstraint("question_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("programme_questions.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    label: Mapped[str] = mapped_column(String(300))
    help_text: Mapped[str] = mapped_column(String(500), default="")
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)

    question: Mapped[ProgrammeQuestion] = relationship(back_populates="translations")


class ProgrammeSession(Translatable, db.Model):
    """A dated part of a programme (a day, a module), stored in UTC."""

    __tablename__ = "programme_sessions"
    TRANSLATED_FIELDS = ("title",)
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    location: Mapped[str] = mapped_column(String(300), default="")

    programme: Mapped[Programme] = relationship(back_populates="sessions")
    translations: Mapped[list["SessionTranslation"]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        order_by="SessionTranslation.language",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<ProgrammeSession {self.id} of {self.programme_id}>"

    @property
    def text_language(self) -> str:
        return self.programme.original_language


class SessionTranslation(db.Model):
    """A session's title in another language than its programme's original."""

    __tablename__ = "session_translations"
    __table_args__ = (UniqueConstraint("session_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_sessions.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))

    session: Mapped[ProgrammeSession] = relationship(back_populates="translations")
