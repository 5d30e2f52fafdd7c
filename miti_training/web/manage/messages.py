"""Coordinator tools: an email from the centre to the participants of one programme.

One page: the coordinator chooses the audience, writes a subject and a body, previews the
message as the first recipient will read it, then sends it (registrations.messages). Sending
is rate-limited per account (MESSAGE_RATE_LIMIT).
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from miti_training.forms.messages import AUDIENCE_LABELS, MessageForm
from miti_training.models import MembershipRole
from miti_training.permissions import centre_role_required
from miti_training.registrations import messages
from miti_training.registrations.messages import MAX_SUBJECT, Audience
from miti_training.web.limits import messages_per_account
from miti_training.web.loaders import programme_in_centre_or_404
from miti_training.web.manage.blueprint import bp
from miti_training.web.refusals import REFUSED, attempt


@bp.route("/<centre_slug>/programmes/<int:programme_id>/message", methods=["GET", "POST"])
@centre_role_required(MembershipRole.COORDINATOR)
@messages_per_account
def message_participants(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    form = MessageForm()
    preview = None
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            status = 422
        elif "send" in request.form:
            count = attempt(
                form,
                lambda: messages.send(
                    programme,
                    Audience(form.audience.data),
                    form.subject.data,
                    form.body.data,
                    actor=current_user,
                ),
            )
            if count is REFUSED:
                status = 422
            else:
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
    chosen = form.chosen_audience()
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
