"""Signing up: the form, the link that confirms the address, and asking for a new link."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from miti_training.accounts import sign_up
from miti_training.errors import DomainError, EmailTaken
from miti_training.extensions import db
from miti_training.forms.accounts import SignupForm
from miti_training.network.member_cities import all_member_cities
from miti_training.web import limits
from miti_training.web.auth.blueprint import bp
from miti_training.web.refusals import show_refusal


@bp.route("/signup", methods=["GET", "POST"])
@limits.signup_per_address
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignupForm()
    form.set_dynamic_choices(all_member_cities())
    if request.method == "GET":
        form.timezone.data = "UTC"
        form.preferred_language.data = str(get_locale() or "en")
    if form.validate_on_submit():
        try:
            sign_up.sign_up(
                email=form.email.data, password=form.password.data, **form.profile_values()
            )
        except EmailTaken:
            # Same answer as a new account; the owner of the address is told by email.
            db.session.rollback()
            sign_up.notify_existing_account(form.email.data)
            db.session.commit()
            return redirect(url_for("auth.signup_done"))
        except DomainError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            return redirect(url_for("auth.signup_done"))
    return render_template("auth/signup.html", form=form)


@bp.route("/signup/done")
def signup_done():
    return render_template("auth/signup_done.html")


@bp.route("/confirm/<token>")
def confirm_email(token: str):
    try:
        sign_up.confirm_email(token)
    except DomainError as error:
        if current_user.is_authenticated:
            flash(str(error.message) + " " + _("You can ask for a new link here."), "error")
            return redirect(url_for("auth.profile"))
        flash(str(error.message) + " " + _("Log in and ask for a new confirmation link."), "error")
        return redirect(url_for("auth.login"))
    db.session.commit()
    if current_user.is_authenticated:
        flash(_("Thank you, your email address is confirmed."), "success")
        return redirect(url_for("main.home"))
    flash(_("Thank you, your email address is confirmed. You can now log in."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/confirm/resend", methods=["POST"])
@login_required
def resend_confirmation():
    if current_user.is_confirmed:
        flash(_("Your email address is already confirmed."), "info")
    else:
        sign_up.send_confirmation(current_user)
        db.session.commit()
        flash(
            _("We sent a new confirmation link to %(email)s.", email=current_user.email), "success"
        )
    return redirect(url_for("auth.profile"))
