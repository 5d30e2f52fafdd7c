"""What makes a programme valid, stated once for the programme form, the services and the import
(a session's own rules are in programmes.session_rules).

Every rule names the field it is about, as ProgrammeValues and the programme form name them.
Draft rules hold for every saved programme; publish rules hold for every published programme
(it must stay publishable) and for every imported calendar, so that it can be published as it
is (programmes.editing refuses a change that would make a published programme unpublishable).
Two decisions:
- Registration may close at the first session's start or earlier; later is refused. Taking
  registrations until the moment the programme begins is legitimate.
- An in-person or hybrid programme needs a venue to be published: participants must know where
  to go. An online programme needs none, and a draft may be saved without one.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l

from miti_training.formatting import LANGUAGES, format_in_zone, zone_name
from miti_training.models import EnrolmentPolicy, ProgrammeFormat, ProgrammeKind, Theme
from miti_training.text_translations import TranslatedField, Trouble, translation_problem
from miti_training.timezones import to_local

# Limits ------------------------------------------------------------------------------------

#: Column sizes, checked here so no database ever truncates or refuses a value.
MAX_TITLE = 200
MAX_SUMMARY = 500
MAX_DESCRIPTION = 20_000
MAX_VENUE = 300
MAX_REASON = 2_000
MAX_CAPACITY = 10_000
#: Seats a programme needs to be published; a draft may have none yet.
MIN_CAPACITY_TO_PUBLISH = 1
#: Share of sessions (percent) a participant must attend to complete, unless staff change it.
DEFAULT_COMPLETION_THRESHOLD = 80
MAX_COMPLETION_THRESHOLD = 100
#: A reminder goes from 1 to this many days before the first session (3 by default).
DEFAULT_REMINDER_DAYS = 3
MAX_REMINDER_DAYS = 30
#: How far a new edition may be moved (about ten years either way).
MAX_SHIFT_DAYS = 3_660
#: The language of a programme's texts when nobody says otherwise.
DEFAULT_LANGUAGE = "en"

#: The most characters of each text field; a translation's (title_fr, ...) as its original's.
MAX_LENGTHS = {
    "title": MAX_TITLE,
    "summary": MAX_SUMMARY,
    "description": MAX_DESCRIPTION,
    "venue": MAX_VENUE,
    "location": MAX_VENUE,
    "reason": MAX_REASON,
}

#: Fields picked from a list, and the list.
CHOICES = {
    "kind": ProgrammeKind,
    "theme": Theme,
    "format": ProgrammeFormat,
    "enrolment_policy": EnrolmentPolicy,
}

#: What to say when a required field of a programme is empty.
REQUIRED = {
    "title": _l("Enter the programme's title."),
    "languages": _l("Choose at least one working language."),
}
REQUIRED_EDITION_TITLE = _l("Enter the title of the new edition.")
ONE_WAY_TO_MOVE = _l("Give either the new first day or a number of days, not both.")
SHIFT_TOO_FAR = _l("Move the new edition by at most %(max)d days.", max=MAX_SHIFT_DAYS)
REQUIRED_REASON = _l("Give the reason for the cancellation: participants will read it.")

#: What to say when a value is not in its list.
NOT_LISTED = {
    "kind": _l("Choose a kind of programme from the list."),
    "theme": _l("Choose a theme from the list."),
    "format": _l("Choose a format from the list."),
    "enrolment_policy": _l("Choose an enrolment policy from the list."),
    "original_language": _l("Choose the language the texts are written in from the list."),
    "languages": _l("Choose working languages from the list."),
}

CAPACITY_RANGE = _l("Enter a number of seats from 0 to %(max)d.", max=MAX_CAPACITY)
THRESHOLD_RANGE = _l("Enter a percentage from 0 to 100.")
REMINDER_DAYS_RANGE = _l("Enter a number of days from 1 to %(max)d.", max=MAX_REMINDER_DAYS)


class Rule(StrEnum):
    """Which rule a problem breaks, so a caller may word it with what it knows (a cell)."""

    REQUIRED = "required"
    TOO_LONG = "too_long"
    NOT_LISTED = "not_listed"
    DATE_ORDER = "date_order"
    CAPACITY = "capacity"
    SEATS_TAKEN = "seats_taken"
    THRESHOLD = "threshold"
    REMINDER_DAYS = "reminder_days"
    REGISTRATION_ORDER = "registration_order"
    SESSION_ORDER = "session_order"
    TRANSLATION_LANGUAGE = "translation_language"
    TRANSLATION_IN_ORIGINAL = "translation_in_original"
    TRANSLATION_TITLE = "translation_title"
    # Publishing only.
    VENUE = "venue"
    DATES = "dates"
    SESSIONS = "sessions"
    REGISTRATION_TIMES = "registration_times"
    CLOSES_AFTER_START = "closes_after_start"
    SESSION_OUTSIDE_DATES = "session_outside_dates"


@dataclass(frozen=True)
class Problem:
    """One rule the values break: the field to correct and, in words, what to do."""

    field: str
    message: Any
    rule: Rule

    def __str__(self) -> str:
        return str(self.message)


def found_problems(problems: Iterable[Problem | None]) -> list[Problem]:
    """The problems there are (None means none)."""
    return [problem for problem in problems if problem is not None]


# Single fields -----------------------------------------------------------------------------


def clean_text(value: str | None) -> str:
    """Text as it is stored: line ends as LF (browsers send CRLF), no surrounding space."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def max_length(field: str) -> int:
    """The most characters field holds: 'summary_fr' as many as 'summary'."""
    base, _, code = field.rpartition("_")
    return MAX_LENGTHS[base if base and code in LANGUAGES else field]


