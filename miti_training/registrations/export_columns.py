"""Which columns an attendee list holds, and the choice each member of staff last made.

A column key names one column of the file (name, dietary needs, ...) or a group that depends
on the programme: the answers to its questions, the consents, the attendance of its sessions.
The file keeps the order of COLUMNS whatever order the keys were chosen in.

The choice is remembered per user (models.ExportPreference says why) with the download that
used it, and pre-fills the export page next time.
"""

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from miti_training.errors import FieldError
from miti_training.extensions import db
from miti_training.models import ExportPreference, utcnow

NAME = "name"
EMAIL = "email"
ORGANISATION = "organisation"
MEMBER_CITY = "member_city"
COUNTRY = "country"
JOB_TITLE = "job_title"
STATUS = "status"
REGISTERED_AT = "registered_at"
MOTIVATION = "motivation"
ACCESSIBILITY_NEEDS = "accessibility_needs"
DIETARY_NEEDS = "dietary_needs"
#: One column per question of the programme's registration form.
ANSWERS = "answers"
#: Consent to data processing, to the participant list and to photos being published.
CONSENTS = "consents"
#: One column per session, once attendance is recorded.
ATTENDANCE = "attendance"

#: Every column key, in the file's order.
COLUMNS = (
    NAME,
    EMAIL,
    ORGANISATION,
    MEMBER_CITY,
    COUNTRY,
    JOB_TITLE,
    STATUS,
    REGISTERED_AT,
    MOTIVATION,
    ACCESSIBILITY_NEEDS,
    DIETARY_NEEDS,
    ANSWERS,
    CONSENTS,
    ATTENDANCE,
)
#: Until someone chooses, a list holds everything the registration form collects.
DEFAULT_COLUMNS = COLUMNS

CHOOSE_COLUMNS = _l("Choose at least one column.")
UNKNOWN_COLUMN = _l("Choose the columns from the list.")


def check_columns(values: Iterable[str] | None) -> tuple[str, ...]:
    """The chosen keys in the file's order; none chosen or an unknown key is refused."""
    chosen = set(values or ())
    if not chosen:
        raise FieldError(CHOOSE_COLUMNS, field="columns")
    if not chosen <= set(COLUMNS):
        raise FieldError(UNKNOWN_COLUMN, field="columns")
    return tuple(key for key in COLUMNS if key in chosen)


def remembered_columns(user_id: int) -> tuple[str, ...]:
    """The user's last choice (keys no longer offered are dropped), else the default."""
    stored = db.session.scalar(
        select(ExportPreference.columns).where(ExportPreference.user_id == user_id)
    )
    known = tuple(key for key in COLUMNS if key in set(stored or ()))
    return known or DEFAULT_COLUMNS


def remember_columns(user_id: int, columns: tuple[str, ...]) -> None:
    """Store columns as the user's choice (insert or replace; the caller commits).

    The database's own upsert: two downloads at once by the same user cannot collide on
    the primary key.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    values = {"user_id": user_id, "columns": list(columns), "updated_at": utcnow()}
    statement = insert(ExportPreference).values(**values)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[ExportPreference.user_id],
            set_={
                "columns": statement.excluded["columns"],
                "updated_at": statement.excluded["updated_at"],
            },
        )
    )
