"""Import a centre's training calendar from CSV or XLSX: every row checked, then all or nothing.

The file has one row per session; rows with the same programme title form one programme.
Row 1 names the columns (English, case-insensitive; spaces, hyphens and underscores alike).
Times are wall-clock times of the centre. CSV files are UTF-8 (with or without a BOM) and
comma-separated. XLSX files are read from their first sheet as values: a formula gives the
value the spreadsheet program last calculated, nothing is ever evaluated here.

Imported programmes are drafts of the centre, each with a "programme.import" audit entry.
"""

import csv
import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from miti_training import audit
from miti_training.errors import DomainError
from miti_training.extensions import db
from miti_training.formatting import LANGUAGES
from miti_training.models import (
    Centre,
    EnrolmentPolicy,
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    ProgrammeSession,
    ProgrammeStatus,
    ProgrammeTranslation,
    Theme,
)
from miti_training.slugs import unique_programme_slug
from miti_training.spreadsheets import neutralise
from miti_training.timezones import NonexistentLocalTime, to_utc

log = logging.getLogger(__name__)

#: Uploads are capped at 5 MB by MAX_CONTENT_LENGTH; the CLI gets the same limit here.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: An XLSX is a zip: refuse one that unpacks to more than this (zip bombs).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
#: Sessions (non-blank rows) in one file.
MAX_ROWS = 2000
#: Rows read at most, blank ones included, before giving up on a sheet.
MAX_SCANNED_ROWS = 10 * MAX_ROWS
#: Columns read from an XLSX sheet; anything further right is ignored.
MAX_COLUMNS = 100
#: The same limits as the programme form (services/publishing.py).
MAX_CAPACITY = 10_000
MAX_DESCRIPTION_LENGTH = 20_000
YEAR_RANGE = (2000, 2100)
DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected .xlsx


# Problems and the error carrying them ------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """One reason the file cannot be imported, located as a spreadsheet shows it."""

    #: Row number as a spreadsheet shows it (the column names are row 1); None: the whole file.
    row: int | None
    #: Column name (or letter) the problem is in; "" when it is about a whole row or file.
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("Row %(row)d: %(message)s", row=self.row, message=self.message)
        return _(
            "Row %(row)d, column '%(column)s': %(message)s",
            row=self.row,
            column=self.column,
            message=self.message,
        )


class CalendarImportError(DomainError):
    """The file was refused; nothing was imported. `problems` says where and why."""

    default_message = _l("The calendar was not imported: nothing was changed.")

    def __init__(self, problems: list[ImportProblem]):
        super().__init__()
        self.problems = sorted(
            problems, key=lambda p: (p.row is not None, p.row or 0, _column_rank(p.column))
        )


def _file_error(message: str) -> CalendarImportError:
    return CalendarImportError([ImportProblem(None, "", message)])


class _Bad(Exception):
    """A cell value that cannot be used; the message says why."""

    def __init__(self, message: str):
        self.message = message


# Columns -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    #: "programme": the same on every row of a programme; "session": one per row.
    level: str
    required: bool
    help: Any
    aliases: tuple[str, ...] = ()


def _choices(enum_cls) -> str:
    return ", ".join(member.value for member in enum_cls)


_DATETIME_HELP = _l("Date and time in the centre's time zone: YYYY-MM-DD HH:MM.")

