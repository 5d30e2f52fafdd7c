"""Signing up: the address, the link sent to it, and the rest of the form that link opens."""

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from miti_training.accounts import sign_up
from miti_training.errors import DomainError, EmailTaken, InvalidToken
from miti_training.extensions import db
from miti_training.forms.accounts import FinishSignupForm, SignupForm
from miti_training.network.member_cities import all_member_cities
from miti_training.web import limits
from miti_training.web.auth.blueprint import bp
from miti_training.web.downloads import no_store
from miti_training.web.refusals import show_refusal
from miti_training.web.sessions import remember_device, start_session


@bp.route("/signup", methods=["GET", "POST"])
@limits.signup_per_address
@limits.signup_per_email
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignupForm()
    if form.validate_on_submit():
        sign_up.request_sign_up(form.email.data, language=str(get_locale() or "en"))
        db.session.commit()
        # The same answer whether or not the address has an account (docs/security.md, item 4).
        return redirect(url_for("auth.signup_done"))
    return render_template("auth/signup.html", form=form)


@bp.route("/signup/done")
def signup_done():
    return render_template("auth/signup_done.html")


@bp.route("/signup/<token>", methods=["GET", "POST"])
def finish_signup(token: str):
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    try:
        email = sign_up.address_of_link(token)
        sign_up.check_address_free(email)
    except DomainError as error:
        return _refused_link(error)
    form = FinishSignupForm(email)
    form.set_dynamic_choices(all_member_cities())
    if request.method == "GET":
        form.timezone.data = "UTC"
        form.preferred_language.data = str(get_locale() or "en")
    if form.validate_on_submit():
        try:
            user = sign_up.finish_sign_up(
                token, password=form.password.data, **form.profile_values()
            )
        except (EmailTaken, InvalidToken) as error:
            db.session.rollback()
            return _refused_link(error)
        except DomainError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            start_session(user)
            flash(
                _(
                    "Welcome, %(name)s. Your account is ready and you are logged in.",
                    name=user.full_name,
                ),
                "success",
            )
            return remember_device(redirect(url_for("main.home")), user)
    # The page shows the link's address: no cache keeps it.
    return no_store(
        make_response(render_template("auth/signup_finish.html", form=form, email=email))
    )


def _refused_link(error: DomainError):
    """A taken address goes to log in (with a way to reset); a bad link to ask for a new one."""
    if isinstance(error, EmailTaken):
        flash(str(error.message), "error")
        return redirect(url_for("auth.login"))
    flash(str(error.message) + " " + _("Enter your address again for a new link."), "error")
    return redirect(url_for("auth.signup"))
