"""Signing up: the address, the link sent to it, and the rest of the form that link opens.

A local `next` (the registration form a visitor came from) goes along: from the sign-up page
into the signed link, and from the link to the page the new account lands on."""

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
from miti_training.web.auth.next_step import flash_next_step, next_or_home, wanted_next
from miti_training.web.downloads import no_store
from miti_training.web.refusals import show_refusal
from miti_training.web.sessions import remember_device, start_session


@bp.route("/signup", methods=["GET", "POST"])
@limits.signup_per_address
@limits.signup_per_email
def signup():
    wanted = wanted_next()
    if current_user.is_authenticated:
        return redirect(next_or_home(wanted))
    form = SignupForm()
    if form.validate_on_submit():
        sign_up.request_sign_up(
            form.email.data, language=str(get_locale() or "en"), next_url=wanted
        )
        db.session.commit()
        # The same answer whether or not the address has an account (docs/security.md, item 4).
        return redirect(url_for("auth.signup_done", next=wanted or None))
    return render_template("auth/signup.html", form=form, wanted_next=wanted)


@bp.route("/signup/done")
def signup_done():
    return render_template("auth/signup_done.html", wanted_next=wanted_next())


@bp.route("/signup/<token>", methods=["GET", "POST"])
def finish_signup(token: str):
    try:
        link = sign_up.read_link(token)
    except InvalidToken as error:
        if current_user.is_authenticated:
            return redirect(url_for("main.home"))
        return _refused_link(error)
    # Signed by us, and checked again all the same: only a local path is ever followed.
    wanted = wanted_next(link.next_url)
    if current_user.is_authenticated:
        return redirect(next_or_home(wanted))
    try:
        sign_up.check_address_free(link.email)
    except DomainError as error:
        return _refused_link(error, wanted)
    form = FinishSignupForm(link.email)
    form.set_dynamic_choices(all_member_cities())
    if request.method == "GET":
        form.preferred_language.data = str(get_locale() or "en")
        # The automatic choice: the browser's zone (with JavaScript), else the member city's.
        form.timezone.data = ""
    if form.validate_on_submit():
        try:
            user = sign_up.finish_sign_up(
                token, password=form.password.data, **form.profile_values()
            )
        except (EmailTaken, InvalidToken) as error:
            db.session.rollback()
            return _refused_link(error, wanted)
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
            target = next_or_home(wanted)
            flash_next_step(target)
            return remember_device(redirect(target), user)
    # The page shows the link's address: no cache keeps it.
    return no_store(
        make_response(render_template("auth/signup_finish.html", form=form, email=link.email))
    )


def _refused_link(error: DomainError, wanted: str = ""):
    """A taken address goes to log in (with a way to reset); a bad link to ask for a new one."""
    if isinstance(error, EmailTaken):
        flash(str(error.message), "error")
        return redirect(url_for("auth.login", next=wanted or None))
    flash(str(error.message) + " " + _("Enter your address again for a new link."), "error")
    return redirect(url_for("auth.signup"))
