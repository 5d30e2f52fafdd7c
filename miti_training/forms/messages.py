"""The form of an email from a centre to the participants of one programme."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, StopValidation

from miti_training.forms.common import TOO_LONG, NoControlCharacters, RadioChoiceField, strip
from miti_training.registrations.answers import normalise_newlines
from miti_training.registrations.messages import MAX_BODY, MAX_SUBJECT, Audience

AUDIENCE_LABELS = {
    Audience.CONFIRMED.value: _l("Confirmed participants"),
    Audience.WAITLISTED.value: _l("People on the waiting list"),
    Audience.APPLIED.value: _l("Applications waiting for review"),
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

    def chosen_audience(self) -> Audience | None:
        """The audience ticked, when it is one of the list."""
        return Audience(self.audience.data) if self.audience.data in AUDIENCE_LABELS else None
