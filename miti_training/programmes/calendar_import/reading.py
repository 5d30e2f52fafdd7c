"""From an uploaded file to a table: CSV or XLSX, checked to be what its name says, within limits.

CSV files are UTF-8 (with or without a BOM) and comma-separated. XLSX files are read from their
first sheet as values: a formula gives the value the spreadsheet program last calculated,
nothing is ever evaluated here.
"""

import csv
import io
import logging
import zipfile
from dataclasses import dataclass
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _

from miti_training.programmes.calendar_import.limits import (
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_SCANNED_ROWS,
    MAX_UNPACKED_BYTES,
)
from miti_training.programmes.calendar_import.problems import (
    CalendarImportError,
    ImportProblem,
    file_error,
)
from miti_training.programmes.calendar_import.workbook_limits import (
    check_workbook_size,
    unreadable_workbook,
)
from miti_training.spreadsheets import OLE_MAGIC, ZIP_MAGIC, is_blank

log = logging.getLogger(__name__)


@dataclass
class Table:
    """The header row and the non-blank rows below it, with their spreadsheet row numbers."""

    header: list[Any]
    rows: list[tuple[int, list[Any]]]


def read_table(data: bytes, filename: str) -> Table:
    """Read a CSV or XLSX upload, checking that its content is what its name says."""
    if not data:
        raise file_error(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise file_error(
            _("The file is larger than %(size)s MB.", size=MAX_FILE_BYTES // (1024 * 1024))
        )
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(OLE_MAGIC):
        raise file_error(
            _(
                "This is an old-style Excel file (.xls) or a password-protected workbook. Save it "
                "as an Excel Workbook (.xlsx) without a password, or as CSV UTF-8."
            )
        )
    if extension == "xlsx":
        return _read_xlsx(data)
    if extension == "csv":
        return _read_csv(data)
    raise file_error(_("Upload a .csv or .xlsx file."))


def _read_csv(data: bytes) -> Table:
    if data.startswith(ZIP_MAGIC):
        raise file_error(
            _(
                "This file is a workbook, not CSV text. Name it .xlsx, or save it as "
                "“CSV UTF-8 (comma delimited)”."
            )
        )
    not_text = _(
        "This file is not a CSV text file. Save the calendar as “CSV UTF-8 (comma delimited)” "
        "from your spreadsheet program, or upload the .xlsx workbook."
    )
    if b"\x00" in data:
        raise file_error(not_text)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise file_error(
            _(
                "The file is not in UTF-8 encoding. Save it as “CSV UTF-8 (comma delimited)” and "
                "upload it again."
            )
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[Any] | None = None
    rows: list[tuple[int, list[Any]]] = []
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            if header is None:
                header = values
                continue
            if is_blank(values):
                continue
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows()
            rows.append((number, values))
    except csv.Error:
        raise CalendarImportError(
            [
                ImportProblem(
                    number + 1,
                    "",
                    _("The CSV file cannot be read from this row on: check the quotation marks."),
                )
            ]
        ) from None
    if header is None or is_blank(header):
        raise file_error(_("The file is empty."))
    if len(header) == 1 and ";" in str(header[0]):
        raise file_error(
            _(
                "The columns are separated by semicolons. Save the file as CSV with commas "
                "(“CSV UTF-8 (comma delimited)”), or upload it as an Excel workbook (.xlsx)."
            )
        )
    return Table(header, rows)


def _read_xlsx(data: bytes) -> Table:
    not_a_workbook = _(
        "This file is not an Excel workbook (.xlsx). Save it from your spreadsheet program as "
        "“Excel Workbook (.xlsx)” or as “CSV UTF-8 (comma delimited)”."
    )
    if not data.startswith(ZIP_MAGIC):
        raise file_error(not_a_workbook)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if "xl/workbook.xml" not in {member.filename for member in members}:
                raise file_error(not_a_workbook)
            # Declared sizes first, then what the parts really hold (docs/security.md, item 24).
            if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                raise file_error(
                    _(
                        "The workbook is too large once unpacked (more than %(size)s MB). "
                        "Delete what is not the calendar, or split it into several files.",
                        size=MAX_UNPACKED_BYTES // (1024 * 1024),
                    )
                )
            check_workbook_size(archive)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise file_error(not_a_workbook) from None
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
        try:
            return _read_first_sheet(workbook)
        finally:
            workbook.close()
    except CalendarImportError:
        raise
    except Exception as error:  # any parser failure on untrusted input
        log.info("Unreadable XLSX upload: %s", type(error).__name__)
        raise unreadable_workbook() from None


def _read_first_sheet(workbook) -> Table:
    if not workbook.worksheets:
        raise file_error(_("The file is empty."))
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # trust the cells, not the size the file claims
    header: list[Any] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for number, values in enumerate(
        sheet.iter_rows(min_row=1, min_col=1, max_col=MAX_COLUMNS, values_only=True), start=1
    ):
        if number > MAX_SCANNED_ROWS:
            raise _too_many_rows()
        if header is None:
            header = list(values)
            continue
        if is_blank(values):
            continue
        if len(rows) >= MAX_ROWS:
            raise _too_many_rows()
        rows.append((number, list(values)))
    if header is None or is_blank(header):
        raise file_error(_("The file is empty: row 1 of the first sheet must name the columns."))
    return Table(header, rows)


def _too_many_rows() -> CalendarImportError:
    return file_error(
        _(
            "The file has more than %(max)s sessions (rows). Split it into several files.",
            max=format_decimal(MAX_ROWS),
        )
    )
