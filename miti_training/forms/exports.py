"""The attendee-list export page: which registrations, which columns.

The page shows the form filled with the status asked for in the query string and the user's
remembered columns; downloading posts it (a CSRF token: the choice of columns is stored).
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from miti_training.forms.common import ListChoiceField, MultiCheckboxField
from miti_training.forms.review import STATUS_FILTER_LABELS
from miti_training.registrations import export_columns as cols
from miti_training.registrations import exports
from miti_training.registrations.queries import StatusCounts

#: What each column key is called on the page, in the file's order.
COLUMN_LABELS = {
    cols.NAME: _l("Name"),
    cols.EMAIL: _l("Email address"),
    cols.ORGANISATION: _l("Organisation"),
    cols.MEMBER_CITY: _l("Member city"),
    cols.COUNTRY: _l("Country"),
    cols.JOB_TITLE: _l("Job title"),
    cols.STATUS: _l("Status"),
    cols.REGISTERED_AT: _l("Time of registration"),
    cols.MOTIVATION: _l("Motivation"),
    cols.ACCESSIBILITY_NEEDS: _l("Accessibility needs"),
    cols.DIETARY_NEEDS: _l("Dietary needs"),
    cols.ANSWERS: _l("Answers to the programme’s questions"),
    cols.CONSENTS: _l("Consents (data processing, participant list, photos)"),
    cols.ATTENDANCE: _l("Attendance at each session"),
}


class ExportForm(FlaskForm):
    """Which registrations and which columns to export."""

    status = ListChoiceField(
        _l("Registrations to export"), choices=[], message=exports.CHOOSE_STATUS
    )
    columns = MultiCheckboxField(
        _l("Columns"),
        choices=[SelectChoice(key, label) for key, label in COLUMN_LABELS.items()],
        message=cols.UNKNOWN_COLUMN,
    )

    def __init__(self, *args, counts: StatusCounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [
            SelectChoice(
                value,
                _(
                    "%(label)s (%(num)d)",
                    label=STATUS_FILTER_LABELS[value],
                    num=counts.for_filter(value),
                ),
            )
            for value in exports.STATUS_CHOICES
        ]
