"""Spreadsheet cells that stay data: no formula runs, nothing XML cannot hold, CSV Excel reads.

Every CSV or XLSX the app writes (attendee lists, dashboard tables, the calendar template)
passes its cells through here.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
#: The most characters a spreadsheet cell holds (Excel's limit).
MAX_CELL = 32_767
#: First characters that make a spreadsheet program read a cell as a formula (or DDE call).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
#: Characters XML 1.0 cannot hold (openpyxl raises IllegalCharacterError on the C0 ones):
#: C0 controls but TAB, LF and CR, lone surrogates, U+FFFE and U+FFFF.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)
#: Invisible format characters a cell may start with (an isolated name starts with U+2068):
#: the formula check looks past them.
_INVISIBLE_LEAD = re.compile("^[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*")


# Reading

#: How a zip archive (an XLSX workbook) begins.
ZIP_MAGIC = b"PK\x03\x04"
#: How an OLE compound file begins: an old .xls, or a password-protected .xlsx.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_blank(values: Iterable[Any]) -> bool:
    """Whether a row read from a file holds nothing but empty cells."""
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def column_letter(index: int) -> str:
    """The letters a spreadsheet names a column by: 0 -> 'A', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def neutralise(text: str) -> str:
    """text with a leading apostrophe when it starts like a formula."""
    first = text[_INVISIBLE_LEAD.match(text).end() :][:1]
    return "'" + text if first in _FORMULA_FIRST else text


def cell_text(value: Any) -> str:
    """Any value as the text of a safe cell: XML-clean, not a formula, at most MAX_CELL long."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _NOT_IN_XML.search(text) is not None:
        text = _NOT_IN_XML.sub("", text)
    text = neutralise(text)
    return text if len(text) <= MAX_CELL else text[:MAX_CELL]


def cell_value(value: Any) -> Any:
    """A safe cell that keeps numbers as numbers; anything else becomes cell_text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return cell_text(value)


def csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    """RFC 4180 CSV (CRLF, quoted as needed) in UTF-8 with a BOM so Excel reads it as UTF-8."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell_value(cell) for cell in header])
    for row in rows:
        writer.writerow([cell_value(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


# Writing

#: Number formats of date cells in XLSX; CSV writes the same as ISO 8601 text.
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"


def moment_text(value: date | None) -> str:
    """A naive datetime as "YYYY-MM-DD HH:MM" (a date as "YYYY-MM-DD"); None as ""."""
    if value is None:
        return ""
    text = f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, datetime):
        text += f" {value.hour:02d}:{value.minute:02d}"
    return text


def _csv_cell(value: Any) -> Any:
    return moment_text(value) if isinstance(value, date) else value


#: Column widths in characters: never narrower than the first, never wider than the second.
MIN_WIDTH, MAX_WIDTH = 12, 50
#: Characters Excel refuses in a worksheet name (which has at most 31 characters).
_NOT_IN_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")


def csv_chunks(
    header: Sequence[str], batches: Iterable[Iterable[Sequence[str]]]
) -> Iterable[bytes]:
    """A CSV file in pieces, one per batch of rows: UTF-8 with a byte-order mark, RFC 4180
    quoting, CRLF lines. Dates and naive datetimes become ISO 8601 text (moment_text); other
    cells are written as they are: make them safe with cell_text first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def taken() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    # The mark tells spreadsheet programs the file is UTF-8 (Arabic, Korean, accents...).
    writer.writerow(header)
    yield b"\xef\xbb\xbf" + taken()
    for batch in batches:
        writer.writerows([_csv_cell(value) for value in row] for row in batch)
        yield taken()


def column_width(header: str, typical: int) -> int:
    """A column's width: its typical content or its header, within MIN_WIDTH..MAX_WIDTH."""
    return max(MIN_WIDTH, min(MAX_WIDTH, max(typical, len(header) + 2)))


def sheet_title(text: str, default: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = _NOT_IN_SHEET_TITLE.sub(" ", cell_text(text)).strip(" '")
    return cleaned[:31] or default


def write_xlsx(
    target: Any,
    *,
    title: str,
    header: Sequence[str],
    widths: Sequence[int],
    batches: Iterable[Iterable[Sequence[str]]],
) -> int:
    """Write a one-sheet workbook to target (a binary file); return its data rows.

    Write-only mode: rows go to a temporary file as they come, so memory does not grow with
    their number. The header row is bold and frozen, and printed on every page; an auto
    filter covers the data; widths are the columns' typical widths (see column_width). Text
    cells are stored as strings, never as formulas: make them safe with cell_text first.
    Dates and naive datetimes (wall-clock times: Excel holds no time zone, so name it in the
    header) become date cells shown as DATE_FORMAT or DATETIME_FORMAT.
    """
    # Imported here: openpyxl is large, and only downloads of workbooks need it.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    # Column widths and the frozen row are written before the first row: set them first.
    for index, (name, width) in enumerate(zip(header, widths, strict=True), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width(name, width)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    bold = Font(bold=True)
    header_cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        cell.data_type = "s"
        header_cells.append(cell)
    sheet.append(header_cells)

    def date_cell(value: date) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
        return cell

    rows = 0
    for batch in batches:
        for row in batch:
            # Plain str values are stored as strings (data type "s"). Empty cells are left out.
            sheet.append(
                [date_cell(value) if isinstance(value, date) else value or None for value in row]
            )
            rows += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{rows + 1}"
    workbook.save(target)
    return rows
