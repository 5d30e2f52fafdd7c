"""Attendee lists of a programme: what one export holds (its plan), and the record of who
downloaded which list. export_files reads the rows and writes the CSV or XLSX file.

The caller chooses the words (headers, statuses, yes/no) in the reader's language and passes
them in as an ExportWording; nothing here reads the request. Which columns a file holds is
the plan's choice (export_columns).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from miti_training import audit, spreadsheets
from miti_training.db_setup import write_transaction_of_its_own
from miti_training.errors import FieldError
from miti_training.extensions import db
from miti_training.models import (
    Attendance,
    AuditEntry,
    Programme,
    ProgrammeSession,
    RegistrationStatus,
)
from miti_training.registrations import export_columns as cols
from miti_training.registrations.answers import answer_key

#: Every registration whatever its status; the other choices are one status each.
ALL = "all"
DEFAULT_STATUS = RegistrationStatus.CONFIRMED.value
#: The choices offered, most useful first.
STATUS_CHOICES = (
    RegistrationStatus.CONFIRMED.value,
    RegistrationStatus.APPLIED.value,
    RegistrationStatus.WAITLISTED.value,
    RegistrationStatus.OFFERED.value,
    RegistrationStatus.DECLINED.value,
    RegistrationStatus.WITHDRAWN.value,
    RegistrationStatus.CANCELLED.value,
    ALL,
)

CHOOSE_STATUS = _l("Choose which registrations to export from the list.")

#: Registrations read per query. Small enough for SQLite's limit on bound parameters and a
#: few megabytes of rows, large enough that 50,000 registrations take 100 queries.
BATCH_SIZE = 500


@dataclass(frozen=True)
class ExportWording:
    """The words of an export in the reader's language, chosen by the caller."""

    name: str
    email: str
    organisation: str
    member_city: str
    country: str
    job_title: str
    status: str
    #: Should name the time zone: times are the centre's wall-clock times.
    registered_at: str
    motivation: str
    accessibility_needs: str
    dietary_needs: str
    consent_data: str
    consent_listing: str
    consent_photos: str
    yes: str
    no: str
    #: Registration status value -> its word.
    statuses: Mapping[str, str]
    #: Attendance status value (present, absent, excused) -> its word.
    attendance: Mapping[str, str]
    sheet_title: str = "Registrations"


@dataclass(frozen=True)
class QuestionColumn:
    key: str
    label: str
    kind: str


@dataclass(frozen=True)
class SessionColumn:
    session_id: int
    header: str


@dataclass(frozen=True)
class ExportPlan:
    """What one export holds, as plain data (usable after the session that read it is gone)."""

    programme_id: int
    programme_slug: str
    #: A RegistrationStatus value, or ALL.
    status: str
    zone: str
    questions: tuple[QuestionColumn, ...]
    #: Empty until some attendance of the programme is recorded, or when not chosen.
    sessions: tuple[SessionColumn, ...]
    #: Column keys (export_columns.COLUMNS), in the file's order.
    columns: tuple[str, ...] = cols.DEFAULT_COLUMNS

    def filename(self, extension: str, today: date) -> str:
        """e.g. "peer-review-confirmed-2026-11-27.csv" (slugs are ASCII letters, digits, -)."""
        return f"{self.programme_slug}-{self.status}-{today.isoformat()}.{extension}"


def check_status(value: str | None) -> str:
    """The status choice of an export; a missing one is the default, an unknown one refused."""
    if value is None or value == "":
        return DEFAULT_STATUS
    if value not in STATUS_CHOICES:
        raise FieldError(CHOOSE_STATUS, field="status")
    return value


def local_moment(moment: datetime | None, zone: str) -> datetime | None:
    """An aware UTC moment as the naive wall-clock time in zone, to the minute (None stays)."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None, second=0, microsecond=0)


def local_time(moment: datetime | None, zone: str) -> str:
    """An aware UTC moment as "YYYY-MM-DD HH:MM" in zone ("" for none)."""
    return spreadsheets.moment_text(local_moment(moment, zone))


def has_attendance(programme: Programme) -> bool:
    """Whether any attendance of the programme is recorded (attendance columns appear then)."""
    return (
        db.session.scalar(
            select(Attendance.id)
            .join(ProgrammeSession, ProgrammeSession.id == Attendance.session_id)
            .where(ProgrammeSession.programme_id == programme.id)
            .limit(1)
        )
        is not None
    )


def plan_export(
    programme: Programme,
    status: str | None,
    zone: str,
    columns: tuple[str, ...] = cols.DEFAULT_COLUMNS,
) -> ExportPlan:
    """The columns (chosen keys, checked) of programme's export of registrations in status
    (checked) or ALL."""
    status = check_status(status)
    columns = cols.check_columns(columns)
    questions: tuple[QuestionColumn, ...] = ()
    if cols.ANSWERS in columns:
        questions = tuple(
            QuestionColumn(key=answer_key(q), label=q.label, kind=str(q.kind))
            for q in programme.questions
        )
    sessions: tuple[SessionColumn, ...] = ()
    if cols.ATTENDANCE in columns and programme.sessions and has_attendance(programme):
        sessions = tuple(
            SessionColumn(s.id, f"{s.title} ({local_time(s.starts_at, zone)})")
            for s in programme.sessions
        )
    return ExportPlan(
        programme_id=programme.id,
        programme_slug=programme.slug,
        status=status,
        zone=zone,
        questions=questions,
        sessions=sessions,
        columns=columns,
    )


def record_download(
    programme: Programme, plan: ExportPlan, actor, file_format: str, *, remember: bool = False
) -> None:
    """Audit who downloaded which list of programme, committed before the file is sent; with
    remember, the plan's columns become the actor's choice in the same transaction."""
    entry = AuditEntry(  # built from loaded ids: the commit below expires the objects
        action=audit.LIST_DOWNLOAD,
        actor_id=actor.id,
        centre_id=programme.centre_id,
        programme_id=programme.id,
        to_state=plan.status,
        reason=file_format,
    )
    actor_id, columns = actor.id, plan.columns
    with write_transaction_of_its_own(db.session):
        db.session.add(entry)
        if remember:
            cols.remember_columns(actor_id, columns)


def recent_downloads(programme: Programme, limit: int = 10) -> list[AuditEntry]:
    """The latest downloads of programme's attendee lists, newest first, with their actors."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.programme_id == programme.id, AuditEntry.action == audit.LIST_DOWNLOAD
            )
            .options(selectinload(AuditEntry.actor))
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
    )
