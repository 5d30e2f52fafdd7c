"""The participant's registration form: built per programme, one field per custom question."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, HiddenField, RadioField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional

from miti_training.formatting import translated
from miti_training.forms.common import MultiCheckboxField, long_text_field, text_field
from miti_training.models import (
    Programme,
    ProgrammeQuestion,
    QuestionKind,
    Registration,
)
from miti_training.registrations.answers import (
    MAX_LONG_ANSWER,
    MAX_MOTIVATION,
    MAX_NEEDS,
    MAX_SHORT_ANSWER,
    answer_key,
    stored_answer,
)
from miti_training.registrations.policy import decided_by_staff

_ANSWER = _l("Answer this question.")
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


def _required_or_optional(question: ProgrammeQuestion, message) -> list:
    return [InputRequired(message=message)] if question.is_required else [Optional()]


def _in_its_language(text: str, language: str) -> Markup:
    """Text staff wrote, marked with its language and isolated in its own direction, so a
    Persian question keeps its question mark on the right on any page (and an English one
    shown on a Persian page keeps its full stop on the right too)."""
    return Markup('<span lang="{}" dir="auto">{}</span>').format(language, text)


def question_field(question: ProgrammeQuestion):
    """The WTForms field that asks question, in the viewer's language where translated; the
    choices keep their original value (the answer stored) under a translated label."""
    text = translated(question)
    label = _in_its_language(text.label, text.language)
    description = _in_its_language(text.help_text, text.language) if text.help_text else ""
    options = [
        SelectChoice(value, _in_its_language(shown, text.language))
        for value, shown in zip(question.choices or [], text.choices or [], strict=False)
    ]
    required = _ANSWER if question.is_required else None
    if question.kind == QuestionKind.SHORT_TEXT:
        return text_field(
            label, max_length=MAX_SHORT_ANSWER, required_message=required, description=description
        )
    if question.kind == QuestionKind.LONG_TEXT:
        return long_text_field(
            label, max_length=MAX_LONG_ANSWER, required_message=required, description=description
        )
    if question.kind == QuestionKind.SINGLE_CHOICE:
        return ChoiceField(
            label,
            description=description,
            choices=options,
            validators=_required_or_optional(question, _CHOOSE_ONE),
        )
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return MultiCheckboxField(
            label,
            description=description,
            choices=options,
            validators=(
                [DataRequired(message=_l("Choose at least one of the options."))]
                if question.is_required
                else [Optional()]
            ),
            message=_CHOOSE_LISTED,
        )
    return ChoiceField(
        label,
        description=description,
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validators=_required_or_optional(question, _l("Answer yes or no.")),
    )


class RegistrationFormBase(FlaskForm):
    """Fields every programme asks; questions and consent are added per programme."""

    #: Tells a filled-in form from the catalogue's bare "Register" button, which posts here too.
    submitted = HiddenField(default="1")
    motivation = long_text_field(_l("Motivation"), max_length=MAX_MOTIVATION)
    accessibility_needs = long_text_field(_l("Accessibility needs"), max_length=MAX_NEEDS)
    dietary_needs = long_text_field(_l("Dietary needs"), max_length=MAX_NEEDS)
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

    def details(self) -> dict:
        """What a new and a changed registration share, as the enrolment services take it."""
        return {
            "answers": self.answers(),
            "motivation": self.motivation.data or "",
            "accessibility_needs": self.accessibility_needs.data or "",
            "dietary_needs": self.dietary_needs.data or "",
            "consent_listing": bool(self.consent_listing.data),
        }

    @staticmethod
    def initial_data(registration: Registration) -> dict:
        """The registration's current values, to change them."""
        data = {
            "motivation": registration.motivation,
            "accessibility_needs": registration.accessibility_needs,
            "dietary_needs": registration.dietary_needs,
            "consent_listing": registration.consent_listing_at is not None,
        }
        answers = registration.answers or {}
        for question in registration.programme.questions:
            value = stored_answer(answers, question)
            if question.kind == QuestionKind.YES_NO and isinstance(value, bool):
                value = "yes" if value else "no"
            data[answer_key(question)] = value
        return data


def registration_form_class(programme: Programme, *, editing: bool = False) -> type:
    """A form class for programme: its questions in order; consent to processing when new."""
    questions = tuple(programme.questions)
    attributes: dict = {"questions": questions}
    if decided_by_staff(programme):
        attributes["motivation"] = long_text_field(
            _l("Motivation"),
            max_length=MAX_MOTIVATION,
            required_message=_l(
                "Tell the centre why you want to take part: it reviews applications."
            ),
        )
    for question in questions:
        attributes[answer_key(question)] = question_field(question)
    if not editing:
        # Apart from the others: agreeing or not changes nothing else of the registration.
        attributes["consent_photos"] = BooleanField(_l("Photos in which I appear may be published"))
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
