"""Change of email address: a fresh login asks, a link to the new address confirms.

The confirmation link needs no login: like a reset link, the signed single-use token is
enough, and it may be opened in another browser (the mail program's).
"""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, fresh_login_required, login_user

from miti_training.accounts import email_change
from miti_training.errors import DomainError, WrongPassword
from miti_training.extensions import db
from miti_training.forms.accounts import ChangeEmailForm
from miti_training.models import normalise_email
from miti_training.web.auth.blueprint import bp
from miti_training.web.limits import (
    email_change_failures_per_account,
    email_changes_per_account,
)
from miti_training.web.refusals import show_refusal
from miti_training.web.sessions import has_remember_cookie


@bp.route("/email", methods=["GET", "POST"])
@fresh_login_required
@email_change_failures_per_account
@email_changes_per_account
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        new_email = normalise_email(form.email.data)
        try:
            email_change.request_email_change(
                current_user._get_current_object(), form.password.data, new_email
            )
        except WrongPassword as error:
            show_refusal(form, error, field="password")
        except DomainError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            # The same answer whether or not another account uses the address.
            flash(
                _(
                    "We sent a link to %(email)s. Your address changes when you open it.",
                    email=new_email,
                ),
                "success",
            )
            return redirect(url_for("auth.profile"))
    return render_template("auth/change_email.html", form=form)


@bp.route("/email/confirm/<token>")
def confirm_email_change(token: str):
    viewer_id = current_user.id if current_user.is_authenticated else None
    try:
        user = email_change.change_email(token)
    except DomainError as error:
        db.session.rollback()
        flash(
            str(error.message) + " " + _("You can ask for a new link from your account."), "error"
        )
        if viewer_id is None:
            return redirect(url_for("auth.login", next=url_for("auth.change_email")))
        return redirect(url_for("auth.change_email"))
    db.session.commit()
    if viewer_id == user.id:
        # Other sessions ended with the old token; keep this one with the new token.
        login_user(user, remember=has_remember_cookie())
        flash(_("Your email address is now %(email)s.", email=user.email), "success")
        return redirect(url_for("auth.profile"))
    flash(_("Your email address is now %(email)s. Log in with it.", email=user.email), "success")
    return redirect(url_for("auth.login"))
