"""Workbooks at and beyond the calendar import's limits, built in memory.

The largest allowed one is a real calendar of MAX_ROWS sessions, padded with empty rows, empty
cells and unused shared texts up to every limit; the hostile ones are small zips that unpack
to millions of elements. openpyxl writes texts inline; a sharedStrings part is added the way
Excel lays it out, so that openpyxl loads it.
"""

import io
import re
import zipfile
from datetime import date, timedelta

import openpyxl

from miti_training.programmes.calendar_import.limits import (
    MAX_ROWS,
    MAX_SCANNED_ROWS,
    MAX_SHARED_STRINGS,
    MAX_SHEET_CELLS,
)

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
HEADER = [
    "programme title",
    "kind",
    "theme",
    "format",
    "language",
    "venue",
    "capacity",
    "enrolment policy",
    "waiting list",
    "registration opens",
    "registration closes",
    "session title",
    "session start",
    "session end",
]
SESSIONS_PER_PROGRAMME = 10


def calendar_rows(sessions: int = MAX_ROWS) -> list[list[str]]:
    """Good session rows: programmes of SESSIONS_PER_PROGRAMME days each, in Europe/Paris."""
    rows = []
    for index in range(sessions):
        programme, day = divmod(index, SESSIONS_PER_PROGRAMME)
        first = date(2027, 1, 4) + timedelta(days=14 * programme)
        when = (first + timedelta(days=day)).isoformat()
        rows.append(
            [
                f"Urban resilience workshop {programme + 1:04d}",
                "course",
                "climate_change",
                "hybrid",
                "fr en",
                "Institut Paris Region, Paris",
                "20",
                "review",
                "no",
                "2026-06-01 09:00",
                f"{first.isoformat()} 08:00",
                f"Day {day + 1}",
                f"{when} 09:00",
                f"{when} 17:00",
            ]
        )
    return rows


def xlsx(header: list, rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def replace_parts(content: bytes, parts: dict[str, bytes]) -> bytes:
    """The workbook with some of its parts replaced (or added)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            if item.filename not in parts:
                target.writestr(item.filename, source.read(item.filename))
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def with_shared_strings(content: bytes, texts: bytes) -> bytes:
    """The workbook with a sharedStrings part holding texts (<si> elements), as Excel writes."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        types = archive.read("[Content_Types].xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rels = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    strings = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1">' + texts + b"</sst>"
    )
    return replace_parts(
        content,
        {"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels, STRINGS: strings},
    )


def _count(pattern: bytes, data: bytes) -> int:
    return len(re.findall(pattern, data))


def largest_allowed_workbook() -> bytes:
    """MAX_ROWS sessions; exactly MAX_SCANNED_ROWS rows, MAX_SHEET_CELLS cells and
    MAX_SHARED_STRINGS shared texts, the padding empty."""
    content = xlsx(HEADER, calendar_rows())
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read(SHEET)
    rows_used = MAX_ROWS + 1
    cells_left = MAX_SHEET_CELLS - _count(rb"<c ", sheet)
    rows_left = MAX_SCANNED_ROWS - rows_used
    padding = []
    for number in range(rows_used + 1, MAX_SCANNED_ROWS + 1):
        cells = cells_left // rows_left + (1 if number - rows_used <= cells_left % rows_left else 0)
        empty = "".join(f'<c r="{_column(i)}{number}" s="0"/>' for i in range(cells))
        padding.append(f'<row r="{number}">{empty}</row>')
    sheet = sheet.replace(b"</sheetData>", "".join(padding).encode() + b"</sheetData>")
    sheet = re.sub(rb'<dimension ref="[^"]*"/>', b"", sheet)
    texts = "".join(f"<si><t>unused text {i}</t></si>" for i in range(MAX_SHARED_STRINGS))
    return with_shared_strings(replace_parts(content, {SHEET: sheet}), texts.encode())


def _column(index: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index] if index < 26 else "A" + _column(index - 26)


def many_shared_strings(count: int = 2_600_000) -> bytes:
    """A one-row calendar whose sharedStrings part holds count texts: about 100 KB zipped."""
    return with_shared_strings(xlsx(HEADER, calendar_rows(1)), b"<si><t>a</t></si>" * count)


def padded_sheet(rows: int, cells_per_row: int) -> bytes:
    """A one-row calendar followed by rows of empty styled cells."""
    content = xlsx(HEADER, calendar_rows(1))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read(SHEET)
    padding = "".join(
        f'<row r="{n}">'
        + "".join(f'<c r="{_column(i)}{n}" s="0"/>' for i in range(cells_per_row))
        + "</row>"
        for n in range(3, rows + 3)
    )
    sheet = sheet.replace(b"</sheetData>", padding.encode() + b"</sheetData>")
    sheet = re.sub(rb'<dimension ref="[^"]*"/>', b"", sheet)
    return replace_parts(content, {SHEET: sheet})
