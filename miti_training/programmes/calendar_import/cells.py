"""How each cell of a calendar file is read, with a message saying why when it cannot be.

Times are wall-clock times of the centre; limits and languages are those of programmes.rules.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _

from miti_training import bidi
from miti_training.formatting import LANGUAGES, parse_local_datetime, zone_name
from miti_training.models import EnrolmentPolicy, ProgrammeFormat, ProgrammeKind, Theme
from miti_training.programmes import rules
from miti_training.programmes.calendar_import.columns import choices
from miti_training.timezones import NonexistentLocalTime, to_utc

YEAR_RANGE = (2000, 2100)


class BadCell(Exception):
    """A cell value that cannot be used; the message says why."""

    def __init__(self, message: str):
        self.message = message


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


def cell_text(value: Any) -> str:
    """A cell as the text it shows."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value).replace("\r\n", "\n").strip()


def _filled(value: Any) -> str:
    text = cell_text(value)
    if not text:
        raise BadCell(_("Fill in this cell: it may not be empty."))
    return text


def _text(field: str, *, required: bool, multiline: bool = False) -> Callable:
    max_length = rules.max_length(field)

    def parse(value: Any, zone: str) -> str:
        text = _filled(value) if required else cell_text(value)
        if not multiline:  # as the forms' one-line fields do (docs/security.md, item 28)
            text = bidi.strip_controls(text).strip()
        if not text:
            if required:
                raise BadCell(_("Fill in this cell: it may not be empty."))
            return ""
        allowed = {"\n", "\t"} if multiline else set()
        if any(unicodedata.category(c) == "Cc" and c not in allowed for c in text):
            if multiline:
                raise BadCell(
                    _("Remove the control characters (such as escape codes) from this cell.")
                )
            raise BadCell(
                _(
                    "Remove the control characters (such as line breaks, tabs or escape codes) "
                    "from this cell."
                )
            )
        if len(text) > max_length:
            raise BadCell(
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
        key = re.sub(r"[\s\-]+", "_", _filled(value).casefold())
        try:
            return enum_cls(key)
        except ValueError:
            raise BadCell(
                _(
                    "'%(value)s' is not one of the accepted values: %(choices)s.",
                    value=shown(value),
                    choices=choices(enum_cls),
                )
            ) from None

    return parse


def _languages(value: Any, zone: str) -> tuple[str, ...]:
    """Working languages, in the order a programme stores them."""
    codes = {code for code in re.split(r"[\s,;/]+", _filled(value).casefold()) if code}
    unknown = sorted(rules.unknown_languages(codes))
    if unknown:
        raise BadCell(
            _(
                "'%(value)s' is not one of the working languages: %(choices)s (separate "
                "several with commas or spaces).",
                value=shown(unknown[0]),
                choices=", ".join(LANGUAGES),
            )
        )
    return rules.working_languages(codes)


def _original_language(value: Any, zone: str) -> str:
    text = cell_text(value).casefold()
    if not text:
        return ""
    if text not in LANGUAGES:
        raise BadCell(
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
    """Seats enough to publish: an imported calendar can be published as it is."""
    _filled(value)
    number = _whole_number(value)
    if number is None or not rules.MIN_CAPACITY_TO_PUBLISH <= number <= rules.MAX_CAPACITY:
        raise BadCell(
            _(
                "'%(value)s' is not a whole number of seats from %(min)d to %(max)s.",
                value=shown(value),
                min=rules.MIN_CAPACITY_TO_PUBLISH,
                max=format_decimal(rules.MAX_CAPACITY),
            )
        )
    return number


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def _yes_no(value: Any, zone: str) -> bool:
    if isinstance(value, bool):
        return value
    text = _filled(value).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise BadCell(_("'%(value)s' is not yes or no.", value=shown(value)))


@dataclass(frozen=True)
class LocalTime:
    """A wall-clock time of the centre and the UTC moment it stands for."""

    local: datetime
    utc: datetime

    def __str__(self) -> str:
        return self.local.strftime("%Y-%m-%d %H:%M")


def _local_datetime(value: Any, zone: str) -> LocalTime:
    _filled(value)
    if isinstance(value, datetime):
        local = value.replace(tzinfo=None, microsecond=0)
    elif isinstance(value, str):
        local = parse_local_datetime(value)  # naive: centre-local time
    else:  # numbers, dates without a time, times without a date
        local = None
    if local is None:
        raise BadCell(
            _(
                "'%(value)s' is not a valid date and time (use YYYY-MM-DD HH:MM).",
                value=shown(value),
            )
        )
    if not YEAR_RANGE[0] <= local.year <= YEAR_RANGE[1]:
        raise BadCell(
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
        raise BadCell(
            _(
                "'%(value)s' does not exist in the centre's time zone (%(zone)s): the clocks go "
                "forward at that moment. Choose a time outside the change.",
                value=shown(value),
                zone=zone_name(zone),
            )
        ) from None


#: How each column's cells are read: (cell value, centre's zone) -> value, or BadCell.
PARSERS: dict[str, Callable[[Any, str], Any]] = {
    "programme title": _text("title", required=True),
    "kind": _enum(ProgrammeKind),
    "theme": _enum(Theme),
    "format": _enum(ProgrammeFormat),
    "language": _languages,
    "venue": _text("venue", required=False),
    "capacity": _capacity,
    "enrolment policy": _enum(EnrolmentPolicy),
    "waiting list": _yes_no,
    "registration opens": _local_datetime,
    "registration closes": _local_datetime,
    "session title": _text("title", required=True),
    "session start": _local_datetime,
    "session end": _local_datetime,
    "summary": _text("summary", required=False, multiline=True),
    "description": _text("description", required=False, multiline=True),
    "original language": _original_language,
    **{
        f"{part}_{code}": _text(f"{part}_{code}", required=False, multiline=part != "title")
        for code in LANGUAGES
        for part in ("title", "summary", "description")
    },
}
