"""Coordinator tools: an email from the centre to the participants of one programme, and the
history of those sent.

The coordinator chooses the audience and where replies go, writes the message (with versions in
other languages if they like) and previews it; only the preview shows the Send button, naming
how many people receive it, and carries the signature of the draft previewed, so a draft
changed since is previewed again rather than sent (registrations.messages). Sending is
rate-limited per account (MESSAGE_RATE_LIMIT).
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from miti_training.errors import DomainError
from miti_training.forms.messages import (
    AUDIENCE_LABELS,
    REPLY_TO_LABELS,
    VERSION_NAMES,
    MessageForm,
)
from miti_training.models import MembershipRole
from miti_training.permissions import centre_role_required
from miti_training.registrations import messages
from miti_training.registrations.messages import MAX_SUBJECT
from miti_training.web.limits import messages_per_account
from miti_training.web.loaders import programme_in_centre_or_404
from miti_training.web.manage.blueprint import bp
from miti_training.web.refusals import REFUSED, attempt, show_refusal


def _preview(form: MessageForm, programme, *, show_refusals: bool):
    """The preview of the draft written, its signature put in the form; None if refused."""
    try:
        preview = messages.preview(programme, form.draft(), sender=current_user)
    except DomainError as error:
        if show_refusals:
            show_refusal(form, error)
        return None
    form.draft_digest.data = preview.digest
    return preview


@bp.route("/<centre_slug>/programmes/<int:programme_id>/message", methods=["GET", "POST"])
@centre_role_required(MembershipRole.COORDINATOR)
@messages_per_account
def message_participants(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    form = MessageForm()
    if request.method == "GET" and not centre.contact_email:
        form.reply_to.data = messages.ReplyTo.SENDER.value
    preview = None
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            status = 422
        elif "send" in request.form:
            sent = attempt(
                form,
                lambda: messages.send(
                    programme, form.draft(), actor=current_user, signed=form.draft_digest.data
                ),
            )
            if sent is not REFUSED:
                flash(
                    ngettext(
                        "Message sent to %(num)d participant.",
                        "Message sent to %(num)d participants.",
                        sent.recipient_count,
                    ),
                    "success",
                )
                return redirect(
                    url_for(
                        "manage.sent_messages", centre_slug=centre.slug, programme_id=programme.id
                    )
                )
            status = 422
            # What the audience and the draft are now, with a Send button for them.
            preview = _preview(form, programme, show_refusals=False)
        else:
            preview = _preview(form, programme, show_refusals=True)
            if preview is None:
                status = 422
            elif preview.count == 0:
                flash(_("Nobody would receive this message: choose another audience."), "error")
    counts = messages.audience_counts(programme)
    return (
        render_template(
            "manage/message.html",
            centre=centre,
            programme=programme,
            form=form,
            preview=preview,
            counts={audience.value: n for audience, n in counts.items()},
            audience_labels=AUDIENCE_LABELS,
            reply_to_labels=REPLY_TO_LABELS,
            version_names=VERSION_NAMES,
            placeholders=messages.PLACEHOLDERS,
            max_subject=MAX_SUBJECT,
        ),
        status,
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/messages")
@centre_role_required(MembershipRole.COORDINATOR)
def sent_messages(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    page = messages.sent_messages(programme, request.args.get("page", 1, type=int))
    return render_template(
        "manage/messages_sent.html",
        centre=centre,
        programme=programme,
        page=page,
        audience_labels=AUDIENCE_LABELS,
        version_names=VERSION_NAMES,
    )
