"""Signed, expiring tokens for sign-up, password reset and change of address."""

import hashlib
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from miti_training.errors import InvalidToken
from miti_training.extensions import db
from miti_training.mail import notify
from miti_training.models import User
from miti_training.urls import external_url

#: The link that proves an address and opens the rest of the sign-up form.
SIGNUP_SALT = "miti.sign-up"
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


@dataclass(frozen=True)
class EmailedLink:
    """A kind of link sent by email; its token is signed with the kind's own salt, so one
    kind's token never opens another kind's page."""

    salt: str
    #: The page the link opens, which reads the token.
    endpoint: str
    #: The email that carries the link, and its subject.
    template: str
    subject: str

    def send(self, recipient, payload: dict, **context) -> None:
        """Email recipient (a User, or anything with an email and a preferred_language) a link
        whose token carries payload (context: more for the email)."""
        link = external_url(self.endpoint, token=make_token(self.salt, payload))
        notify(recipient, self.template, self.subject, link=link, **context)

    def read(self, token: str, max_age: int) -> tuple[dict, User | None]:
        """The payload of a token of this kind (InvalidToken when forged or older than max_age
        seconds), and the account it names."""
        payload = read_token(self.salt, token, max_age)
        return payload, token_user(payload)
