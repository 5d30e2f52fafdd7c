"""What the forms on a user's administration page share: back to that page, and a grant (a role
in a centre, a member city's focal point) checked, made and told in one way."""

from collections.abc import Callable

from flask import flash, redirect, url_for
from flask_wtf import FlaskForm

from miti_training.models import User
from miti_training.web.refusals import REFUSED, attempt


def back_to(user: User):
    return redirect(url_for("admin.user_detail", user_id=user.id))


def grant_from_form(
    user: User,
    form: FlaskForm,
    grant: Callable[[], tuple[object, bool]],
    told: Callable[[object, bool], str],
):
    """Flash each problem of an invalid form; else run grant() -> (what, created), commit, and
    flash told(what, created): a success when it is new, news when the user had it already.
    Either way, back to the user's page."""
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return back_to(user)
    granted = attempt(None, grant)
    if granted is not REFUSED:
        what, created = granted
        flash(told(what, created), "success" if created else "info")
    return back_to(user)