COLUMNS: tuple[Column, ...] = (
    Column(
        "programme title",
        "programme",
        True,
        _l("At most 200 characters. Rows with the same title form one programme."),
        aliases=("program title", "title", "programme"),
    ),
    Column("kind", "programme", True, _l("One of: %(choices)s.", choices=_choices(ProgrammeKind))),
    Column("theme", "programme", True, _l("One of: %(choices)s.", choices=_choices(Theme))),
    Column(
        "format", "programme", True, _l("One of: %(choices)s.", choices=_choices(ProgrammeFormat))
    ),
    Column(
        "language",
        "programme",
        True,
        _l(
            "Working languages, separated by commas or spaces, from: %(choices)s. For example "
            "“en ko”.",
            choices=", ".join(LANGUAGES),
        ),
        aliases=("languages", "working language", "working languages"),
    ),
    Column(
        "venue",
        "programme",
        True,
        _l("Where it takes place, at most 300 characters. May be empty for online programmes."),
    ),
    Column("capacity", "programme", True, _l("Number of seats: a whole number from 1 to 10,000.")),
    Column(
        "enrolment policy",
        "programme",
        True,
        _l(
            "first_come (confirmed at once while seats are free) or review (the centre reviews "
            "each application)."
        ),
        aliases=("enrollment policy", "policy"),
    ),
    Column(
        "waiting list",
        "programme",
        True,
        _l("yes or no."),
        aliases=("waitlist", "waiting list enabled"),
    ),
    Column("registration opens", "programme", True, _DATETIME_HELP),
    Column(
        "registration closes",
        "programme",
        True,
        _l("Date and time in the centre's time zone, before the first session starts."),
    ),
    Column(
        "session title",
        "session",
        True,
        _l("Title of this session, like “Day 1: Opening”; at most 200 characters."),
    ),
    Column("session start", "session", True, _DATETIME_HELP),
    Column(
        "session end",
        "session",
        True,
        _l("Date and time in the centre's time zone, after the session start."),
    ),
    Column("summary", "programme", False, _l("Optional: a short summary, at most 500 characters.")),
    Column(
        "description",
        "programme",
        False,
        _l("Optional: the full description; separate paragraphs with a blank line."),
    ),
    Column(
        "original language",
        "programme",
        False,
        _l(
            "Optional: the language of title, summary and description, one of %(choices)s "
            "(en when empty).",
            choices=", ".join(LANGUAGES),
        ),
    ),
    *(
        Column(
            f"{part}_{code}",
            "programme",
            False,
            text,
        )
        for code in LANGUAGES
        for part, text in (
            ("title", _l("Optional: the title translated into %(code)s.", code=code)),
            ("summary", _l("Optional: the summary translated into %(code)s.", code=code)),
            ("description", _l("Optional: the description translated into %(code)s.", code=code)),
        )
    ),
)
COLUMNS_BY_NAME = {column.name: column for column in COLUMNS}
REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS if column.required)
#: Optional programme columns may be left empty on the other rows of a programme.
_FILL_ONCE = frozenset(c.name for c in COLUMNS if c.level == "programme" and not c.required)
_COLUMN_ORDER = {column.name: index for index, column in enumerate(COLUMNS)}


def _column_rank(name: str) -> int:
    return _COLUMN_ORDER.get(name, len(_COLUMN_ORDER))


def _header_key(text: str) -> str:
    """'Session_Start ' -> 'session start': how headers are matched."""
    return re.sub(r"[\s_\-]+", " ", text.strip().casefold())


_HEADER_KEYS: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.name, *_column.aliases):
        _HEADER_KEYS[_header_key(_name)] = _column.name


# Reading the file --------------------------------------------------------------------------


@dataclass
class Table:
    """The header row and the non-blank rows below it, with their spreadsheet row numbers."""

    header: list[Any]
    rows: list[tuple[int, list[Any]]]


