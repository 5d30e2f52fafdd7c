"""Attendee lists of a programme as CSV or XLSX, in pages of rows so memory stays bounded.

The caller chooses the words (headers, statuses, yes/no) in the reader's language and passes
them in as an ExportWording; nothing here reads the request. Rows are read in keyset pages
(registration id order) with the attendance of each page in one more query, so an export
issues the same statements for 5 or 500 registrations per page, and every step of
`csv_chunks` and `row_batches` finishes its reading before it yields (the CSV view reads each
page in a fresh app context).

Every text cell goes through `cell_text`: characters XML cannot hold are removed and a cell
that a spreadsheet program would read as a formula gets a leading apostrophe, in CSV and
XLSX alike. The files are written by the spreadsheets module.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import selectinload

from miti_training import audit, bidi, spreadsheets
from miti_training.db_setup import write_transaction_of_its_own
from miti_training.errors import FieldError
from miti_training.extensions import db
from miti_training.models import (
    Attendance,
    AuditEntry,
    MemberCity,
    Programme,
    ProgrammeSession,
    QuestionKind,
    Registration,
    RegistrationStatus,
)
from miti_training.registrations.answers import answer_key
from miti_training.spreadsheets import cell_text

#: Every registration whatever its status; the other choices are one status each.
ALL = "all"
DEFAULT_STATUS = RegistrationStatus.CONFIRMED.value
#: The choices offered, most useful first.
STATUS_CHOICES = (
    RegistrationStatus.CONFIRMED.value,
    RegistrationStatus.APPLIED.value,
    RegistrationStatus.WAITLISTED.value,
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
    consent_data: str
    consent_listing: str
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
    #: Empty until some attendance of the programme is recorded.
    sessions: tuple[SessionColumn, ...]

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


def local_time(moment: datetime | None, zone: str) -> str:
    """An aware UTC moment as "YYYY-MM-DD HH:MM" in zone ("" for none)."""
    if moment is None:
        return ""
    t = moment.astimezone(ZoneInfo(zone))
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}"


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


def plan_export(programme: Programme, status: str | None, zone: str) -> ExportPlan:
    """The columns of programme's export of registrations in status (checked) or ALL."""
    status = check_status(status)
    questions = tuple(
        QuestionColumn(key=answer_key(q), label=q.label, kind=str(q.kind))
        for q in programme.questions
    )
    sessions: tuple[SessionColumn, ...] = ()
    if programme.sessions and has_attendance(programme):
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
    )


def record_download(programme: Programme, plan: ExportPlan, actor, file_format: str) -> None:
    """Audit who downloaded which list of programme, committed before the file is sent."""
    entry = AuditEntry(  # built from loaded ids: the commit below expires the objects
        action=audit.LIST_DOWNLOAD,
        actor_id=actor.id,
        centre_id=programme.centre_id,
        programme_id=programme.id,
        to_state=plan.status,
        reason=file_format,
    )
    with write_transaction_of_its_own(db.session):
        db.session.add(entry)


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


# Rows ------------------------------------------------------------------------------------


def header_row(plan: ExportPlan, wording: ExportWording) -> list[str]:
    headers = [
        wording.name,
        wording.email,
        wording.organisation,
        wording.member_city,
        wording.country,
        wording.job_title,
        wording.status,
        wording.registered_at,
        *(q.label for q in plan.questions),
        wording.consent_data,
        wording.consent_listing,
        *(s.header for s in plan.sessions),
    ]
    return [cell_text(h) for h in headers]


def _answer(value: Any, kind: str, wording: ExportWording) -> str:
    """An answer as one cell: choices joined with "; ", yes/no in words."""
    if value is None:
        return ""
    if kind == QuestionKind.YES_NO:
        if value in ("yes", True):
            return wording.yes
        if value in ("no", False):
            return wording.no
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value if v is not None)
    if isinstance(value, bool):
        return wording.yes if value else wording.no
    return str(value)


