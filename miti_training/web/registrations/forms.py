"""Registration forms: built per programme, one field per custom question."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from miti_training.forms.common import NoControlCharacters, strip
from miti_training.models import EnrolmentPolicy, Programme, ProgrammeQuestion, QuestionKind
from miti_training.registrations.answers import (
    MAX_LONG_ANSWER,
    MAX_MOTIVATION,
    MAX_NEEDS,
    MAX_SHORT_ANSWER,
    answer_key,
)

_too_long = _l("Use at most %(max)d characters.")
_CHOOSE_ONE = _l("Choose one of the options.")
_CHOOSE_LISTED = _l("Choose only among the options shown.")


class ChoiceField(RadioField):
    """Radio buttons; no choice is fine unless the field is required, a foreign value is not."""

    def pre_validate(self, form):
        if self.data in (None, ""):
            self.data = None
            return
        if self.data not in {choice.value for choice in self.choices}:
            raise ValidationError(_CHOOSE_ONE)


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes: any number of the options, only those options."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        allowed = {choice.value for choice in self.choices}
        if any(value not in allowed for value in self.data or ()):
            raise ValidationError(_CHOOSE_LISTED)


def _required_or_optional(question: ProgrammeQuestion, message) -> list:
    return [InputRequired(message=message)] if question.is_required else [Optional()]


def question_field(question: ProgrammeQuestion):
    """The WTForms field that asks question."""
    label = question.label
    description = question.help_text or ""
    if question.kind == QuestionKind.SHORT_TEXT:
        return StringField(
            label,
            description=description,
            validators=[
                *(
                    [DataRequired(message=_l("Answer this question."))]
                    if question.is_required
                    else [Optional()]
                ),
                Length(max=MAX_SHORT_ANSWER, message=_too_long),
                NoControlCharacters(),
            ],
            filters=[strip],
        )
    if question.kind == QuestionKind.LONG_TEXT:
        return TextAreaField(
            label,
            description=description,
            validators=[
                *(
                    [DataRequired(message=_l("Answer this question."))]
                    if question.is_required
                    else [Optional()]
                ),
                Length(max=MAX_LONG_ANSWER, message=_too_long),
                NoControlCharacters(allow_newlines=True),
            ],
            filters=[strip],
        )
    if question.kind == QuestionKind.SINGLE_CHOICE:
        return ChoiceField(
            label,
            description=description,
            choices=[SelectChoice(choice, choice) for choice in question.choices or []],
            validators=_required_or_optional(question, _CHOOSE_ONE),
        )
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return MultiCheckboxField(
            label,
            description=description,
            choices=[SelectChoice(choice, choice) for choice in question.choices or []],
            validators=(
                [DataRequired(message=_l("Choose at least one of the options."))]
                if question.is_required
                else [Optional()]
            ),
        )
    return ChoiceField(
        label,
        description=description,
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validators=_required_or_optional(question, _l("Answer yes or no.")),
    )


def _free_text(label, max_length: int, *, required=None) -> TextAreaField:
    """A text area of free text: optional unless required names the message to show."""
    return TextAreaField(
        label,
        validators=[
            DataRequired(message=required) if required else Optional(),
            Length(max=max_length, message=_too_long),
            NoControlCharacters(allow_newlines=True),
        ],
        filters=[strip],
    )


class RegistrationFormBase(FlaskForm):
    """Fields every programme asks; questions and consent are added per programme."""

    #: Tells a filled-in form from the catalogue's bare "Register" button, which posts here too.
    submitted = HiddenField(default="1")
    motivation = _free_text(_l("Motivation"), MAX_MOTIVATION)
    accessibility_needs = _free_text(_l("Accessibility needs"), MAX_NEEDS)
    dietary_needs = _free_text(_l("Dietary needs"), MAX_NEEDS)
    consent_listing = BooleanField(
        _l("I agree that my name, organisation and city appear on the participant list")
    )

    #: The custom questions in form order, with their field names (set per programme).
    questions: tuple[ProgrammeQuestion, ...] = ()

    def question_fields(self):
        """(question, bound field) pairs in the programme's order."""
        return [(q, self[answer_key(q)]) for q in self.questions]

    def answers(self) -> dict:
        """The answers to the custom questions, keyed by form field name."""
        return {answer_key(q): field.data for q, field in self.question_fields()}


def registration_form_class(programme: Programme, *, editing: bool = False) -> type:
    """A form class for programme: its questions in order; consent to processing when new."""
    questions = tuple(programme.questions)
    attributes: dict = {"questions": questions}
    if programme.enrolment_policy == EnrolmentPolicy.REVIEW:
        attributes["motivation"] = _free_text(
            _l("Motivation"),
            MAX_MOTIVATION,
            required=_l("Tell the centre why you want to take part: it reviews applications."),
        )
    for question in questions:
        attributes[answer_key(question)] = question_field(question)
    if not editing:
        attributes["consent_data"] = BooleanField(
            _l("I agree to the processing of my personal data for this programme"),
            validators=[
                DataRequired(
                    message=_l(
                        "Tick this box to register: the centre cannot register you without it."
                    )
                )
            ],
        )
    return type("RegistrationForm", (RegistrationFormBase,), attributes)


class ConfirmForm(FlaskForm):
    """A button that confirms an action (the CSRF token is the only field)."""