def read_table(data: bytes, filename: str) -> Table:
    """Read a CSV or XLSX upload, checking that its content is what its name says."""
    if not data:
        raise _file_error(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise _file_error(
            _("The file is larger than %(size)s MB.", size=MAX_FILE_BYTES // (1024 * 1024))
        )
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(_OLE_MAGIC):
        raise _file_error(
            _(
                "This is an old-style Excel file (.xls) or a password-protected workbook. Save it "
                "as an Excel Workbook (.xlsx) without a password, or as CSV UTF-8."
            )
        )
    if extension == "xlsx":
        return _read_xlsx(data)
    if extension == "csv":
        return _read_csv(data)
    raise _file_error(_("Upload a .csv or .xlsx file."))


def _read_csv(data: bytes) -> Table:
    if data.startswith(_ZIP_MAGIC):
        raise _file_error(
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
        raise _file_error(not_text)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(
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
            if _is_blank(values):
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
    if header is None or _is_blank(header):
        raise _file_error(_("The file is empty."))
    if len(header) == 1 and ";" in str(header[0]):
        raise _file_error(
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
    if not data.startswith(_ZIP_MAGIC):
        raise _file_error(not_a_workbook)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            unpacked = sum(member.file_size for member in members)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _file_error(not_a_workbook) from None
    if "xl/workbook.xml" not in names:
        raise _file_error(not_a_workbook)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _file_error(
            _(
                "The workbook is too large once unpacked (more than %(size)s MB). Delete what "
                "is not the calendar, or split it into several files.",
                size=MAX_UNPACKED_BYTES // (1024 * 1024),
            )
        )
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
        raise _file_error(
            _(
                "The workbook could not be read; it may be damaged. Open it in your spreadsheet "
                "program and save it again as .xlsx."
            )
        ) from None


def _read_first_sheet(workbook) -> Table:
    if not workbook.worksheets:
        raise _file_error(_("The file is empty."))
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
        if _is_blank(values):
            continue
        if len(rows) >= MAX_ROWS:
            raise _too_many_rows()
        rows.append((number, list(values)))
    if header is None or _is_blank(header):
        raise _file_error(_("The file is empty: row 1 of the first sheet must name the columns."))
    return Table(header, rows)


def _too_many_rows() -> CalendarImportError:
    return _file_error(
        _(
            "The file has more than %(max)s sessions (rows). Split it into several files.",
            max=format_decimal(MAX_ROWS),
        )
    )


def _is_blank(values: Iterable[Any]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


# Cell values -------------------------------------------------------------------------------


def shown(value: Any, limit: int = 60) -> str:
    """A cell value quoted in a message: invisible characters escaped, long ones cut."""
    if isinstance(value, datetime):
        text = value.strftime("%Y-%m-%d %H:%M")
    elif value is None:
        text = ""
    else:
        text = str(value)
    text = "".join(
        f"\\u{ord(char):04x}" if unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} else char
        for char in text
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value).replace("\r\n", "\n").strip()


def _text(max_length: int, *, required: bool, multiline: bool = False) -> Callable:
    def parse(value: Any, zone: str) -> str:
        text = _cell_text(value)
        if not text:
            if required:
                raise _Bad(_("Fill in this cell: it may not be empty."))
            return ""
        allowed = {"\n", "\t"} if multiline else set()
        if any(unicodedata.category(c) == "Cc" and c not in allowed for c in text):
            if multiline:
                raise _Bad(
                    _("Remove the control characters (such as escape codes) from this cell.")
                )
            raise _Bad(
                _(
                    "Remove the control characters (such as line breaks, tabs or escape codes) "
                    "from this cell."
                )
            )
        if len(text) > max_length:
            raise _Bad(
                _(
                    "This text has %(length)d characters; use at most %(max)d.",
                    length=len(text),
                    max=max_length,
                )
            )
        return text

    return parse


def _enum(enum_cls) -> Callable:
    def parse(value: Any, zone: str):
        text = _cell_text(value)
        if not text:
            raise _Bad(_("Fill in this cell: it may not be empty."))
        key = re.sub(r"[\s\-]+", "_", text.casefold())
        try:
            return enum_cls(key)
        except ValueError:
            raise _Bad(
                _(
                    "'%(value)s' is not one of the accepted values: %(choices)s.",
                    value=shown(value),
                    choices=_choices(enum_cls),
                )
            ) from None

    return parse


def _languages(value: Any, zone: str) -> str:
    """Working languages, stored in the order of LANGUAGES like the programme form does."""
    text = _cell_text(value)
    if not text:
        raise _Bad(_("Fill in this cell: it may not be empty."))
    codes = {code for code in re.split(r"[\s,;/]+", text.casefold()) if code}
    unknown = sorted(codes - set(LANGUAGES))
    if unknown:
        raise _Bad(
            _(
                "'%(value)s' is not one of the working languages: %(choices)s (separate "
                "several with commas or spaces).",
                value=shown(unknown[0]),
                choices=", ".join(LANGUAGES),
            )
        )
    return ",".join(code for code in LANGUAGES if code in codes)


def _original_language(value: Any, zone: str) -> str:
    text = _cell_text(value).casefold()
    if not text:
        return ""
    if text not in LANGUAGES:
        raise _Bad(
            _(
                "'%(value)s' is not one of the languages programme text can be written in: "
                "%(choices)s.",
                value=shown(value),
                choices=", ".join(LANGUAGES),
            )
        )
    return text


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,9}\s*", value):
        return int(value)
    return None


def _capacity(value: Any, zone: str) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise _Bad(_("Fill in this cell: it may not be empty."))
    number = _whole_number(value)
    if number is None or not 1 <= number <= MAX_CAPACITY:
        raise _Bad(
            _(
                "'%(value)s' is not a whole number of seats from 1 to %(max)s.",
                value=shown(value),
                max=format_decimal(MAX_CAPACITY),
            )
        )
    return number


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def _yes_no(value: Any, zone: str) -> bool:
    if isinstance(value, bool):
        return value
    text = _cell_text(value).casefold()
    if not text:
        raise _Bad(_("Fill in this cell: it may not be empty."))
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise _Bad(_("'%(value)s' is not yes or no.", value=shown(value)))


@dataclass(frozen=True)
class LocalTime:
    """A wall-clock time of the centre and the UTC moment it stands for."""

    local: datetime
    utc: datetime

    def __str__(self) -> str:
        return self.local.strftime("%Y-%m-%d %H:%M")


def _local_datetime(value: Any, zone: str) -> LocalTime:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise _Bad(_("Fill in this cell: it may not be empty."))
    invalid = _Bad(
        _(
            "'%(value)s' is not a valid date and time (use YYYY-MM-DD HH:MM).",
            value=shown(value),
        )
    )
    if isinstance(value, datetime):
        local = value.replace(tzinfo=None, microsecond=0)
    elif isinstance(value, str):
        local = None
        for fmt in DATETIME_FORMATS:
            try:
                local = datetime.strptime(value.strip(), fmt)  # naive: centre-local time
                break
            except ValueError:
                continue
        if local is None:
            raise invalid
    else:  # numbers, dates without a time, times without a date
        raise invalid
    if not YEAR_RANGE[0] <= local.year <= YEAR_RANGE[1]:
        raise _Bad(
            _(
                "'%(value)s' is not between the years %(first)d and %(last)d.",
                value=shown(value),
                first=YEAR_RANGE[0],
                last=YEAR_RANGE[1],
            )
        )
    try:
        return LocalTime(local, to_utc(local, zone))
    except NonexistentLocalTime:
        raise _Bad(
            _(
                "'%(value)s' does not exist in the centre's time zone (%(zone)s): the clocks go "
                "forward at that moment. Choose a time outside the change.",
                value=shown(value),
                zone=zone,
            )
        ) from None


_PARSERS: dict[str, Callable[[Any, str], Any]] = {
    "programme title": _text(200, required=True),
    "kind": _enum(ProgrammeKind),
    "theme": _enum(Theme),
    "format": _enum(ProgrammeFormat),
    "language": _languages,
    "venue": _text(300, required=False),
    "capacity": _capacity,
    "enrolment policy": _enum(EnrolmentPolicy),
    "waiting list": _yes_no,
    "registration opens": _local_datetime,
    "registration closes": _local_datetime,
    "session title": _text(200, required=True),
    "session start": _local_datetime,
    "session end": _local_datetime,
    "summary": _text(500, required=False, multiline=True),
    "description": _text(MAX_DESCRIPTION_LENGTH, required=False, multiline=True),
    "original language": _original_language,
    **{f"title_{code}": _text(200, required=False) for code in LANGUAGES},
    **{f"summary_{code}": _text(500, required=False, multiline=True) for code in LANGUAGES},
    **{
        f"description_{code}": _text(MAX_DESCRIPTION_LENGTH, required=False, multiline=True)
        for code in LANGUAGES
    },
}


# Planning: from rows to programmes ---------------------------------------------------------


@dataclass
class SessionPlan:
    row: int
    title: str
    start: LocalTime
    end: LocalTime


@dataclass
class ProgrammePlan:
    """A programme the file describes, before anything is written."""

    title: str
    first_row: int
    values: dict[str, Any]
    #: Cell value as written per column, for messages about disagreeing rows.
    written: dict[str, Any]
    sessions: list[SessionPlan] = field(default_factory=list)

    @property
    def starts_on(self) -> date:
        return min(s.start.local for s in self.sessions).date()

    @property
    def ends_on(self) -> date:
        return max(s.end.local for s in self.sessions).date()


@dataclass
class ImportResult:
    programmes: list[Programme]

    @property
    def session_count(self) -> int:
        return sum(len(p.sessions) for p in self.programmes)


class _Problems(list):
    def add(self, row: int | None, column: str, message: str) -> None:
        self.append(ImportProblem(row, column, message))


def plan_calendar(data: bytes, filename: str, centre: Centre) -> list[ProgrammePlan]:
    """Read and check the whole file; raise CalendarImportError listing every problem."""
    table = read_table(data, filename)
    problems = _Problems()
    columns = _map_columns(table.header, problems)
    if problems:
        raise CalendarImportError(problems)
    if not table.rows:
        raise _file_error(
            _("The file has no sessions: add one row per session under the column names.")
        )
    plans: dict[str, ProgrammePlan] = {}
    for number, values in table.rows:
        _plan_row(number, values, columns, centre, plans, problems)
    for plan in plans.values():
        _check_programme(plan, problems)
    _check_not_imported_before(list(plans.values()), centre, problems)
    if problems:
        raise CalendarImportError(problems)
    return list(plans.values())


def _map_columns(header: list[Any], problems: _Problems) -> dict[str, int]:
    """Column name -> index in the row; problems for unknown, repeated and missing columns."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        written = _cell_text(cell)
        if not written:
            continue
        name = _HEADER_KEYS.get(_header_key(written))
        if name is None:
            problems.add(
                1,
                shown(written),
                _(
                    "This column name is not known; check its spelling (the template lists "
                    "every column)."
                ),
            )
        elif name in columns:
            problems.add(1, name, _("This column appears twice in row 1."))
        else:
            columns[name] = index
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            problems.add(
                1,
                name,
                _("This column is missing. Add it to row 1 (the template has every column)."),
            )
    return columns


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _plan_row(
    number: int,
    values: list[Any],
    columns: dict[str, int],
    centre: Centre,
    plans: dict[str, ProgrammePlan],
    problems: _Problems,
) -> None:
    named = set(columns.values())
    for index, value in enumerate(values):
        if index not in named and not _is_blank([value]):
            problems.add(
                number,
                _column_letter(index),
                _("There is a value in this column, which has no name in row 1."),
            )
    parsed: dict[str, Any] = {}
    written: dict[str, Any] = {}
    ok = True
    for name, index in columns.items():
        value = values[index] if index < len(values) else None
        written[name] = value
        try:
            parsed[name] = _PARSERS[name](value, centre.timezone)
        except _Bad as bad:
            problems.add(number, name, bad.message)
            ok = False

    start, end = parsed.get("session start"), parsed.get("session end")
    if start is not None and end is not None and end.utc <= start.utc:
        problems.add(
            number,
            "session end",
            _(
                "The session ends at %(end)s, which is not after its start (%(start)s).",
                end=str(end),
                start=str(start),
            ),
        )
        ok = False

    title = parsed.get("programme title")
    if title is None:
        return  # cannot tell which programme the row belongs to; its problems are listed
    plan = plans.get(title)
    if plan is None:
        plan = plans[title] = ProgrammePlan(
            title=title, first_row=number, values={}, written=written
        )
        plan.values = {n: v for n, v in parsed.items() if COLUMNS_BY_NAME[n].level == "programme"}
    else:
        _compare_with_programme(number, parsed, written, plan, problems)
    if ok and "session title" in parsed:
        plan.sessions.append(SessionPlan(number, parsed["session title"], start, end))


def _compare_with_programme(
    number: int,
    parsed: dict[str, Any],
    written: dict[str, Any],
    plan: ProgrammePlan,
    problems: _Problems,
) -> None:
    """Programme columns must say the same on every row (optional ones may be left empty)."""
    for name, value in parsed.items():
        if COLUMNS_BY_NAME[name].level != "programme" or name == "programme title":
            continue
        if name not in plan.values:  # the first row's cell was refused; already reported
            continue
        first = plan.values[name]
        if name in _FILL_ONCE:
            if value in ("", None):
                continue
            if first in ("", None):
                plan.values[name] = value
                plan.written[name] = written[name]
                continue
        if _comparable(value) != _comparable(first):
            problems.add(
                number,
                name,
                _(
                    "'%(value)s' differs from '%(first_value)s' on row %(first_row)d: all rows of "
                    "the programme '%(title)s' must have the same value in the column '%(column)s'.",
                    value=shown(written[name]),
                    first_value=shown(plan.written[name]),
                    first_row=plan.first_row,
                    title=shown(plan.title),
                    column=name,
                ),
            )


def _comparable(value: Any) -> Any:
    return value.utc if isinstance(value, LocalTime) else value


def _check_programme(plan: ProgrammePlan, problems: _Problems) -> None:
    values, row = plan.values, plan.first_row
    original = values.get("original language") or "en"
    for code in LANGUAGES:
        texts = {part: values.get(f"{part}_{code}", "") for part in ("title", "summary")}
        texts["description"] = values.get(f"description_{code}", "")
        if not any(texts.values()):
            continue
        if code == original:
            for part, text in texts.items():
                if text:
                    problems.add(
                        row,
                        f"{part}_{code}",
                        _(
                            "The programme is written in %(language)s (column 'original "
                            "language', en when empty): put this text in the column '%(column)s', "
                            "or change the original language.",
                            language=code,
                            column="programme title" if part == "title" else part,
                        ),
                    )
        elif not texts["title"] and not _has_problem(problems, row, f"title_{code}"):
            problems.add(
                row,
                f"title_{code}",
                _(
                    "Give the title in this language too: a summary or description in "
                    "%(language)s needs a title.",
                    language=code,
                ),
            )

    programme_format = values.get("format")
    if programme_format not in (None, ProgrammeFormat.ONLINE) and not values.get("venue", "x"):
        problems.add(row, "venue", _("Enter the venue: only online programmes may leave it empty."))

    opens, closes = values.get("registration opens"), values.get("registration closes")
    if opens is not None and closes is not None and closes.utc <= opens.utc:
        problems.add(
            row,
            "registration closes",
            _(
                "Registration closes at %(closes)s, which is not after it opens (%(opens)s).",
                closes=str(closes),
                opens=str(opens),
            ),
        )
    if closes is not None and plan.sessions:
        first = min(plan.sessions, key=lambda s: s.start.utc)
        if closes.utc >= first.start.utc:
            problems.add(
                row,
                "registration closes",
                _(
                    "Registration closes at %(closes)s, which is not before the first session "
                    "starts (%(start)s, row %(session_row)d).",
                    closes=str(closes),
                    start=str(first.start),
                    session_row=first.row,
                ),
            )


def _has_problem(problems: _Problems, row: int, column: str) -> bool:
    return any(p.row == row and p.column == column for p in problems)


def _check_not_imported_before(
    plans: list[ProgrammePlan], centre: Centre, problems: _Problems
) -> None:
    """Uploading the same calendar twice must not create every programme twice."""
    candidates = [p for p in plans if p.sessions]
    if not candidates:
        return
    rows = db.session.execute(
        select(Programme.title, Programme.starts_on).where(
            Programme.centre_id == centre.id,
            Programme.title.in_([p.title for p in candidates]),
        )
    )
    existing = {(title, starts_on) for title, starts_on in rows}
    for plan in candidates:
        if (plan.title, plan.starts_on) in existing:
            problems.add(
                plan.first_row,
                "programme title",
                _(
                    "The centre already has a programme with this title starting on %(date)s. "
                    "Change the title, or leave this programme out of the file.",
                    date=plan.starts_on.isoformat(),
                ),
            )


# Importing ---------------------------------------------------------------------------------


def import_calendar(data: bytes, filename: str, *, centre: Centre, actor=None) -> ImportResult:
    """Check the whole file, then add every programme as a draft of centre (flushed, not committed)."""
    plans = plan_calendar(data, filename, centre)
    taken: set[str] = set()
    programmes: list[Programme] = []
    for plan in plans:
        programme = _build_programme(plan, centre, actor, taken)
        taken.add(programme.slug)
        db.session.add(programme)
        programmes.append(programme)
    db.session.flush()
    reason = f"file: {shown(filename, limit=120)}"  # data, not a message: not translated
    for programme in programmes:
        audit.record(
            "programme.import",
            actor=actor,
            centre=centre,
            programme=programme,
            to_state=ProgrammeStatus.DRAFT,
            reason=reason,
        )
    db.session.flush()
    return ImportResult(programmes)


def _build_programme(plan: ProgrammePlan, centre: Centre, actor, taken: set[str]) -> Programme:
    values = plan.values
    original = values.get("original language") or "en"
    programme = Programme(
        centre=centre,
        slug=unique_programme_slug(plan.title, taken=taken),
        title=plan.title,
        summary=values.get("summary", ""),
        description=values.get("description", ""),
        original_language=original,
        kind=values["kind"],
        theme=values["theme"],
        format=values["format"],
        venue=values.get("venue", ""),
        languages=values["language"],
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        capacity=values["capacity"],
        registration_opens_at=values["registration opens"].utc,
        registration_closes_at=values["registration closes"].utc,
        enrolment_policy=values["enrolment policy"],
        is_waitlist_enabled=values["waiting list"],
        status=ProgrammeStatus.DRAFT,
        created_by_id=actor.id if actor is not None else None,
    )
    for session in sorted(plan.sessions, key=lambda s: (s.start.utc, s.row)):
        programme.sessions.append(
            ProgrammeSession(
                title=session.title, starts_at=session.start.utc, ends_at=session.end.utc
            )
        )
    for code in LANGUAGES:
        title = values.get(f"title_{code}", "")
        if title and code != original:
            programme.translations.append(
                ProgrammeTranslation(
                    language=code,
                    title=title,
                    summary=values.get(f"summary_{code}", ""),
                    description=values.get(f"description_{code}", ""),
                )
            )
    return programme


# The template file -------------------------------------------------------------------------


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
        sheet.column_dimensions[_column_letter(index)].width = max(14, len(name) + 4)
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
                zone=centre.timezone,
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
