"""Signing in with Flask-Login: where to send anonymous visitors, how a session finds its user."""

from flask import Flask, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login.config import COOKIE_NAME

from miti_training.extensions import db, login_manager
from miti_training.models import User


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.refresh_view = "auth.login"
    login_manager.needs_refresh_message = _l("Please log in again to confirm it is you.")
    login_manager.needs_refresh_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)


def load_user(session_id: str) -> User | None:
    """The user of a session id "<user id>:<session token>"; a changed token ends the session."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_enabled or user.session_token != token:
        return None
    return user


def has_remember_cookie() -> bool:
    """The request carries a remember-me cookie: a new session should keep one too."""
    return current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies
