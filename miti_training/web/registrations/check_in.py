"""Participants: self check-in to a session with the code shown in the room (or its QR code).

The QR code opens GET /check-in?code=..., which only shows the form with the code filled in;
the check-in itself is the POST. Attempts are rate-limited per account so the codes cannot be
guessed.
"""

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from miti_training.attendance import check_in as self_check_in
from miti_training.forms.attendance import CheckInForm
from miti_training.web.limits import check_ins_per_account
from miti_training.web.loaders import to_own_registration
from miti_training.web.refusals import REFUSED, attempt
from miti_training.web.registrations.blueprint import bp


def _render(form: CheckInForm, status: int = 200):
    return (
        render_template(
            "registrations/check_in.html",
            form=form,
            opens_before=int(self_check_in.CHECK_IN_OPENS_BEFORE.total_seconds() // 60),
            closes_after=int(self_check_in.CHECK_IN_CLOSES_AFTER.total_seconds() // 60),
            code_minutes=int(self_check_in.CODE_STEP.total_seconds() // 60),
        ),
        status,
    )


@bp.route("/check-in", methods=["GET", "POST"])
@login_required
@check_ins_per_account
def check_in():
    if request.method == "GET":
        typed = (request.args.get("code") or "")[: self_check_in.MAX_CODE_INPUT]
        form = CheckInForm(formdata=None, data={"code": typed})
        return _render(form)

    form = CheckInForm()
    if form.validate_on_submit():
        result = attempt(
            form, lambda: self_check_in.check_in(current_user, form.code.data), field="code"
        )
        if result is not REFUSED:
            title = result.session.title
            if result.already_present:
                flash(_("You are already checked in to “%(session)s”.", session=title), "info")
            else:
                flash(_("You are checked in to “%(session)s”. Welcome!", session=title), "success")
            return to_own_registration(result.registration)
    return _render(form, 422)
