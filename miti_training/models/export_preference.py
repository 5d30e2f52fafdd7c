"""The columns a member of staff last chose for an attendee list."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from miti_training.extensions import db
from miti_training.models.common import UTCDateTime, utcnow


class ExportPreference(db.Model):
    """One row per user: the column keys of their last attendee-list download.

    Per user rather than per programme: the columns a coordinator wants (a catering list, an
    access list, the full list) are a habit of their work, not a property of one programme,
    and the programme-specific columns are chosen as groups (answers, attendance).
    """

    __tablename__ = "export_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: Column keys (registrations.export_columns.COLUMNS), in the file's order.
    columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
