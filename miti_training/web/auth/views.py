"""Account views: sign up, confirm, log in and out, reset and change the password, profile."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_fresh, login_required, login_user, logout_user

from miti_training.accounts import profile as account_profile
from miti_training.accounts import sign_in
from miti_training.errors import DomainError, WrongPassword
from miti_training.extensions import db
from miti_training.forms.accounts import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
)
from miti_training.network.member_cities import all_member_cities
from miti_training.web import limits
from miti_training.web.auth.blueprint import bp
from miti_training.web.auth.next_step import flash_next_step, next_or_home, wanted_next
from miti_training.web.refusals import REFUSED, attempt, show_refusal
from miti_training.web.sessions import has_remember_cookie, remember_device, start_session


@bp.route("/login", methods=["GET", "POST"])
@limits.login_per_address
@limits.login_failures_per_client
@limits.login_failures_per_account
def login():
    wanted = wanted_next()
    next_url = next_or_home(wanted)
    # A posted form is always checked: it is how a remembered session becomes fresh again.
    if request.method == "GET" and current_user.is_authenticated and login_fresh_or_not_needed():
        return redirect(next_url)
    form = LoginForm()
    if form.validate_on_submit():
        user = sign_in.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.rollback()
            flash(_("The email address or password is not correct."), "error")
        else:
            db.session.commit()
            start_session(user, remember=form.remember.data)
            flash(_("Welcome, %(name)s.", name=user.full_name), "success")
            flash_next_step(next_url)
            return remember_device(redirect(next_url), user)
    return render_template("auth/login.html", form=form, next_url=next_url, wanted_next=wanted)


def login_fresh_or_not_needed() -> bool:
    """A logged-in user is sent on, unless they were asked to re-enter their password."""
    return login_fresh() or request.args.get("next") is None


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    # Rotating the token ends this session everywhere, also copies of the cookie.
    current_user.end_all_sessions()
    db.session.commit()
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limits.reset_per_address
@limits.reset_per_client
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        # Past the cap the answer stays the same: nothing tells whether mail went out.
        if limits.reset_mail_allowed(form.email.data):
            sign_in.request_password_reset(form.email.data)
            db.session.commit()
        flash(
            _(
                "If an account uses this address, we sent it a link to choose a new password. The link works for one hour."
            ),
            "success",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        sign_in.user_for_reset_token(token)
    except DomainError as error:
        flash(str(error.message) + " " + _("Ask for a new link below."), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user = attempt(
            form, lambda: sign_in.reset_password(token, form.password.data), field="password"
        )
        if user is not REFUSED:
            logout_user()
            start_session(user)
            limits.unlock_logins(user.email)
            flash(_("Your password has been changed and you are logged in."), "success")
            return remember_device(redirect(url_for("main.home")), user)
    return render_template("auth/reset_password.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    form.set_dynamic_choices(all_member_cities())
    if form.validate_on_submit():
        saved = attempt(
            form, lambda: account_profile.update_profile(current_user, **form.profile_values())
        )
        if saved is not REFUSED:
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limits.password_failures_per_account
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            account_profile.change_password(
                current_user, form.current_password.data, form.password.data
            )
        except WrongPassword as error:
            limits.note_wrong_password()
            show_refusal(form, error, field="current_password")
        except DomainError as error:
            show_refusal(form, error, field="password")
        else:
            db.session.commit()
            # Other sessions ended with the old token; keep this one (and its remember-me
            # cookie, if it had one) with the new token.
            login_user(current_user._get_current_object(), remember=has_remember_cookie())
            flash(
                _("Your password has been changed. Other devices have been logged out."), "success"
            )
            return redirect(url_for("auth.profile"))
    return render_template("auth/change_password.html", form=form)
