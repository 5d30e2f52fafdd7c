"""Signing in with Flask-Login: where to send anonymous visitors, how a session finds its user,
which browser a session belongs to, and the browsers that logged in to an account before."""

import hashlib
import hmac

from flask import Flask, Response, current_app, g, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_user, user_loaded_from_cookie
from flask_login.config import COOKIE_NAME
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from miti_training.extensions import db, login_manager
from miti_training.models import FocalPoint, User, normalise_email

#: Flask-Login's keys of a logged-in session, dropped when a session is refused.
_LOGIN_KEYS = ("_user_id", "_fresh", "_id", "_remember_seconds")
KNOWN_DEVICE_COOKIE = "miti_known_device"
_KNOWN_DEVICE_SALT = "known-device"


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.refresh_view = "auth.login"
    login_manager.needs_refresh_message = _l("Please log in again to confirm it is you.")
    login_manager.needs_refresh_message_category = "info"
    # Flask-Login's own "strong" check fingerprints the raw X-Forwarded-For header and ends a
    # session restored from the remember-me cookie at its next request; load_user checks the
    # session's browser instead (docs/security.md, item 23).
    login_manager.session_protection = None
    login_manager._session_identifier_generator = fingerprint
    login_manager.user_loader(load_user)
    user_loaded_from_cookie.connect(_pin_restored_session, app)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()[:32]


def fingerprint() -> str:
    """Digests of this request's browser and address, as "browser:address". The address is
    request.remote_addr, which ProxyFix sets from X-Forwarded-For only as far as
    TRUSTED_PROXY_COUNT allows."""
    return f"{_digest(request.user_agent.string)}:{_digest(request.remote_addr or '')}"


def load_user(session_id: str) -> User | None:
    """The user of a session id "<user id>:<session token>"; a changed token ends the session."""
    if not _session_may_continue():
        return None
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    # The focal-point role comes in the same statement: the navigation of every page asks it.
    row = db.session.execute(
        select(User, FocalPoint.id)
        .outerjoin(FocalPoint, FocalPoint.user_id == User.id)
        .where(User.id == int(user_id))
    ).first()
    if row is None:
        return None
    user, focal_point_id = row
    if not user.is_enabled or user.session_token != token:
        return None
    g.miti_is_focal_point = focal_point_id is not None
    return user


def _session_may_continue() -> bool:
    """docs/security.md, item 23: a session cookie copied to another browser is refused, and the
    remember-me cookie it came with is deleted; the same browser at a new address (a laptop
    moving between networks) stays logged in, but must give its password again for changes
    that need a fresh login."""
    pinned = session.get("_id")
    if pinned is None:
        return True  # being restored from the remember-me cookie; pinned once it loads
    current = fingerprint()
    if pinned == current:
        return True
    # A pin without a browser part comes from before this check: it is trusted like a new
    # address, once, rather than logging everyone out.
    if ":" in pinned and pinned.partition(":")[0] != current.partition(":")[0]:
        for key in _LOGIN_KEYS:
            session.pop(key, None)
        session["_remember"] = "clear"
        return False
    session["_fresh"] = False
    session["_id"] = current
    return True


def _pin_restored_session(app: Flask, user: User) -> None:
    """A session restored from the remember-me cookie belongs to this browser from now on."""
    session["_id"] = fingerprint()


def has_remember_cookie() -> bool:
    """The request carries a remember-me cookie: a new session should keep one too."""
    return current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies


def start_session(user: User, remember: bool = False) -> None:
    """Log user in with a new CSRF token: the anonymous session's token stops working."""
    field_name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session.pop(field_name, None)
    g.pop(field_name, None)
    login_user(user, remember=remember)


# Known devices -------------------------------------------------------------------------------


def _account_digest(email: str) -> str:
    """Names the account without showing its address to whoever reads the cookie."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, normalise_email(email).encode(), hashlib.sha256).hexdigest()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_KNOWN_DEVICE_SALT)


def remember_device(response: Response, user: User) -> Response:
    """Mark this browser as one the account logged in from (OWASP's device cookie)."""
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        _serializer().dumps(_account_digest(user.email)),
        max_age=current_app.config["KNOWN_DEVICE_MAX_AGE"],
        path=url_for("auth.login"),
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite="Lax",
    )
    return response


def is_known_device(email: str) -> bool:
    """This browser logged in to the account of email before (a valid, signed device cookie)."""
    cookie = request.cookies.get(KNOWN_DEVICE_COOKIE)
    if not cookie or not email:
        return False
    try:
        digest = _serializer().loads(cookie, max_age=current_app.config["KNOWN_DEVICE_MAX_AGE"])
    except BadSignature:
        return False
    return isinstance(digest, str) and hmac.compare_digest(digest, _account_digest(email))
