"""The calendar template, as CSV or XLSX: every column, two example rows, and help on each."""

import csv
import io
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _

from miti_training.formatting import zone_name
from miti_training.models import Centre, EnrolmentPolicy, ProgrammeFormat, ProgrammeKind, Theme
from miti_training.programmes.calendar_import.columns import COLUMNS
from miti_training.spreadsheets import column_letter, neutralise


def template_rows(centre: Centre, today: date | None = None) -> tuple[list[str], list[list[Any]]]:
    """Column names and two example rows: a two-day Peer Review Process workshop."""
    today = today or date.today()
    first_day = today + timedelta(days=70)
    first_day += timedelta(days=(1 - first_day.weekday()) % 7)  # a Tuesday
    second_day = first_day + timedelta(days=1)
    venue = ", ".join(
        part for part in (centre.host_institution or centre.name, centre.city) if part
    )
    programme = {
        "programme title": "Peer Review Process workshop",
        "kind": ProgrammeKind.WORKSHOP.value,
        "theme": Theme.URBAN_GOVERNANCE.value,
        "format": ProgrammeFormat.IN_PERSON.value,
        "language": "en ko",
        "venue": venue,
        "capacity": 15,
        "enrolment policy": EnrolmentPolicy.FIRST_COME.value,
        "waiting list": "yes",
        "registration opens": datetime.combine(first_day - timedelta(days=56), time(9, 0)),
        "registration closes": datetime.combine(first_day - timedelta(days=14), time(18, 0)),
        "summary": (
            "Learn the Peer Review Process, the method of the Metropolis Initiative on "
            "Integrated Urban Governance led by Berlin, and practise it on a real case."
        ),
        "description": (
            "In a peer review, a host city opens one of its policies to a small team of "
            "officials from other cities. They study it, meet the people who run it and give "
            "candid, structured feedback.\n\n"
            "Over two days you learn the method step by step and practise it on a real case."
        ),
        "original language": "en",
        "title_ko": "동료 검토 프로세스 워크숍",
        "summary_ko": (
            "메트로폴리스 통합 도시 거버넌스 이니셔티브의 방법론인 동료 검토 프로세스를 배우고 "
            "실제 사례로 실습합니다."
        ),
    }
    sessions = (
        (
            "Day 1: The Peer Review Process, its steps and roles",
            first_day,
            time(9, 30),
            time(17, 30),
        ),
        ("Day 2: Practice review of a city policy", second_day, time(9, 30), time(16, 0)),
    )
    header = [column.name for column in COLUMNS]
    rows = []
    for title, day, start, end in sessions:
        values = {
            **programme,
            "session title": title,
            "session start": datetime.combine(day, start),
            "session end": datetime.combine(day, end),
        }
        rows.append([values.get(name, "") for name in header])
    return header, rows


def _neutralised(value: Any) -> Any:
    """Spreadsheet programs must not read a template cell as a formula."""
    return neutralise(value) if isinstance(value, str) else value


def template_csv(centre: Centre) -> bytes:
    header, rows = template_rows(centre)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [
                v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else _neutralised(v)
                for v in row
            ]
        )
    return out.getvalue().encode("utf-8-sig")  # the BOM tells Excel it is UTF-8


def template_xlsx(centre: Centre) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = template_rows(centre)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Calendar")[:31]
    sheet.append(header)
    for row in rows:
        sheet.append([_neutralised(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
    for index, name in enumerate(header):
        sheet.column_dimensions[column_letter(index)].width = max(14, len(name) + 4)
    sheet.freeze_panes = "A2"

    help_sheet = workbook.create_sheet(_("Columns")[:31])
    help_sheet.append([_("Column"), _("Required"), _("What to enter")])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        help_sheet.append([column.name, _("yes") if column.required else _("no"), str(column.help)])
    help_sheet.append([])
    help_sheet.append(
        [
            _(
                "One row per session; rows with the same programme title form one programme. "
                "Only the first sheet is imported. Times are in the centre's time zone (%(zone)s).",
                zone=zone_name(centre.timezone),
            )
        ]
    )
    for row in help_sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    help_sheet.column_dimensions["A"].width = 24
    help_sheet.column_dimensions["B"].width = 10
    help_sheet.column_dimensions["C"].width = 90

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
