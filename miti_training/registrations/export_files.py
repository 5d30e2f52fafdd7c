"""The rows and files of an attendee list: what exports.plan_export planned, read in keyset
pages and written as CSV or XLSX.

Rows are read in registration id order with the attendance of each page in one more query, so
an export issues the same statements for 5 or 500 registrations per page, and every step of
`csv_chunks` and `row_batches` finishes its reading before it yields (the CSV view reads each
page in a fresh app context). Every text cell goes through `cell_text` (no formula runs,
nothing XML cannot hold); times are naive datetimes in the plan's zone, which the spreadsheets
module writes as date cells in XLSX and ISO 8601 text in CSV. Text the participant typed is
isolated (docs/security.md, item 28).
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from sqlalchemy import String, select, type_coerce

from miti_training import bidi, spreadsheets
from miti_training.extensions import db
from miti_training.models import Attendance, MemberCity, QuestionKind, Registration
from miti_training.registrations import export_columns as cols
from miti_training.registrations.exports import (
    ALL,
    BATCH_SIZE,
    ExportPlan,
    ExportWording,
    local_moment,
)
from miti_training.spreadsheets import cell_text


@dataclass(frozen=True)
class _Column:
    header: str
    #: Typical width in characters (the XLSX column width).
    width: int
    #: (result row, its attendance marks by session id) -> the cell's value, not yet safe.
    value: Callable[[Any, Mapping[int, str]], Any]


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


def _columns(plan: ExportPlan, wording: ExportWording) -> list[_Column]:
    """The plan's columns in the file's order, each with its header and how to fill it."""
    zone, statuses, marks = plan.zone, wording.statuses, wording.attendance
    iso = bidi.isolate
    single = {
        cols.NAME: _Column(wording.name, 28, lambda r, _: iso(r.full_name)),
        cols.EMAIL: _Column(wording.email, 32, lambda r, _: r.email),
        cols.ORGANISATION: _Column(wording.organisation, 28, lambda r, _: iso(r.organisation)),
        cols.MEMBER_CITY: _Column(wording.member_city, 20, lambda r, _: r.member_city),
        cols.COUNTRY: _Column(wording.country, 18, lambda r, _: r.country),
        cols.JOB_TITLE: _Column(wording.job_title, 28, lambda r, _: iso(r.job_title)),
        cols.STATUS: _Column(wording.status, 22, lambda r, _: statuses.get(r.status, r.status)),
        cols.REGISTERED_AT: _Column(
            wording.registered_at, 18, lambda r, _: local_moment(r.created_at, zone)
        ),
        cols.MOTIVATION: _Column(wording.motivation, 50, lambda r, _: iso(r.motivation)),
        cols.ACCESSIBILITY_NEEDS: _Column(
            wording.accessibility_needs, 30, lambda r, _: iso(r.accessibility_needs)
        ),
        cols.DIETARY_NEEDS: _Column(wording.dietary_needs, 30, lambda r, _: iso(r.dietary_needs)),
    }
    columns: list[_Column] = []
    for key in plan.columns:
        if key in single:
            columns.append(single[key])
        elif key == cols.ANSWERS:
            columns += [
                _Column(
                    q.label,
                    40 if q.kind == QuestionKind.LONG_TEXT else 18,
                    lambda r, _, q=q: _answer((r.answers or {}).get(q.key), q.kind, wording),
                )
                for q in plan.questions
            ]
        elif key == cols.CONSENTS:
            columns += [
                _Column(
                    wording.consent_data, 20, lambda r, _: local_moment(r.consent_data_at, zone)
                ),
                _Column(
                    wording.consent_listing,
                    20,
                    lambda r, _: local_moment(r.consent_listing_at, zone) or wording.no,
                ),
                _Column(
                    wording.consent_photos,
                    20,
                    lambda r, _: local_moment(r.consent_photos_at, zone) or wording.no,
                ),
            ]
        elif key == cols.ATTENDANCE:
            columns += [
                _Column(
                    s.header,
                    14,
                    lambda r, seen, s=s: (
                        marks.get(seen.get(s.session_id), "") if seen.get(s.session_id) else ""
                    ),
                )
                for s in plan.sessions
            ]
    return columns


def header_row(plan: ExportPlan, wording: ExportWording) -> list[str]:
    return [cell_text(column.header) for column in _columns(plan, wording)]


def _safe(value: Any) -> Any:
    """A date cell as it is; anything else as safe text."""
    return value if isinstance(value, datetime) else cell_text(value)


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
            Registration.motivation,
            Registration.accessibility_needs,
            Registration.dietary_needs,
            Registration.answers,
            Registration.consent_data_at,
            Registration.consent_listing_at,
            Registration.consent_photos_at,
        )
        .outerjoin(MemberCity, MemberCity.id == Registration.member_city_id)
        .where(Registration.programme_id == plan.programme_id)
        .order_by(Registration.id)
    )
    if plan.status != ALL:
        statement = statement.where(Registration.status == plan.status)
    return statement


def _attendance_of(plan: ExportPlan, first_id: int, last_id: int) -> dict[int, dict[int, str]]:
    """registration id -> {session id -> attendance status}, for one page of registrations."""
    status = type_coerce(Attendance.status, String)
    rows = db.session.connection().execute(
        select(Attendance.registration_id, Attendance.session_id, status).where(
            Attendance.registration_id.between(first_id, last_id),
            Attendance.session_id.in_([s.session_id for s in plan.sessions]),
        )
    )
    marks: dict[int, dict[int, str]] = {}
    for rid, sid, mark in rows:
        marks.setdefault(rid, {})[sid] = mark
    return marks


def row_batches(
    plan: ExportPlan, wording: ExportWording, batch_size: int = BATCH_SIZE
) -> Iterator[list[list[Any]]]:
    """The data rows, batch_size registrations at a time, each cell already made safe (text)
    or a naive datetime in the plan's zone.

    Each batch is read completely before it is yielded; the next one is read with whatever
    database session is current then.
    """
    statement = _statement(plan)
    columns = _columns(plan, wording)
    nothing: dict[int, str] = {}
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
        yield [
            [_safe(column.value(r, attended.get(r.id, nothing))) for column in columns]
            for r in page
        ]
        if len(page) < batch_size:
            return
        after = page[-1].id


# Files -----------------------------------------------------------------------------------


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
    columns = _columns(plan, wording)
    return spreadsheets.write_xlsx(
        target,
        title=spreadsheets.sheet_title(wording.sheet_title, "Registrations"),
        header=[cell_text(column.header) for column in columns],
        widths=[column.width for column in columns],
        batches=row_batches(plan, wording, batch_size),
    )
