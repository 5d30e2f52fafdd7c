"""Import a centre's training calendar from CSV or XLSX: every row checked, then all or nothing.

The file has one row per session; rows with the same programme title form one programme
(planning). A file is read by reading, its columns are named in columns, its cells read by
cells; template builds the file to start from. Each programme is checked against the same
rules as publishing (programmes.rules), so an imported calendar can be published as it is.

Imported programmes are drafts of the centre, each with a "programme.import" audit entry.
"""

from dataclasses import dataclass

from miti_training.extensions import db
from miti_training.models import Centre, Programme
from miti_training.programmes import editing
from miti_training.programmes.calendar_import.cells import shown
from miti_training.programmes.calendar_import.columns import COLUMNS
from miti_training.programmes.calendar_import.planning import plan_calendar
from miti_training.programmes.calendar_import.problems import CalendarImportError, ImportProblem
from miti_training.programmes.calendar_import.reading import MAX_FILE_BYTES, MAX_ROWS
from miti_training.programmes.calendar_import.template import template_csv, template_xlsx
from miti_training.slugs import unique_programme_slug

#: What the upload page and the command line use.
__all__ = [
    "COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "CalendarImportError",
    "ImportProblem",
    "ImportResult",
    "import_calendar",
    "plan_calendar",
    "shown",
    "template_csv",
    "template_xlsx",
]


@dataclass
class ImportResult:
    programmes: list[Programme]

    @property
    def session_count(self) -> int:
        return sum(len(p.sessions) for p in self.programmes)


def import_calendar(data: bytes, filename: str, *, centre: Centre, actor=None) -> ImportResult:
    """Check the whole file, then add every programme as a draft of centre (flushed, not committed)."""
    plans = plan_calendar(data, filename, centre)
    taken: set[str] = set()
    programmes: list[Programme] = []
    for plan in plans:
        programme = plan.programme
        programme.slug = unique_programme_slug(plan.title, taken=taken)
        programme.centre = centre
        programme.created_by_id = actor.id if actor is not None else None
        taken.add(programme.slug)
        db.session.add(programme)
        programmes.append(programme)
    db.session.flush()
    reason = f"file: {shown(filename, limit=120)}"  # data, not a message: not translated
    for programme in programmes:
        editing.record("programme.import", programme, actor, reason=reason)
    db.session.flush()
    return ImportResult(programmes)
