"""Forms of the staff's registration pages: the list's search, bulk action, decline, move,
register on behalf.

None of them carries a status, a centre, a programme or a role: those come from the address
and the action chosen, never from a field a user controls.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    InputRequired,
    NumberRange,
)

from miti_training.forms.common import (
    QueryForm,
    long_text_field,
    official_email_field,
    parsed,
    search_field,
)
from miti_training.registrations.answers import MAX_REASON
from miti_training.registrations.queries import RegistrationFilters, SortKey, StatusFilter

STATUS_FILTER_LABELS = {
    StatusFilter.ACTIVE.value: _l("Active"),
    StatusFilter.ALL.value: _l("All"),
    StatusFilter.APPLIED.value: _l("Applied"),
    StatusFilter.CONFIRMED.value: _l("Confirmed"),
    StatusFilter.WAITLISTED.value: _l("Waiting list"),
    StatusFilter.OFFERED.value: _l("Open offers"),
    StatusFilter.DECLINED.value: _l("Declined"),
    StatusFilter.WITHDRAWN.value: _l("Withdrawn"),
    StatusFilter.CANCELLED.value: _l("Cancelled"),
}

SORT_LABELS = {
    SortKey.REGISTERED.value: _l("Registered at"),
    SortKey.NAME.value: _l("Name"),
    SortKey.STATUS.value: _l("Status"),
    SortKey.POSITION.value: _l("Waiting-list position"),
}


class RegistrationSearchForm(QueryForm):
    """The list's filters, read from the query string."""

    q = search_field(_l("Name, organisation or email address"))
    status = SelectField(
        _l("Show"),
        choices=[SelectChoice(v, label) for v, label in STATUS_FILTER_LABELS.items()],
        default=StatusFilter.ACTIVE.value,
    )
    sort = SelectField(
        _l("Sort by"),
        choices=[SelectChoice(v, label) for v, label in SORT_LABELS.items()],
        default=SortKey.REGISTERED.value,
    )
    dir = SelectField(
        _l("Order"),
        choices=[SelectChoice("asc", _l("Ascending")), SelectChoice("desc", _l("Descending"))],
        default="asc",
    )

    def filters(self) -> RegistrationFilters:
        """The filters asked for (call validate() first); a wrong value falls back to the default.

        The fields are set to the filters used, so the form shows what the list shows.
        """
        defaults = (
            (self.status, StatusFilter.ACTIVE.value),
            (self.sort, SortKey.REGISTERED.value),
            (self.dir, "asc"),
        )
        for field, default in defaults:
            if field.errors:
                field.errors = []
                field.data = default
        return RegistrationFilters(
            status=StatusFilter(self.status.data),
            q=(self.q.data if not self.q.errors else "") or "",
            sort=SortKey(self.sort.data),
            descending=self.dir.data == "desc",
        )


class BulkActionForm(FlaskForm):
    """The CSRF token and the chosen action; the ticked ids are read from the request."""

    action = HiddenField(
        validators=[AnyOf(["confirm", "decline"], message=_l("Choose confirm or decline."))]
    )


class DeclineForm(FlaskForm):
    reason = long_text_field(
        _l("Reason (optional, sent to the participant)"),
        max_length=MAX_REASON,
        render_kw={"rows": 3, "dir": "auto"},
    )


class MoveOnWaitlistForm(FlaskForm):
    position = IntegerField(
        _l("New position on the waiting list"),
        validators=[
            InputRequired(message=_l("Enter the new position, like 1.")),
            parsed,
            NumberRange(min=1, max=100_000, message=_l("Enter a position from 1 upwards.")),
        ],
        invalid_value_message=_l("Enter a whole number, like 1."),
        render_kw={"min": 1},
    )


class RegisterOnBehalfForm(FlaskForm):
    email = official_email_field()
