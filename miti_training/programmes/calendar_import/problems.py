"""Why a calendar file is refused: each problem located by row and column, as a spreadsheet shows."""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from miti_training.errors import DomainError
from miti_training.programmes.calendar_import.columns import column_rank


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
            problems, key=lambda p: (p.row is not None, p.row or 0, column_rank(p.column))
        )


class Problems(list):
    """The problems found so far."""

    def add(self, row: int | None, column: str, message) -> None:
        self.append(ImportProblem(row, column, str(message)))


def file_error(message: str) -> CalendarImportError:
    """The whole file is refused for one reason."""
    return CalendarImportError([ImportProblem(None, "", message)])
