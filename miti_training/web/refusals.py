"""How a page makes a change of the domain: one commit point, a refusal shown in words, and a
form that must be ours."""

from collections.abc import Callable

from flask import abort, flash
from flask_wtf import FlaskForm

from miti_training.errors import DomainError
from miti_training.extensions import db
from miti_training.forms.common import ActionForm

#: What attempt() returns when the domain refused the change (None may be a change's result).
REFUSED = object()


def attempt(form: FlaskForm | None, change: Callable, **refusal):
    """Run change() and commit, returning its result; on a refusal show it (show_refusal, with
    refusal's options) and return REFUSED."""
    try:
        result = change()
    except DomainError as error:
        show_refusal(form, error, **refusal)
        return REFUSED
    db.session.commit()
    return result


def show_refusal(
    form: FlaskForm | None, error: DomainError, *, field: str | None = None, category="error"
) -> None:
    """Roll back; show the refusal beside its field (the error's own, else `field`) when the
    form has that field, else flash it and each of its problems."""
    db.session.rollback()
    name = getattr(error, "field", None) or field
    if form is not None and name and name in form:
        form[name].errors = [*form[name].errors, str(error.message)]
        return
    flash(str(error.message), category)
    for problem in getattr(error, "problems", ()):
        flash(str(problem), category)


def check_action_form(form: FlaskForm | None = None) -> FlaskForm:
    """A form our pages fill in (by default the empty action form: its CSRF token) must
    validate; anything else is a 400."""
    form = form if form is not None else ActionForm()
    if not form.validate_on_submit():
        abort(400)
    return form
