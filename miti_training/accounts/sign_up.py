"""Signing up: a new participant account, the link that confirms its address, and resending it."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from miti_training.accounts.addresses import email_taken, find_user_by_email
from miti_training.accounts.passwords import check_new_password
from miti_training.accounts.tokens import CONFIRM_SALT, EmailedLink
from miti_training.errors import EmailTaken, InvalidToken
from miti_training.extensions import db
from miti_training.mail import notify
from miti_training.models import User, normalise_email, utcnow
from miti_training.network.member_cities import chosen_member_city
from miti_training.registrations import invitations
from miti_training.urls import external_url

#: The link that confirms an address.
CONFIRMATION = EmailedLink(
    CONFIRM_SALT,
    "auth.confirm_email",
    "confirm_email",
    _l("Confirm your email address for MITI Training"),
)


def sign_up(
    *,
    full_name: str,
    email: str,
    password: str,
    member_city_id: int,
    job_title: str,
    preferred_language: str,
    timezone: str,
) -> User:
    """Create a participant account and send the confirmation link.

    Every check that does not depend on the address runs first, so a taken address and a
    free one get the same answers; EmailTaken comes last.
    """
    email = normalise_email(email)
    chosen_member_city(member_city_id)
    user = User(
        full_name=full_name.strip(),
        email=email,
        member_city_id=member_city_id,
        job_title=job_title.strip(),
        preferred_language=preferred_language,
        timezone=timezone,
    )
    check_new_password(password, user)
    # Hash before looking the address up: a taken address spends the same time.
    user.set_password(password)
    if email_taken(email):
        raise EmailTaken()
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        # A concurrent sign-up took the address between the check and the insert.
        if email_taken(email):
            raise EmailTaken() from None
        raise
    send_confirmation(user)
    return user


def notify_existing_account(email: str) -> None:
    """Someone signed up with an address that has an account: tell its owner, not the visitor."""
    user = find_user_by_email(email)
    if user is None:
        return
    notify(
        user,
        "signup_existing",
        _l("Someone tried to create a MITI Training account with your address"),
        login_link=external_url("auth.login"),
        reset_link=external_url("auth.forgot_password"),
    )


def send_confirmation(user: User) -> None:
    """Email a signed link that confirms the address."""
    CONFIRMATION.send(user, {"uid": user.id, "email": user.email})


def confirm_email(token: str) -> User:
    """Mark the address confirmed; a token for an older address is refused."""
    payload, user = CONFIRMATION.read(token, current_app.config["CONFIRM_TOKEN_MAX_AGE"])
    if user is None or user.email != payload.get("email"):
        raise InvalidToken()
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        # Registrations staff made for this address become the account's once it is proven.
        invitations.attach_invitations(user)
    return user