def text_problem(field: str, text: str, *, required=None) -> Problem | None:
    """text (cleaned) too long for field, or empty where required says what to enter."""
    if not text:
        return Problem(field, required, Rule.REQUIRED) if required is not None else None
    limit = max_length(field)
    if len(text) > limit:
        return Problem(field, _l("Use at most %(max)d characters.", max=limit), Rule.TOO_LONG)
    return None


def choice_problem(field: str, value) -> Problem | None:
    """value is not one of the list of field (see CHOICES)."""
    try:
        CHOICES[field](value)
    except ValueError:
        return Problem(field, NOT_LISTED[field], Rule.NOT_LISTED)
    return None


def unknown_languages(codes: Iterable[str]) -> list[str]:
    """The codes that are not interface languages, in the order given."""
    return [code for code in codes if code not in LANGUAGES]


def working_languages(codes: Iterable[str]) -> tuple[str, ...]:
    """Known codes in the order of LANGUAGES, each once: how a programme stores them."""
    chosen = set(codes)
    return tuple(code for code in LANGUAGES if code in chosen)


def language_problems(original_language: str | None, languages: Iterable[str]) -> list[Problem]:
    """The original language must be listed; working languages too, at least one."""
    languages = list(languages)
    problems = []
    if original_language not in LANGUAGES:
        problems.append(
            Problem("original_language", NOT_LISTED["original_language"], Rule.NOT_LISTED)
        )
    if unknown_languages(languages):
        problems.append(Problem("languages", NOT_LISTED["languages"], Rule.NOT_LISTED))
    elif not languages:
        problems.append(Problem("languages", REQUIRED["languages"], Rule.REQUIRED))
    return problems


def capacity_problem(capacity: int | None, seats_taken: int = 0) -> Problem | None:
    """From 0 to MAX_CAPACITY seats, and not fewer than those already taken."""
    if capacity is None or not 0 <= capacity <= MAX_CAPACITY:
        return Problem("capacity", CAPACITY_RANGE, Rule.CAPACITY)
    if capacity < seats_taken:
        return Problem(
            "capacity",
            _l(
                "%(taken)d seats are already taken, so the capacity cannot be lower than %(taken)d.",
                taken=seats_taken,
            ),
            Rule.SEATS_TAKEN,
        )
    return None


