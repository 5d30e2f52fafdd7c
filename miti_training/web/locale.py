"""Which language and time zone a request is rendered in (Flask-Babel's selectors)."""

from flask import has_request_context, request, session
from flask_login import current_user

from miti_training.formatting import LANGUAGES


def select_locale() -> str | None:
    """The user's language, else the visitor's choice, else the browser's, else English."""
    if not has_request_context():
        return None  # CLI and background work: the default, or force_locale() by the caller
    user_language = getattr(current_user, "preferred_language", None)
    if getattr(current_user, "is_authenticated", False) and user_language in LANGUAGES:
        return user_language
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def select_timezone() -> str | None:
    """The signed-in user's own zone; visitors see UTC."""
    if not has_request_context():
        return None
    if current_user and getattr(current_user, "is_authenticated", False):
        return current_user.timezone
    return None
