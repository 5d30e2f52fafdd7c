"""Forms of the director's form builder: a programme's custom questions and their order."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import AnyOf, Length, Optional

from miti_training.forms.common import (
    TOO_LONG,
    ListChoiceField,
    NoControlCharacters,
    enum_choices,
    long_text_field,
    text_field,
)
from miti_training.forms.translations import (
    TranslatedInput,
    TranslationsMixin,
    add_translation_fields,
)
from miti_training.models import QuestionKind
from miti_training.registrations.questions import (
    MAX_CHOICE,
    MAX_CHOICES,
    MAX_HELP,
    MAX_LABEL,
    QuestionValues,
)


class QuestionForm(TranslationsMixin, FlaskForm):
    """A question; its texts in other languages are added below (label_fr, choices_fr, ...)."""

    kind = ListChoiceField(
        _l("Kind of answer"),
        choices=enum_choices(QuestionKind),
        message=_l("Choose a kind of question from the list."),
    )
    label = text_field(
        _l("Question"),
        max_length=MAX_LABEL,
        required_message=_l("Enter the question."),
        render_kw={"dir": "auto"},
    )
    help_text = long_text_field(
        _l("Help text (optional)"), max_length=MAX_HELP, render_kw={"rows": 2, "dir": "auto"}
    )
    is_required = BooleanField(_l("An answer is required"))
    choices = TextAreaField(
        _l("Choices, one per line"),
        validators=[
            Optional(),
            Length(max=MAX_CHOICES * (MAX_CHOICE + 2), message=TOO_LONG),
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
            **QuestionForm.translation_data(question),
        }

    def values(self, original: str) -> QuestionValues:
        """What was typed, with the translations into the languages other than original."""
        return QuestionValues(
            kind=self.kind.data or "",
            label=self.label.data or "",
            help_text=self.help_text.data or "",
            is_required=bool(self.is_required.data),
            choices_text=self.choices.data or "",
            translations=self.translated_values(original),
        )


add_translation_fields(
    QuestionForm,
    (
        TranslatedInput(
            "label", lambda language: _l("Question (%(language)s)", language=language), MAX_LABEL
        ),
        TranslatedInput(
            "help_text",
            lambda language: _l("Help text (%(language)s)", language=language),
            MAX_HELP,
            rows=2,
        ),
        TranslatedInput(
            "choices",
            lambda language: _l("Choices, one per line (%(language)s)", language=language),
            MAX_CHOICES * (MAX_CHOICE + 2),
            rows=5,
        ),
    ),
)


class MoveQuestionForm(FlaskForm):
    direction = HiddenField(
        validators=[AnyOf(["up", "down"], message=_l("A question can only be moved up or down."))]
    )
