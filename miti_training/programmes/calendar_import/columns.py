"""The columns of a calendar file: names, what each holds, and how row 1 is matched to them.

Row 1 names the columns (English, case-insensitive; spaces, hyphens and underscores alike).
Limits and languages are those of programmes.rules.
"""

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from miti_training.formatting import LANGUAGES
from miti_training.models import ProgrammeFormat, ProgrammeKind, Theme
from miti_training.programmes import rules

# Columns -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    #: "programme": the same on every row of a programme; "session": one per row.
    level: str
    required: bool
    help: Any
    #: The field of the programme (or of the session) the column fills, as programmes.rules
    #: names it.
    field: str
    aliases: tuple[str, ...] = ()


def choices(enum_cls) -> str:
    """The values of an enum as a file holds them, for messages."""
    return ", ".join(member.value for member in enum_cls)


_DATETIME_HELP = _l("Date and time in the centre's time zone: YYYY-MM-DD HH:MM.")

COLUMNS: tuple[Column, ...] = (
    Column(
        "programme title",
        "programme",
        True,
        _l(
            "At most %(max)d characters. Rows with the same title form one programme.",
            max=rules.MAX_TITLE,
        ),
        "title",
        aliases=("program title", "title", "programme"),
    ),
    Column(
        "kind",
        "programme",
        True,
        _l("One of: %(choices)s.", choices=choices(ProgrammeKind)),
        "kind",
    ),
    Column("theme", "programme", True, _l("One of: %(choices)s.", choices=choices(Theme)), "theme"),
    Column(
        "format",
        "programme",
        True,
        _l("One of: %(choices)s.", choices=choices(ProgrammeFormat)),
        "format",
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
        "languages",
        aliases=("languages", "working language", "working languages"),
    ),
    Column(
        "venue",
        "programme",
        True,
        _l(
            "Where it takes place, at most %(max)d characters. May be empty for online programmes.",
            max=rules.MAX_VENUE,
        ),
        "venue",
    ),
    Column(
        "capacity",
        "programme",
        True,
        LazyString(
            lambda: _(
                "Number of seats: a whole number from %(min)d to %(max)s.",
                min=rules.MIN_CAPACITY_TO_PUBLISH,
                max=format_decimal(rules.MAX_CAPACITY),
            )
        ),
        "capacity",
    ),
    Column(
        "enrolment policy",
        "programme",
        True,
        _l(
            "first_come (confirmed at once while seats are free) or review (the centre reviews "
            "each application)."
        ),
        "enrolment_policy",
        aliases=("enrollment policy", "policy"),
    ),
    Column(
        "waiting list",
        "programme",
        True,
        _l("yes or no."),
        "is_waitlist_enabled",
        aliases=("waitlist", "waiting list enabled"),
    ),
    Column("registration opens", "programme", True, _DATETIME_HELP, "registration_opens_at"),
    Column(
        "registration closes",
        "programme",
        True,
        _l(
            "Date and time in the centre's time zone, no later than the start of the first session."
        ),
        "registration_closes_at",
    ),
    Column(
        "session title",
        "session",
        True,
        _l(
            "Title of this session, like “Day 1: Opening”; at most %(max)d characters.",
            max=rules.MAX_TITLE,
        ),
        "title",
    ),
    Column("session start", "session", True, _DATETIME_HELP, "starts_at"),
    Column(
        "session end",
        "session",
        True,
        _l("Date and time in the centre's time zone, after the session start."),
        "ends_at",
    ),
    Column(
        "summary",
        "programme",
        False,
        _l("Optional: a short summary, at most %(max)d characters.", max=rules.MAX_SUMMARY),
        "summary",
    ),
    Column(
        "description",
        "programme",
        False,
        _l("Optional: the full description; separate paragraphs with a blank line."),
        "description",
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
        "original_language",
    ),
    *(
        Column(f"{part}_{code}", "programme", False, text, f"{part}_{code}")
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
#: The column each field of the programme is read from.
PROGRAMME_COLUMNS = {c.field: c.name for c in COLUMNS if c.level == "programme"}
#: Optional programme columns may be left empty on the other rows of a programme.
FILL_ONCE = frozenset(c.name for c in COLUMNS if c.level == "programme" and not c.required)
_COLUMN_ORDER = {column.name: index for index, column in enumerate(COLUMNS)}


def column_rank(name: str) -> int:
    """Where a column comes in the template, for listing problems in that order."""
    return _COLUMN_ORDER.get(name, len(_COLUMN_ORDER))


def header_key(text: str) -> str:
    """'Session_Start ' -> 'session start': how headers are matched."""
    return re.sub(r"[\s_\-]+", " ", text.strip().casefold())


HEADER_KEYS: dict[str, str] = {
    header_key(name): column.name for column in COLUMNS for name in (column.name, *column.aliases)
}
