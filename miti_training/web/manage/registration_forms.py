"""Forms of the coordinators' registration pages and of the director's form builder.

None of them carries a status, a centre, a programme or a role: those come from the address
and the action chosen, never from a field a user controls.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from miti_training.forms.common import ListChoiceField, NoControlCharacters, enum_choices, strip
from miti_training.models import QuestionKind
from miti_training.programmes.rules import MAX_REASON
from miti_training.registrations.queries import SortKey, StatusFilter
from miti_training.registrations.questions import MAX_CHOICE, MAX_CHOICES, MAX_HELP, MAX_LABEL
from miti_training.web.manage.forms import parsed

_too_long = _l("Use at most %(max)d characters.")

STATUS_FILTER_LABELS = {
    StatusFilter.ACTIVE.value: _l("Active"),
    StatusFilter.ALL.value: _l("All"),
    StatusFilter.APPLIED.value: _l("Applied"),
    StatusFilter.CONFIRMED.value: _l("Confirmed"),
    StatusFilter.WAITLISTED.value: _l("Waiting list"),
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


class QuestionForm(FlaskForm):
    kind = ListChoiceField(
        _l("Kind of answer"),
        choices=enum_choices(QuestionKind),
        message=_l("Choose a kind of question from the list."),
    )
    label = StringField(
        _l("Question"),
        validators=[
            DataRequired(message=_l("Enter the question.")),
            Length(max=MAX_LABEL, message=_too_long),
            NoControlCharacters(),
        ],
        filters=[strip],
        render_kw={"dir": "auto"},
    )
    help_text = TextAreaField(
        _l("Help text (optional)"),
        validators=[
            Optional(),
            Length(max=MAX_HELP, message=_too_long),
            NoControlCharacters(allow_newlines=True),
        ],
        filters=[strip],
        render_kw={"rows": 2, "dir": "auto"},
    )
    is_required = BooleanField(_l("An answer is required"))
    choices = TextAreaField(
        _l("Choices, one per line"),
        validators=[
            Optional(),
            Length(max=MAX_CHOICES * (MAX_CHOICE + 2), message=_too_long),
            NoControlCharacters(allow_newlines=True),
        ],
        render_kw={"rows": 5, "dir": "auto"},
    )

    @staticmethod
    def initial_data(question) -> dict:
        return {
            "kind": question.kind.value,
            "label": question.label,
            "help_text": question.help_text,
            "is_required": question.is_required,
            "choices": "\n".join(question.choices or []),
        }


class MoveQuestionForm(FlaskForm):
    direction = HiddenField(
        validators=[AnyOf(["up", "down"], message=_l("A question can only be moved up or down."))]
    )


class RegistrationSearchForm(FlaskForm):
    """The list's filters, read from the query string (no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Name, organisation or email address"),
        validators=[Optional(), Length(max=200, message=_too_long), NoControlCharacters()],
        filters=[strip],
    )
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


class BulkActionForm(FlaskForm):
    """The CSRF token and the chosen action; the ticked ids are read from the request."""

    action = HiddenField(
        validators=[AnyOf(["confirm", "decline"], message=_l("Choose confirm or decline."))]
    )


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (optional, sent to the participant)"),
        validators=[
            Optional(),
            Length(max=MAX_REASON, message=_too_long),
            NoControlCharacters(allow_newlines=True),
        ],
        filters=[strip],
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
    email = EmailField(
        _l("Email address of the official"),
        validators=[
            DataRequired(message=_l("Enter the official's email address.")),
            Length(max=254, message=_too_long),
            Email(
                message=_l("Enter a valid email address, like name@city.gov."),
                check_deliverability=False,
            ),
        ],
        filters=[strip],
        render_kw={"autocomplete": "off"},
    )
