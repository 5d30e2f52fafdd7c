"""Change of email address: a fresh login asks, a link to the new address confirms.

The confirmation link needs no login: like a reset link, the signed single-use token is
enough, and it may be opened in another browser (the mail program's).
"""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, fresh_login_required, login_fresh, login_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import Email, InputRequired, Length

from miti_training.accounts import email_change
from miti_training.accounts.addresses import normalise_email
from miti_training.accounts.passwords import MAX_LENGTH
from miti_training.errors import DomainError, FieldError, WrongPassword
from miti_training.extensions import db, limiter
from miti_training.forms.common import strip
from miti_training.web.auth.blueprint import bp
from miti_training.web.auth.limits import _refused, account_key
from miti_training.web.auth.views import _has_remember_cookie

#: Change requests one account may send (each mails two addresses); the setting
#: EMAIL_CHANGE_RATE_LIMIT overrides it.
DEFAULT_RATE_LIMIT = "5 per hour"


#: Only requests that sent mail count (not a refused form, not the redirect to log in again).
requests_per_account = limiter.limit(
    lambda: current_app.config.get("EMAIL_CHANGE_RATE_LIMIT", DEFAULT_RATE_LIMIT),
    methods=["POST"],
    key_func=lambda: account_key("email-change"),
    deduct_when=lambda response: response.status_code == 302 and login_fresh(),
)
#: Wrong passwords on this form count like failed logins, per account.
failures_per_account = limiter.limit(
    lambda: current_app.config["LOGIN_FAILURE_LIMIT"],
    methods=["POST"],
    key_func=lambda: account_key("email-change-failure"),
    deduct_when=_refused,
)


class ChangeEmailForm(FlaskForm):
    email = EmailField(
        _l("New email address"),
        validators=[
            InputRequired(message=_l("Enter your new email address.")),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
            Email(
                message=_l("Enter a valid email address, like name@city.gov."),
                check_deliverability=False,
            ),
        ],
        filters=[strip],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Current password"),
        validators=[
            InputRequired(message=_l("Enter your current password.")),
            Length(max=MAX_LENGTH, message=_l("Use at most %(max)d characters.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )


@bp.route("/email", methods=["GET", "POST"])
@fresh_login_required
@failures_per_account
@requests_per_account
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        new_email = normalise_email(form.email.data)
        try:
            email_change.request_email_change(
                current_user._get_current_object(), form.password.data, new_email
            )
        except WrongPassword as error:
            db.session.rollback()
            form.password.errors.append(str(error.message))
        except FieldError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error.message))
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
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
        login_user(user, remember=_has_remember_cookie())
        flash(_("Your email address is now %(email)s.", email=user.email), "success")
        return redirect(url_for("auth.profile"))
    flash(_("Your email address is now %(email)s. Log in with it.", email=user.email), "success")
    return redirect(url_for("auth.login"))
