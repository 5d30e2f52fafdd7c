"""Where a visitor goes once logged in or signed up: the local `next` they came with, carried
from the login and sign-up pages through the emailed link, and what to do there."""

from urllib.parse import urlsplit

from flask import current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from miti_training.errors import DomainError
from miti_training.extensions import db
from miti_training.models import Programme
from miti_training.registrations.enrolment import check_can_register
from miti_training.web.redirects import safe_next


def _register_step(slug: str = "", **_values) -> str | None:
    """The form's hint, only when the form will be there: a programme that refuses this person
    (by nomination only, closed, full) explains itself on its page instead."""
    programme = db.session.scalar(select(Programme).where(Programme.slug == slug))
    if programme is None:
        return None
    try:
        check_can_register(programme, current_user)
    except DomainError:
        return None
    return _("Now complete the form below and send it to finish your registration.")


#: The pages a visitor is sent on to with a word on what to do there.
_NEXT_STEPS = {"registrations.register": _register_step}


def wanted_next(target: str | None = None) -> str:
    """The local `next` of the request (or target), or "" when there is none or it leaves the
    site (docs/security.md, item 13)."""
    return safe_next(target if target is not None else request.values.get("next"), "")


def next_or_home(target: str) -> str:
    return target or url_for("main.home")


def flash_next_step(target: str) -> None:
    """Say what to do on the page target, when it is one that needs it."""
    try:
        endpoint, values = current_app.url_map.bind(
            "localhost", script_name=request.script_root or None
        ).match(urlsplit(target).path, method="GET")
    except HTTPException:
        return
    step = _NEXT_STEPS.get(endpoint)
    message = step(**values) if step is not None else None
    if message is not None:
        flash(message, "info")
