"""Personal-data views: download one's own data, delete one's own account."""

import json

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, fresh_login_required, login_required, logout_user

from miti_training.accounts import privacy
from miti_training.errors import DomainError, WrongPassword
from miti_training.extensions import db
from miti_training.forms.accounts import DeleteAccountForm
from miti_training.web.auth.blueprint import bp
from miti_training.web.limits import deletion_failures_per_account
from miti_training.web.refusals import show_refusal


@bp.route("/data.json")
@login_required
def download_data():
    body = json.dumps(privacy.personal_data(current_user), ensure_ascii=False, indent=2)
    response = current_app.response_class(body, mimetype="application/json")
    # Signed in, so request_hooks marks it no-store like every personal download.
    response.headers["Content-Disposition"] = 'attachment; filename="miti-training-my-data.json"'
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
            show_refusal(form, error, field="password")
        except DomainError as error:
            show_refusal(None, error)
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
