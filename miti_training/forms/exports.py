"""The choice of registrations on the attendee-list export page."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from miti_training.forms.common import ListChoiceField, QueryForm
from miti_training.forms.review import STATUS_FILTER_LABELS
from miti_training.registrations import exports
from miti_training.registrations.queries import StatusCounts


class ExportForm(QueryForm):
    """Which registrations to export, read from the query string."""

    status = ListChoiceField(
        _l("Registrations to export"), choices=[], message=exports.CHOOSE_STATUS
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
        if self.status.data not in exports.STATUS_CHOICES:
            self.status.data = exports.DEFAULT_STATUS
