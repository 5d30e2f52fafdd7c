"""Signed, expiring tokens for email confirmation, password reset and change of address."""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from miti_training.errors import InvalidToken
from miti_training.extensions import db
from miti_training.models import User

CONFIRM_SALT = "miti.confirm-email"
RESET_SALT = "miti.reset-password"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def password_fingerprint(password_hash: str) -> str:
    """A short digest of the password hash: a reset token dies once the password changes."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def make_token(salt: str, payload: dict) -> str:
    return _serializer(salt).dumps(payload)


def read_token(salt: str, token: str, max_age: int) -> dict:
    """Check signature and age; raise InvalidToken for anything wrong."""
    try:
        payload = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired:
        raise InvalidToken() from None
    except BadSignature:
        raise InvalidToken() from None
    if not isinstance(payload, dict):
        raise InvalidToken()
    return payload


def token_user(payload: dict) -> User | None:
    """The account a token's payload names, if its uid is a real id."""
    uid = payload.get("uid")
    if not isinstance(uid, int) or isinstance(uid, bool):
        return None
    return db.session.get(User, uid)
