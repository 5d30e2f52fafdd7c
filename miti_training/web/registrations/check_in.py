"""Participants: self check-in to a session with the code shown in the room (or its QR code).

The QR code opens GET /check-in?code=..., which only shows the form with the code filled in;
the check-in itself is the POST. Attempts are rate-limited per account so the codes cannot be
guessed.
"""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from miti_training.attendance import check_in as self_check_in
from miti_training.errors import DomainError
from miti_training.extensions import db, limiter
from miti_training.forms.common import NoControlCharacters, strip
from miti_training.web.auth.limits import account_key
from miti_training.web.registrations.blueprint import bp

#: Check-in attempts one account may make (stops guessing codes); the setting
#: CHECK_IN_RATE_LIMIT overrides it.
DEFAULT_CHECK_IN_RATE_LIMIT = "10 per minute; 60 per hour"


per_account = limiter.limit(
    lambda: current_app.config.get("CHECK_IN_RATE_LIMIT", DEFAULT_CHECK_IN_RATE_LIMIT),
    methods=["POST"],
    key_func=lambda: account_key("check-in"),
)


class CheckInForm(FlaskForm):
    code = StringField(
        _l("Check-in code"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the code shown in the room.")),
            Length(
                max=self_check_in.MAX_CODE_INPUT,
                message=_l("A check-in code has 8 letters and digits, like 7K3M-QX9P."),
            ),
            NoControlCharacters(),
        ],
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "maxlength": self_check_in.MAX_CODE_INPUT,
        },
    )


def _render(form: CheckInForm, status: int = 200):
    return (
        render_template(
            "registrations/check_in.html",
            form=form,
            opens_before=int(self_check_in.CHECK_IN_OPENS_BEFORE.total_seconds() // 60),
            closes_after=int(self_check_in.CHECK_IN_CLOSES_AFTER.total_seconds() // 60),
        ),
        status,
    )


@bp.route("/check-in", methods=["GET", "POST"])
@login_required
@per_account
def check_in():
    if request.method == "GET":
        typed = (request.args.get("code") or "")[: self_check_in.MAX_CODE_INPUT]
        form = CheckInForm(formdata=None, data={"code": typed})
        return _render(form)

    form = CheckInForm()
    if form.validate_on_submit():
        try:
            result = self_check_in.check_in(current_user, form.code.data)
        except DomainError as error:
            db.session.rollback()
            form.code.errors = [*form.code.errors, str(error.message)]
        else:
            db.session.commit()
            title = result.session.title
            if result.already_present:
                flash(_("You are already checked in to “%(session)s”.", session=title), "info")
            else:
                flash(_("You are checked in to “%(session)s”. Welcome!", session=title), "success")
            return redirect(url_for("registrations.detail", registration_id=result.registration.id))
    return _render(form, 422)
