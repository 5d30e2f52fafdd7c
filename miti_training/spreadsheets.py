"""Spreadsheet cells that stay data: no formula runs, nothing XML cannot hold, CSV Excel reads.

Every CSV or XLSX the app writes (attendee lists, dashboard tables, the calendar template)
passes its cells through here.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
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
    return "'" + text if text[:1] in _FORMULA_FIRST else text


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
