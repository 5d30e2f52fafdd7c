"""The form of an email from a centre to the participants of one programme: the original and
optional versions in the other interface languages (subject_fr, body_fr, ... added below)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from miti_training.formatting import LANGUAGE_NAMES, LANGUAGES, language_label
from miti_training.forms.common import (
    TOO_LONG,
    ListChoiceField,
    NoControlCharacters,
    RadioChoiceField,
    strip,
)
from miti_training.registrations.answers import normalise_newlines
from miti_training.registrations.messages import (
    MAX_BODY,
    MAX_SUBJECT,
    Audience,
    Draft,
    ReplyTo,
    Version,
)

AUDIENCE_LABELS = {
    Audience.CONFIRMED.value: _l("Confirmed participants"),
    Audience.WAITLISTED.value: _l("People on the waiting list"),
    Audience.APPLIED.value: _l("Applications waiting for review"),
}
REPLY_TO_LABELS = {
    ReplyTo.CENTRE.value: _l("The centre’s contact address"),
    ReplyTo.SENDER.value: _l("My own address"),
}


def _one_line(form, field):
    """A line break in a subject would let text into the mail headers: one message, then stop."""
    if any(char in (field.data or "") for char in "\r\n\u2028\u2029\x85"):
        raise StopValidation(_l("Write the subject on one line."))


class MessageForm(FlaskForm):
    audience = RadioChoiceField(
        _l("Who receives it"),
        choices=[SelectChoice(value, text) for value, text in AUDIENCE_LABELS.items()],
        default=Audience.CONFIRMED.value,
        message=_l("Choose who receives the message."),
    )
    reply_to = RadioChoiceField(
        _l("Replies go to"),
        choices=[SelectChoice(value, text) for value, text in REPLY_TO_LABELS.items()],
        default=ReplyTo.CENTRE.value,
        message=_l("Choose where replies go."),
    )
    language = ListChoiceField(
        _l("Language of the message"),
        choices=[SelectChoice(code, language_label(code)) for code in LANGUAGES],
        default="en",
        message=_l("Choose one of the languages of the list."),
    )
    subject = StringField(
        _l("Subject"),
        validators=[
            DataRequired(message=_l("Write a subject.")),
            _one_line,
            Length(max=MAX_SUBJECT, message=TOO_LONG),
            NoControlCharacters(),
        ],
        filters=[strip],
    )
    body = TextAreaField(
        _l("Message"),
        validators=[
            DataRequired(message=_l("Write the message.")),
            Length(max=MAX_BODY, message=TOO_LONG),
            NoControlCharacters(allow_newlines=True),
        ],
        filters=[normalise_newlines],
        render_kw={"rows": 12},
    )
    #: The signature of the draft the preview showed; only the preview page's Send carries it.
    draft_digest = HiddenField()

    def chosen_audience(self) -> Audience | None:
        """The audience ticked, when it is one of the list."""
        return Audience(self.audience.data) if self.audience.data in AUDIENCE_LABELS else None

    def version_fields(self, code: str) -> tuple:
        return self[f"subject_{code}"], self[f"body_{code}"]

    def written_languages(self) -> list[str]:
        """The other languages a version was written in."""
        return [
            code
            for code in LANGUAGES
            if any((field.data or "").strip() for field in self.version_fields(code))
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for code in self.written_languages():
            subject, body = self.version_fields(code)
            if code == self.language.data:
                subject.errors = [
                    *subject.errors,
                    _l("The message is already in this language: leave this version empty."),
                ]
                valid = False
                continue
            for field, message in (
                (subject, _l("Write a subject.")),
                (body, _l("Write the message.")),
            ):
                if not (field.data or "").strip() and not field.errors:
                    field.errors = [*field.errors, message]
                    valid = False
        return valid

    def draft(self) -> Draft:
        """What was written, as the domain reads it (call after validate)."""
        return Draft(
            audience=Audience(self.audience.data),
            reply_to=ReplyTo(self.reply_to.data),
            original=Version(self.language.data, self.subject.data or "", self.body.data or ""),
            translations=tuple(
                Version(code, *(field.data or "" for field in self.version_fields(code)))
                for code in self.written_languages()
            ),
        )


def _version_fields(code: str) -> dict:
    attrs = {"lang": code, "dir": "auto"}
    return {
        f"subject_{code}": StringField(
            _l("Subject"),
            validators=[
                Optional(),
                _one_line,
                Length(max=MAX_SUBJECT, message=TOO_LONG),
                NoControlCharacters(),
            ],
            filters=[strip],
            render_kw=attrs,
        ),
        f"body_{code}": TextAreaField(
            _l("Message"),
            validators=[
                Optional(),
                Length(max=MAX_BODY, message=TOO_LONG),
                NoControlCharacters(allow_newlines=True),
            ],
            filters=[normalise_newlines],
            render_kw={**attrs, "rows": 8},
        ),
    }


for _code in LANGUAGES:
    for _name, _field in _version_fields(_code).items():
        setattr(MessageForm, _name, _field)

#: Each language named in itself, for the versions' headings.
VERSION_NAMES = {code: LANGUAGE_NAMES[code] for code in LANGUAGES}