def reminder_days_problem(days: int | None) -> Problem | None:
    if days is None or not 1 <= days <= MAX_REMINDER_DAYS:
        return Problem("reminder_days", REMINDER_DAYS_RANGE, Rule.REMINDER_DAYS)
    return None


def threshold_problem(threshold: int | None) -> Problem | None:
    if threshold is None or not 0 <= threshold <= MAX_COMPLETION_THRESHOLD:
        return Problem("completion_threshold", THRESHOLD_RANGE, Rule.THRESHOLD)
    return None


# Order of dates and times ------------------------------------------------------------------


def date_order_problem(
    starts_on: date | None, ends_on: date | None, message=None
) -> Problem | None:
    """The last day may be the first day, not before it."""
    if starts_on and ends_on and ends_on < starts_on:
        message = message or _l("The last day cannot be before the first day.")
        return Problem("ends_on", message, Rule.DATE_ORDER)
    return None


def registration_order_problem(
    opens: datetime | None, closes: datetime | None, message=None
) -> Problem | None:
    """Registration closes strictly after it opens (both UTC, or both the same wall clock)."""
    if opens is not None and closes is not None and closes <= opens:
        return Problem(
            "registration_closes_at",
            message or _l("Registration must close after it opens."),
            Rule.REGISTRATION_ORDER,
        )
    return None


def closes_after_start_problem(
    closes: datetime | None, first_start: datetime | None, zone: str
) -> Problem | None:
    """Registration closes at the first session's start at the latest (both UTC)."""
    if closes is not None and first_start is not None and closes > first_start:
        return Problem(
            "registration_closes_at",
            _l(
                "Registration must close no later than the start of the first session (%(start)s, %(zone)s): set an earlier closing time or move the session.",
                start=format_in_zone(first_start, zone),
                zone=zone_name(zone),
            ),
            Rule.CLOSES_AFTER_START,
        )
    return None


# Whole programmes --------------------------------------------------------------------------


def draft_problems(values: Mapping[str, Any], *, seats_taken: int = 0) -> list[Problem]:
    """What keeps values from being saved at all, in the order of the form's fields.

    values has the fields of ProgrammeValues: texts cleaned, both registration times in UTC (or
    both naive), languages as a sequence of codes.
    """
    return found_problems(
        [
            text_problem("title", values.get("title") or "", required=REQUIRED["title"]),
            text_problem("summary", values.get("summary") or ""),
            text_problem("description", values.get("description") or ""),
            text_problem("venue", values.get("venue") or ""),
            *(choice_problem(field, values.get(field)) for field in CHOICES),
            *language_problems(values.get("original_language"), values.get("languages") or ()),
            date_order_problem(values.get("starts_on"), values.get("ends_on")),
            capacity_problem(values.get("capacity"), seats_taken),
            threshold_problem(values.get("completion_threshold")),
            reminder_days_problem(values.get("reminder_days", DEFAULT_REMINDER_DAYS)),
            registration_order_problem(
                values.get("registration_opens_at"), values.get("registration_closes_at")
            ),
        ]
    )


#: A programme's translated fields; a translation needs its title.
TRANSLATED_FIELDS = (
    TranslatedField("title", MAX_TITLE),
    TranslatedField("summary", MAX_SUMMARY),
    TranslatedField("description", MAX_DESCRIPTION),
    TranslatedField("venue", MAX_VENUE),
)
#: A session's translated field.
SESSION_TRANSLATED_FIELDS = (TranslatedField("title", MAX_TITLE),)


def ask_for_title(language) -> Any:
    """What a translation without its title is told."""
    return _l(
        "Enter the title in %(language)s too, or empty all the fields of this translation to remove it.",
        language=language,
    )