def _statement(plan: ExportPlan):
    statement = (
        select(
            Registration.id,
            Registration.full_name,
            Registration.email,
            Registration.organisation,
            MemberCity.name.label("member_city"),
            Registration.country,
            Registration.job_title,
            type_coerce(Registration.status, String).label("status"),
            Registration.created_at,
            Registration.answers,
            Registration.consent_data_at,
            Registration.consent_listing_at,
        )
        .outerjoin(MemberCity, MemberCity.id == Registration.member_city_id)
        .where(Registration.programme_id == plan.programme_id)
        .order_by(Registration.id)
    )
    if plan.status != ALL:
        statement = statement.where(Registration.status == plan.status)
    return statement


def _attendance_of(plan: ExportPlan, first_id: int, last_id: int) -> dict[tuple[int, int], str]:
    """(registration id, session id) -> attendance status, for one page of registrations."""
    status = type_coerce(Attendance.status, String)
    rows = db.session.connection().execute(
        select(Attendance.registration_id, Attendance.session_id, status).where(
            Attendance.registration_id.between(first_id, last_id),
            Attendance.session_id.in_([s.session_id for s in plan.sessions]),
        )
    )
    return {(rid, sid): mark for rid, sid, mark in rows}


def row_batches(
    plan: ExportPlan, wording: ExportWording, batch_size: int = BATCH_SIZE
) -> Iterator[list[list[str]]]:
    """The data rows, batch_size registrations at a time, each cell already made safe.

    Each batch is read completely before it is yielded; the next one is read with whatever
    database session is current then.
    """
    statement = _statement(plan)
    zone = plan.zone
    statuses, attendance_words = wording.statuses, wording.attendance
    after = 0
    while True:
        # Plain rows from the connection: no ORM objects, no identity map to fill.
        page = (
            db.session.connection()
            .execute(statement.where(Registration.id > after).limit(batch_size))
            .all()
        )
        if not page:
            return
        attended = _attendance_of(plan, page[0].id, page[-1].id) if plan.sessions else {}
        batch = []
        for r in page:
            answers = r.answers or {}
            status = r.status
            row = [
                # Typed by the participant: isolated (docs/security.md, item 28).
                bidi.isolate(r.full_name),
                r.email,
                bidi.isolate(r.organisation),
                r.member_city,
                r.country,
                bidi.isolate(r.job_title),
                statuses.get(status, status),
                local_time(r.created_at, zone),
                *(_answer(answers.get(q.key), q.kind, wording) for q in plan.questions),
                local_time(r.consent_data_at, zone),
                local_time(r.consent_listing_at, zone) or wording.no,
            ]
            for s in plan.sessions:
                mark = attended.get((r.id, s.session_id))
                row.append(attendance_words.get(mark, mark) if mark else "")
            batch.append([cell_text(value) for value in row])
        yield batch
        if len(page) < batch_size:
            return
        after = page[-1].id


# Files -----------------------------------------------------------------------------------

#: Width in characters of the fixed columns, in header_row's order.
_FIXED_WIDTHS = (28, 32, 28, 20, 18, 28, 22, 18)
_CONSENT_WIDTH = 20


def csv_chunks(
    plan: ExportPlan, wording: ExportWording, batch_size: int = BATCH_SIZE
) -> Iterator[bytes]:
    """The CSV file in pieces, one per batch of registrations."""
    yield from spreadsheets.csv_chunks(
        header_row(plan, wording), row_batches(plan, wording, batch_size)
    )


def write_xlsx(
    plan: ExportPlan, wording: ExportWording, target: IO[bytes], batch_size: int = BATCH_SIZE
) -> int:
    """Write the workbook to target (a binary file); return the number of data rows."""
    widths = [
        *_FIXED_WIDTHS,
        *(40 if q.kind == QuestionKind.LONG_TEXT else 18 for q in plan.questions),
        _CONSENT_WIDTH,
        _CONSENT_WIDTH,
        *(14 for _ in plan.sessions),
    ]
    return spreadsheets.write_xlsx(
        target,
        title=spreadsheets.sheet_title(wording.sheet_title, "Registrations"),
        header=header_row(plan, wording),
        widths=widths,
        batches=row_batches(plan, wording, batch_size),
    )
