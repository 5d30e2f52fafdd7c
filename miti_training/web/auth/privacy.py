"""Personal-data views: download one's own data, delete one's own account."""

import json

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, fresh_login_required, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, InputRequired, Length

from miti_training.accounts import privacy
from miti_training.accounts.passwords import MAX_LENGTH
from miti_training.errors import DomainError, WrongPassword
from miti_training.extensions import db, limiter
from miti_training.web.auth.blueprint import bp
from miti_training.web.auth.limits import _refused, account_key

#: Wrong passwords on the deletion form count like failed logins, per account.
deletion_failures_per_account = limiter.limit(
    lambda: current_app.config["LOGIN_FAILURE_LIMIT"],
    methods=["POST"],
    key_func=lambda: account_key("delete-account"),
    deduct_when=_refused,
)


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Password"),
        validators=[
            InputRequired(message=_l("Enter your password.")),
            Length(max=MAX_LENGTH, message=_l("Use at most %(max)d characters.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    understood = BooleanField(
        _l("I understand that my account is deleted for good and cannot be restored."),
        validators=[DataRequired(message=_l("Tick the box to confirm that you understand."))],
    )


@bp.route("/data.json")
@login_required
def download_data():
    body = json.dumps(privacy.personal_data(current_user), ensure_ascii=False, indent=2)
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="miti-training-my-data.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/delete", methods=["GET", "POST"])
@fresh_login_required
@deletion_failures_per_account
def delete_account():
    blocker = privacy.deletion_blocker(current_user)
    form = DeleteAccountForm()
    if blocker is None and form.validate_on_submit():
        try:
            privacy.delete_account(current_user._get_current_object(), form.password.data)
        except WrongPassword as error:
            db.session.rollback()
            form.password.errors.append(str(error.message))
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            logout_user()
            flash(_("Your account has been deleted."), "success")
            return redirect(url_for("main.home"))
    return render_template(
        "auth/delete_account.html",
        form=form,
        blocker=blocker,
        to_withdraw=[] if blocker else privacy.registrations_to_withdraw(current_user),
    )