_TRANSLATION_RULES = {
    Trouble.LANGUAGE: Rule.TRANSLATION_LANGUAGE,
    Trouble.IN_ORIGINAL: Rule.TRANSLATION_IN_ORIGINAL,
    Trouble.REQUIRED: Rule.TRANSLATION_TITLE,
    Trouble.TOO_LONG: Rule.TOO_LONG,
    Trouble.ITEM_COUNT: Rule.TOO_LONG,
}


def translation_problems(
    original_language: str,
    code: str,
    title: str,
    summary: str,
    description: str,
    venue: str = "",
) -> list[Problem]:
    """What keeps a translation (texts cleaned) from being saved; all empty means none."""
    values = {"title": title, "summary": summary, "description": description, "venue": venue}
    problem = translation_problem(
        original_language, code, TRANSLATED_FIELDS, values, required_message=ask_for_title
    )
    if problem is None:
        return []
    return [Problem(problem.field, problem.message, _TRANSLATION_RULES[problem.trouble])]


def venue_problem(programme_format, venue: str) -> Problem | None:
    """Participants of an in-person or hybrid programme must know where to go."""
    needs_venue = programme_format not in (None, ProgrammeFormat.ONLINE)
    if needs_venue and not (venue or "").strip():
        return Problem(
            "venue", _l("Enter the venue: only online programmes may leave it empty."), Rule.VENUE
        )
    return None


def publish_problems(programme, zone: str | None = None) -> list[Problem]:
    """Everything that keeps programme from being published, each saying what to fix.

    programme may be one not saved yet (the calendar import checks what it would create);
    zone is its centre's time zone, read from its centre when not given.
    """
    zone = zone or programme.centre.timezone
    sessions = sorted(programme.sessions, key=lambda s: s.starts_at)
    starts_on, ends_on = programme.starts_on, programme.ends_on
    opens, closes = programme.registration_opens_at, programme.registration_closes_at
    problems: list[Problem | None] = []
    if not (programme.title or "").strip():
        problems.append(Problem("title", _l("Give the programme a title."), Rule.REQUIRED))
    problems.append(venue_problem(programme.format, programme.venue))
    if not starts_on or not ends_on:
        message = _l("Set the first and the last day of the programme.")
        problems.append(Problem("starts_on", message, Rule.DATES))
    message = _l("The last day of the programme is before its first day: correct the dates.")
    problems.append(date_order_problem(starts_on, ends_on, message))
    if (programme.capacity or 0) < MIN_CAPACITY_TO_PUBLISH:
        message = _l("Set the capacity to at least one seat.")
        problems.append(Problem("capacity", message, Rule.CAPACITY))
    if not sessions:
        message = _l("Add at least one session to the timetable.")
        problems.append(Problem("sessions", message, Rule.SESSIONS))
    if opens is None:
        message = _l("Set when registration opens.")
        problems.append(Problem("registration_opens_at", message, Rule.REGISTRATION_TIMES))
    if closes is None:
        message = _l("Set when registration closes.")
        problems.append(Problem("registration_closes_at", message, Rule.REGISTRATION_TIMES))
    problems.append(
        registration_order_problem(
            opens,
            closes,
            _l("Registration opens after it closes: set the opening before the closing time."),
        )
    )
    if sessions:
        problems.append(closes_after_start_problem(closes, sessions[0].starts_at, zone))
    if starts_on and ends_on:
        for session in sessions:
            first_day = to_local(session.starts_at, zone).date()
            last_day = to_local(session.ends_at, zone).date()
            if first_day < starts_on or last_day > ends_on:
                message = _l(
                    "The session “%(title)s” (%(start)s) is outside the programme dates: move the session or change the first and last day.",
                    title=session.title,
                    start=format_in_zone(session.starts_at, zone),
                )
                problems.append(Problem("sessions", message, Rule.SESSION_OUTSIDE_DATES))
    return found_problems(problems)
