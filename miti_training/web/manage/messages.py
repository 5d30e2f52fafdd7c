"""Coordinator tools: an email from the centre to the participants of one programme.

One page: the coordinator chooses the audience, writes a subject and a body, previews the
message as the first recipient will read it, then sends it (services/messages.py). Sending
is rate-limited per account: MESSAGE_RATE_LIMIT in the configuration, else DEFAULT_RATE_LIMIT.
"""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, StopValidation

from miti_training.errors import DomainError
from miti_training.extensions import db, limiter
from miti_training.forms.common import NoControlCharacters, strip
from miti_training.models import MembershipRole
from miti_training.permissions import centre_role_required
from miti_training.registrations import messages
from miti_training.registrations.answers import normalise_newlines
from miti_training.registrations.messages import MAX_BODY, MAX_SUBJECT, Audience
from miti_training.web.auth.limits import account_key
from miti_training.web.manage.blueprint import bp
from miti_training.web.manage.views import _programme_or_404, _show_error

#: Messages one account may send (anti-automation); previews are not counted.
DEFAULT_RATE_LIMIT = "10 per hour"

AUDIENCE_LABELS = {
    Audience.CONFIRMED.value: _l("Confirmed participants"),
    Audience.WAITLISTED.value: _l("People on the waiting list"),
    Audience.APPLIED.value: _l("Applications waiting for review"),
}

_too_long = _l("Use at most %(max)d characters.")


def _one_line(form, field):
    """A line break in a subject would let text into the mail headers: one message, then stop."""
    if any(char in (field.data or "") for char in "\r\n\u2028\u2029\x85"):
        raise StopValidation(_l("Write the subject on one line."))


class AudienceField(RadioField):
    """Radio buttons whose every wrong value gets one clear message."""

    def post_validate(self, form, validation_stopped):
        if self.errors:
            self.errors[:] = [_l("Choose who receives the message.")]


class MessageForm(FlaskForm):
    audience = AudienceField(
        _l("Who receives it"),
        choices=[SelectChoice(value, text) for value, text in AUDIENCE_LABELS.items()],
        default=Audience.CONFIRMED.value,
    )
    subject = StringField(
        _l("Subject"),
        validators=[
            DataRequired(message=_l("Write a subject.")),
            _one_line,
            Length(max=MAX_SUBJECT, message=_too_long),
            NoControlCharacters(),
        ],
        filters=[strip],
    )
    body = TextAreaField(
        _l("Message"),
        validators=[
            DataRequired(message=_l("Write the message.")),
            Length(max=MAX_BODY, message=_too_long),
            NoControlCharacters(allow_newlines=True),
        ],
        filters=[normalise_newlines],
        render_kw={"rows": 12},
    )


def _is_not_a_send() -> bool:
    return request.method != "POST" or "send" not in request.form


per_account = limiter.limit(
    lambda: current_app.config.get("MESSAGE_RATE_LIMIT", DEFAULT_RATE_LIMIT),
    methods=["POST"],
    key_func=lambda: account_key("messages"),
    exempt_when=_is_not_a_send,
    #: Only a message that went out counts; a refused one can be corrected and sent.
    deduct_when=lambda response: response.status_code == 302,
)


@bp.route("/<centre_slug>/programmes/<int:programme_id>/message", methods=["GET", "POST"])
@centre_role_required(MembershipRole.COORDINATOR)
@per_account
def message_participants(centre, programme_id: int):
    programme = _programme_or_404(centre, programme_id)
    form = MessageForm()
    preview = None
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            status = 422
        elif "send" in request.form:
            try:
                count = messages.send(
                    programme,
                    Audience(form.audience.data),
                    form.subject.data,
                    form.body.data,
                    actor=current_user,
                )
            except DomainError as error:
                _show_error(form, error)
                status = 422
            else:
                db.session.commit()
                flash(
                    ngettext(
                        "Message sent to %(num)d participant.",
                        "Message sent to %(num)d participants.",
                        count,
                    ),
                    "success",
                )
                return redirect(
                    url_for(
                        "manage.programme_registrations",
                        centre_slug=centre.slug,
                        programme_id=programme.id,
                    )
                )
        else:
            preview = messages.preview(
                programme, Audience(form.audience.data), form.subject.data, form.body.data
            )
            if preview.count == 0:
                flash(_("Nobody would receive this message: choose another audience."), "error")
    counts = messages.audience_counts(programme)
    chosen = Audience(form.audience.data) if form.audience.data in AUDIENCE_LABELS else None
    return (
        render_template(
            "manage/message.html",
            centre=centre,
            programme=programme,
            form=form,
            preview=preview,
            counts={audience.value: n for audience, n in counts.items()},
            send_count=counts[chosen] if chosen else 0,
            audience_labels=AUDIENCE_LABELS,
            placeholders=messages.PLACEHOLDERS,
            max_subject=MAX_SUBJECT,
        ),
        status,
    )
