"""From rows to programmes: every row read, every programme checked, nothing written.

The file has one row per session; rows with the same programme title form one programme. Each
programme is checked against programmes.rules, the draft rules and the publish rules, so that
an imported calendar can be published as it is; each problem keeps its row and column.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from miti_training.extensions import db
from miti_training.formatting import LANGUAGES
from miti_training.models import (
    Centre,
    Programme,
    ProgrammeSession,
    ProgrammeStatus,
    ProgrammeTranslation,
)
from miti_training.programmes import rules
from miti_training.programmes.calendar_import.cells import (
    PARSERS,
    BadCell,
    LocalTime,
    cell_text,
    shown,
)
from miti_training.programmes.calendar_import.columns import (
    COLUMNS_BY_NAME,
    FILL_ONCE,
    HEADER_KEYS,
    PROGRAMME_COLUMNS,
    REQUIRED_COLUMNS,
    header_key,
)
from miti_training.programmes.calendar_import.problems import (
    CalendarImportError,
    Problems,
    file_error,
)
from miti_training.programmes.calendar_import.reading import read_table
from miti_training.programmes.rules import Rule
from miti_training.programmes.session_rules import session_order_problem
from miti_training.spreadsheets import column_letter, is_blank

_SESSION_COLUMNS = frozenset({"session title", "session start", "session end"})
#: Fields of the programme worked out from its sessions rather than read from a column.
_FROM_SESSIONS = frozenset({"sessions", "starts_on", "ends_on"})
_TRANSLATED = ("title", "summary", "description")
_TEXTS = ("summary", "description", "venue", *(f"{p}_{c}" for c in LANGUAGES for p in _TRANSLATED))
#: Fields the draft takes as they are.
_COPIED = (
    *("title", "summary", "description", "original_language", "kind", "theme", "format"),
    *("venue", "starts_on", "ends_on", "capacity", "enrolment_policy", "is_waitlist_enabled"),
    *("registration_opens_at", "registration_closes_at", "completion_threshold"),
)


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
    #: Columns whose cell was refused (on the first row; session columns on any row): the
    #: rules that need them are not checked again.
    refused: set[str] = field(default_factory=set)
    #: The draft the programme becomes, not added to the database (see import_calendar).
    programme: Programme | None = None

    @property
    def starts_on(self) -> date | None:
        return min(s.start.local for s in self.sessions).date() if self.sessions else None

    @property
    def ends_on(self) -> date | None:
        return max(s.end.local for s in self.sessions).date() if self.sessions else None


def plan_calendar(data: bytes, filename: str, centre: Centre) -> list[ProgrammePlan]:
    """Read and check the whole file; raise CalendarImportError listing every problem."""
    table = read_table(data, filename)
    problems = Problems()
    columns = _map_columns(table.header, problems)
    if problems:
        raise CalendarImportError(problems)
    if not table.rows:
        raise file_error(
            _("The file has no sessions: add one row per session under the column names.")
        )
    plans: dict[str, ProgrammePlan] = {}
    for number, values in table.rows:
        _plan_row(number, values, columns, centre, plans, problems)
    for plan in plans.values():
        _check_programme(plan, centre.timezone, problems)
    _check_not_imported_before(list(plans.values()), centre, problems)
    if problems:
        raise CalendarImportError(problems)
    return list(plans.values())


def _map_columns(header: list[Any], problems: Problems) -> dict[str, int]:
    """Column name -> index in the row; problems for unknown, repeated and missing columns."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        written = cell_text(cell)
        if not written:
            continue
        name = HEADER_KEYS.get(header_key(written))
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


def _plan_row(
    number: int,
    values: list[Any],
    columns: dict[str, int],
    centre: Centre,
    plans: dict[str, ProgrammePlan],
    problems: Problems,
) -> None:
    named = set(columns.values())
    for index, value in enumerate(values):
        if index not in named and not is_blank([value]):
            problems.add(
                number,
                column_letter(index),
                _("There is a value in this column, which has no name in row 1."),
            )
    parsed: dict[str, Any] = {}
    written: dict[str, Any] = {}
    refused: set[str] = set()
    for name, index in columns.items():
        value = values[index] if index < len(values) else None
        written[name] = value
        try:
            parsed[name] = PARSERS[name](value, centre.timezone)
        except BadCell as bad:
            problems.add(number, name, bad.message)
            refused.add(name)

    start, end = parsed.get("session start"), parsed.get("session end")
    if start is not None and end is not None and session_order_problem(start.utc, end.utc):
        problems.add(
            number,
            "session end",
            _(
                "The session ends at %(end)s, which is not after its start (%(start)s).",
                end=str(end),
                start=str(start),
            ),
        )
        refused.add("session end")

    title = parsed.get("programme title")
    if title is None:
        return  # cannot tell which programme the row belongs to; its problems are listed
    plan = plans.get(title)
    if plan is None:
        plan = plans[title] = ProgrammePlan(
            title=title, first_row=number, values={}, written=written, refused=set(refused)
        )
        plan.values = {n: v for n, v in parsed.items() if COLUMNS_BY_NAME[n].level == "programme"}
    else:
        _compare_with_programme(number, parsed, written, plan, problems)
        plan.refused |= refused & _SESSION_COLUMNS
    if not refused and "session title" in parsed:
        plan.sessions.append(SessionPlan(number, parsed["session title"], start, end))


