"""Counting what a workbook holds before openpyxl loads it.

openpyxl reads every shared text into memory when it opens a workbook, and the counts a file
declares (sharedStrings.xml's count and uniqueCount) are the sender's word. So every XML part of
the archive is streamed through expat, without a DTD, and its elements are counted as they
start; counting stops at the first limit passed, so a hostile file costs a few hundred
kilobytes of parsing, not millions of elements.
"""

import zipfile
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, XMLParser
from flask_babel import format_decimal
from flask_babel import gettext as _

from miti_training.programmes.calendar_import.limits import (
    MAX_SCANNED_ROWS,
    MAX_SHARED_STRINGS,
    MAX_SHEET_CELLS,
    MAX_XML_ELEMENTS,
)
from miti_training.programmes.calendar_import.problems import CalendarImportError, file_error

#: Elements of the spreadsheet namespace that are counted: a shared text, a row, a cell.
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_COUNTED = {_MAIN + "si": "si", _MAIN + "row": "row", _MAIN + "c": "c"}
_CHUNK = 64 * 1024


class _OverLimit(Exception):
    def __init__(self, what: str):
        self.what = what


@dataclass
class _Counter:
    """An ElementTree parser target that counts elements and stops at the first limit."""

    elements: int = 0
    si: int = 0
    row: int = 0
    c: int = 0

    def start(self, tag, attrib) -> None:
        self.elements += 1
        if self.elements > MAX_XML_ELEMENTS:
            raise _OverLimit("elements")
        counted = _COUNTED.get(tag)
        if counted is None:
            return
        value = getattr(self, counted) + 1
        setattr(self, counted, value)
        if value > _LIMITS[counted]:
            raise _OverLimit(counted)

    def end(self, tag) -> None:
        pass

    def data(self, text) -> None:
        pass

    def close(self) -> None:
        return None


_LIMITS = {"si": MAX_SHARED_STRINGS, "row": MAX_SCANNED_ROWS, "c": MAX_SHEET_CELLS}


def check_workbook_size(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook with more texts, rows, cells or elements in a part than a calendar needs.

    Parts that are not XML (pictures) or not well-formed are left to openpyxl, which refuses
    what it cannot read.
    """
    for member in archive.infolist():
        if member.is_dir():
            continue
        what = _count(archive, member)
        if what is not None:
            raise _refusal(what)


def _count(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> str | None:
    """The first limit this part passes, "unreadable", or None."""
    parser = XMLParser(target=_Counter(), forbid_dtd=True)
    first = b""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                first = first or chunk
                parser.feed(chunk)
    except _OverLimit as over:
        return over.what
    except NotImplementedError:
        return None  # a compression openpyxl cannot open either
    except DefusedXmlException:
        return "unreadable"  # workbooks never declare a DTD
    except (ParseError, zipfile.BadZipFile, OSError, ValueError, LookupError, RuntimeError):
        # XML that expat cannot read (an encoding it lacks, say) might still be read by
        # openpyxl's parser, uncounted: refuse it. Pictures and other binary parts are left.
        return "unreadable" if _looks_like_xml(first) else None
    return None


def _looks_like_xml(start: bytes) -> bool:
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return start.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"<")


def unreadable_workbook() -> CalendarImportError:
    return file_error(
        _(
            "The workbook could not be read; it may be damaged. Open it in your spreadsheet "
            "program and save it again as .xlsx."
        )
    )


def _refusal(what: str) -> CalendarImportError:
    if what == "unreadable":
        return unreadable_workbook()
    if what == "si":
        return file_error(
            _(
                "The workbook holds more than %(max)s different texts, more than a calendar "
                "needs. Copy the calendar into a new workbook, or save it as CSV UTF-8.",
                max=format_decimal(MAX_SHARED_STRINGS),
            )
        )
    if what == "row":
        return file_error(
            _(
                "A sheet of the workbook has more than %(max)s rows. Delete the rows below the "
                "calendar, or split it into several files.",
                max=format_decimal(MAX_SCANNED_ROWS),
            )
        )
    if what == "c":
        return file_error(
            _(
                "A sheet of the workbook has more than %(max)s cells. Delete what is not the "
                "calendar, or split it into several files.",
                max=format_decimal(MAX_SHEET_CELLS),
            )
        )
    return file_error(
        _(
            "The workbook holds more than a calendar needs. Copy the calendar into a new "
            "workbook, or save it as CSV UTF-8."
        )
    )
