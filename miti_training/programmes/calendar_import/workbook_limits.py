"""Counting what a workbook holds before openpyxl loads it.

openpyxl reads every shared text into memory when it opens a workbook, parses a whole sheet
to find its size when the sheet does not state it, and the counts a file declares
(sharedStrings.xml's count and uniqueCount) are the sender's word. So every part of the
archive is streamed through expat, with DTDs refused, and its elements are counted as they
start, the counts adding up over the whole workbook; counting stops at the first limit passed,
so a hostile file costs a few hundred kilobytes of parsing, not millions of elements.
docs/security.md, item 24.
"""

import zipfile
from xml.parsers import expat

from flask_babel import format_decimal
from flask_babel import gettext as _

from miti_training.programmes.calendar_import.limits import (
    MAX_SCANNED_ROWS,
    MAX_SHARED_STRINGS,
    MAX_SHEET_CELLS,
    MAX_XML_ELEMENTS,
)
from miti_training.programmes.calendar_import.problems import CalendarImportError, file_error

#: Elements of the spreadsheet namespace that are counted: a shared text, a row, a cell
#: (expat joins namespace and local name with a space).
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
_LIMITS = {
    _MAIN + "si": MAX_SHARED_STRINGS,
    _MAIN + "row": MAX_SCANNED_ROWS,
    _MAIN + "c": MAX_SHEET_CELLS,
    "": MAX_XML_ELEMENTS,  # every element
}
_CHUNK = 64 * 1024


class _Stop(Exception):
    """Counting ends: what passed its limit (a key of _LIMITS), or "unreadable"."""

    def __init__(self, what: str):
        self.what = what


class _Counter:
    """Element counts over all the parts of one workbook."""

    def __init__(self):
        self.counts = dict.fromkeys(_LIMITS, 0)

    def start(self, name, attributes) -> None:
        counts = self.counts
        counts[""] += 1
        if counts[""] > MAX_XML_ELEMENTS:
            raise _Stop("")
        if name in counts:
            counts[name] += 1
            if counts[name] > _LIMITS[name]:
                raise _Stop(name)

    def count(self, stream) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = self.start
        parser.StartDoctypeDeclHandler = _no_dtd  # workbooks never have one: no entities
        first = b""
        try:
            while chunk := stream.read(_CHUNK):
                first = first or chunk
                parser.Parse(chunk, False)
        except expat.ExpatError:
            # XML that expat cannot read (an encoding it lacks, say) might still be read by
            # openpyxl's parser, uncounted: refuse it. Pictures and other binary parts are left.
            if _looks_like_xml(first):
                raise _Stop("unreadable") from None


def _no_dtd(*args) -> None:
    raise _Stop("unreadable")


def _looks_like_xml(start: bytes) -> bool:
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return start.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"<")


def check_workbook_size(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook with more texts, rows, cells or elements than a calendar needs.

    Parts that are not XML at all (pictures) are left to openpyxl, which refuses what it
    cannot read.
    """
    counter = _Counter()
    for member in archive.infolist():
        if member.is_dir():
            continue
        try:
            with archive.open(member) as stream:
                counter.count(stream)
        except _Stop as stop:
            raise _refusal(stop.what) from None
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError):
            raise unreadable_workbook() from None  # damaged, encrypted or an unknown method


def unreadable_workbook() -> CalendarImportError:
    return file_error(
        _(
            "The workbook could not be read; it may be damaged. Open it in your spreadsheet "
            "program and save it again as .xlsx."
        )
    )


def _refusal(what: str) -> CalendarImportError:
    if what == _MAIN + "si":
        return file_error(
            _(
                "The workbook holds more than %(max)s different texts, more than a calendar "
                "needs. Copy the calendar into a new workbook, or save it as CSV UTF-8.",
                max=format_decimal(MAX_SHARED_STRINGS),
            )
        )
    if what == _MAIN + "row":
        return file_error(
            _(
                "The workbook has more than %(max)s rows. Delete the rows below the calendar "
                "and the sheets that are not the calendar, or split it into several files.",
                max=format_decimal(MAX_SCANNED_ROWS),
            )
        )
    if what == _MAIN + "c":
        return file_error(
            _(
                "The workbook has more than %(max)s cells. Delete what is not the calendar, "
                "or split it into several files.",
                max=format_decimal(MAX_SHEET_CELLS),
            )
        )
    if what == "":
        return file_error(
            _(
                "The workbook holds more than a calendar needs. Copy the calendar into a new "
                "workbook, or save it as CSV UTF-8."
            )
        )
    return unreadable_workbook()