def _compare_with_programme(
    number: int,
    parsed: dict[str, Any],
    written: dict[str, Any],
    plan: ProgrammePlan,
    problems: Problems,
) -> None:
    """Programme columns must say the same on every row (optional ones may be left empty)."""
    for name, value in parsed.items():
        if COLUMNS_BY_NAME[name].level != "programme" or name == "programme title":
            continue
        if name not in plan.values:  # the first row's cell was refused; already reported
            continue
        first = plan.values[name]
        if name in FILL_ONCE:
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


# Checking each programme against the rules -------------------------------------------------


def _utc(value: LocalTime | None) -> datetime | None:
    return value.utc if value is not None else None


def _fields(plan: ProgrammePlan) -> dict[str, Any]:
    """The programme's fields, named as programmes.rules names them; None where refused."""
    values = plan.values
    fields = {name: values.get(column) for name, column in PROGRAMME_COLUMNS.items()}
    fields.update(
        {name: fields[name] or "" for name in _TEXTS},
        original_language=fields["original_language"] or rules.DEFAULT_LANGUAGE,
        registration_opens_at=_utc(fields["registration_opens_at"]),
        registration_closes_at=_utc(fields["registration_closes_at"]),
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        completion_threshold=rules.DEFAULT_COMPLETION_THRESHOLD,
    )
    return fields


def _draft(plan: ProgrammePlan, fields: dict[str, Any]) -> Programme:
    """The draft programme the plan describes, with its sessions and translations."""
    programme = Programme(
        **{name: fields[name] for name in _COPIED},
        languages=",".join(fields["languages"] or ()),
        status=ProgrammeStatus.DRAFT,
        seats_taken=0,
    )
    for session in sorted(plan.sessions, key=lambda s: (s.start.utc, s.row)):
        programme.sessions.append(
            ProgrammeSession(
                title=session.title, starts_at=session.start.utc, ends_at=session.end.utc
            )
        )
    for code in LANGUAGES:
        title = fields[f"title_{code}"]
        if title and code != fields["original_language"]:
            programme.translations.append(
                ProgrammeTranslation(
                    language=code,
                    title=title,
                    summary=fields[f"summary_{code}"],
                    description=fields[f"description_{code}"],
                )
            )
    return programme


def _check_programme(plan: ProgrammePlan, zone: str, problems: Problems) -> None:
    """The rules a saved programme follows, and those a published one does."""
    fields = _fields(plan)
    plan.programme = _draft(plan, fields)
    found = [
        *rules.draft_problems(fields),
        *(
            problem
            for code in LANGUAGES
            for problem in rules.translation_problems(
                fields["original_language"], code, *(fields[f"{p}_{code}"] for p in _TRANSLATED)
            )
        ),
        *rules.publish_problems(plan.programme, zone),
    ]
    seen = set()
    for problem in found:
        # Draft and publish rules may find the same thing; a refused cell is listed already.
        if (problem.field, problem.rule) in seen or _refused(plan, problem.field):
            continue
        seen.add((problem.field, problem.rule))
        for column, message in _worded(problem, plan, fields):
            problems.add(plan.first_row, column, message)


def _refused(plan: ProgrammePlan, name: str) -> bool:
    if name in _FROM_SESSIONS:
        return bool(plan.refused & _SESSION_COLUMNS)
    return PROGRAMME_COLUMNS.get(name) in plan.refused


def _worded(problem: rules.Problem, plan: ProgrammePlan, fields) -> list[tuple[str, str]]:
    """(column, message) of a problem, quoting the cells where that helps."""
    column = PROGRAMME_COLUMNS.get(problem.field, "")
    values = plan.values
    if problem.rule is Rule.REGISTRATION_ORDER:
        message = _(
            "Registration closes at %(closes)s, which is not after it opens (%(opens)s).",
            closes=str(values["registration closes"]),
            opens=str(values["registration opens"]),
        )
    elif problem.rule is Rule.CLOSES_AFTER_START:
        first = min(plan.sessions, key=lambda s: s.start.utc)
        message = _(
            "Registration closes at %(closes)s, which is after the first session starts "
            "(%(start)s, row %(session_row)d).",
            closes=str(values["registration closes"]),
            start=str(first.start),
            session_row=first.row,
        )
    elif problem.rule is Rule.TRANSLATION_IN_ORIGINAL:
        code = problem.field.rpartition("_")[2]
        return [
            (
                f"{part}_{code}",
                _(
                    "The programme is written in %(language)s (column 'original "
                    "language', en when empty): put this text in the column '%(column)s', "
                    "or change the original language.",
                    language=code,
                    column="programme title" if part == "title" else part,
                ),
            )
            for part in _TRANSLATED
            if fields[f"{part}_{code}"]
        ]
    elif problem.rule is Rule.TRANSLATION_TITLE:
        message = _(
            "Give the title in this language too: a summary or description in "
            "%(language)s needs a title.",
            language=problem.field.rpartition("_")[2],
        )
    else:
        message = str(problem.message)
    return [(column, message)]


def _check_not_imported_before(
    plans: list[ProgrammePlan], centre: Centre, problems: Problems
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
