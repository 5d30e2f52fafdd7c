"""Changing the address of an account: a link to the new address, a notice to the old one."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from miti_training import audit
from miti_training.accounts.addresses import email_taken
from miti_training.accounts.calendar_feed import rotate_calendar_token
from miti_training.accounts.tokens import EmailedLink, password_fingerprint
from miti_training.errors import EmailTaken, FieldError, InvalidToken, WrongPassword
from miti_training.extensions import db
from miti_training.mail import notify
from miti_training.models import User, normalise_email, utcnow
from miti_training.registrations import invitations
from miti_training.urls import external_url

EMAIL_CHANGE_SALT = "miti.change-email"
#: How long the link sent to the new address works (EMAIL_CHANGE_TOKEN_MAX_AGE overrides it).
EMAIL_CHANGE_MAX_AGE = 3600
#: The link, sent to the new address, that makes it the account's.
EMAIL_CHANGE = EmailedLink(
    EMAIL_CHANGE_SALT,
    "auth.confirm_email_change",
    "change_email",
    _l("Confirm your new email address for MITI Training"),
)


def request_email_change(user: User, current_password: str, new_email: str) -> None:
    """Email a link to the new address and a notice to the old one; nothing changes yet.

    The password is checked before anything looks at the new address. An address that
    belongs to another account gets no link and the answer is the same: the notice to the
    old address goes out in both cases and its owner is not told.
    """
    if not user.check_password(current_password):
        raise WrongPassword()
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise FieldError(_l("This is already your email address."), "email")
    notify(
        user,
        "email_change_requested",
        _l("Someone asked to change the email address of your MITI Training account"),
        new_email=new_email,
        password_link=external_url("auth.change_password"),
        reset_link=external_url("auth.forgot_password"),
    )
    if email_taken(new_email):
        return
    #: The old address and the password fingerprint make the link single-use: it dies once
    #: the address changes, and a password change cancels every pending request.
    payload = {
        "uid": user.id,
        "old": user.email,
        "new": new_email,
        "pw": password_fingerprint(user.password_hash),
    }
    EMAIL_CHANGE.send(user, payload, email=new_email, new_email=new_email)


def change_email(token: str) -> User:
    """Set the address a change link names; the account's other sessions end and its calendar
    feed gets a new URL.

    Registrations keep the address the centre was given when they were made (their own
    `email` snapshot): only the account changes.
    """
    max_age = current_app.config.get("EMAIL_CHANGE_TOKEN_MAX_AGE", EMAIL_CHANGE_MAX_AGE)
    payload, user = EMAIL_CHANGE.read(token, max_age)
    new_email = payload.get("new")
    if (
        user is None
        or not user.is_enabled
        or not isinstance(new_email, str)
        or user.email != payload.get("old")
        or payload.get("pw") != password_fingerprint(user.password_hash)
    ):
        raise InvalidToken()
    new_email = normalise_email(new_email)
    taken = EmailTaken(
        _l("Another account uses this email address now: your address is unchanged.")
    )
    if email_taken(new_email):
        raise taken
    user.email = new_email
    user.email_confirmed_at = utcnow()
    user.end_all_sessions()
    rotate_calendar_token(user)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        # Another account took the address between the check and the update.
        raise taken from None
    audit.record("account.email_change", actor=user, subject_user=user)
    # Registrations staff made for the new address become the account's, as on confirmation.
    invitations.attach_invitations(user)
    return user
