"""Signing in: checking credentials, and a new password by a link sent to the address."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from miti_training import audit
from miti_training.accounts.addresses import find_user_by_email
from miti_training.accounts.passwords import replace_password
from miti_training.accounts.tokens import RESET_SALT, EmailedLink, password_fingerprint
from miti_training.errors import InvalidToken
from miti_training.models import User, utcnow

#: The link that lets the owner of an address choose a new password.
PASSWORD_RESET = EmailedLink(
    RESET_SALT, "auth.reset_password", "reset_password", _l("Reset your MITI Training password")
)

#: A hash to compare against when the address is unknown, so timing does not reveal it.
_DUMMY_HASH = (
    "scrypt:32768:8:1$idIF4Bc4SGnU8rja$9fb40be6d18281b8429bbec7c864304a975c490f4271556ed1bf8ea79e"
    "2cc0317d14a5396510ceab6f3219cb6762f445a64d9f549e138283a28044c1577b590e"
)


def authenticate(email: str, password: str) -> User | None:
    """Return the user for valid credentials; same work and answer for unknown addresses."""
    user = find_user_by_email(email)
    if user is None:
        User(password_hash=_DUMMY_HASH).check_password(password)
        return None
    # No account is unconfirmed (docs/security.md, item 21); should one appear, it stays out.
    if not user.check_password(password) or not user.is_enabled or not user.is_confirmed:
        return None
    user.last_login_at = utcnow()
    return user


def request_password_reset(email: str) -> None:
    """Email a reset link if the address has an account; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_enabled:
        return
    PASSWORD_RESET.send(user, {"uid": user.id, "pw": password_fingerprint(user.password_hash)})


def user_for_reset_token(token: str) -> User:
    """The account a reset link belongs to; a used link (password changed) is refused."""
    payload, user = PASSWORD_RESET.read(token, current_app.config["RESET_TOKEN_MAX_AGE"])
    if (
        user is None
        or not user.is_enabled
        or payload.get("pw") != password_fingerprint(user.password_hash)
    ):
        raise InvalidToken()
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link; the link cannot be used again."""
    user = user_for_reset_token(token)
    replace_password(user, new_password)
    audit.record("account.password_reset", actor=user, subject_user=user)
    return user
