"""Signing up: an address first, then the account, made only from the link sent to it.

No account exists before its address is proven (docs/security.md, item 21): the visitor gives
an address; a free one gets a signed link, a taken one a notice to its owner, and the visitor
sees the same answer either way (item 4). The link opens the rest of the form; the account it
makes is confirmed from its first moment and takes up what staff registered for the address.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from miti_training import audit
from miti_training.accounts.addresses import email_taken, find_user_by_email
from miti_training.accounts.passwords import check_new_password
from miti_training.accounts.tokens import SIGNUP_SALT, EmailedLink, read_token
from miti_training.errors import EmailTaken, InvalidToken
from miti_training.extensions import db
from miti_training.mail import notify
from miti_training.models import User, normalise_email, utcnow
from miti_training.network.member_cities import chosen_member_city
from miti_training.registrations import invitations, nominated
from miti_training.timezones import UTC_ZONE, usual_zone
from miti_training.urls import external_url

#: The link that proves an address and opens the rest of the sign-up form.
SIGNUP_LINK = EmailedLink(
    SIGNUP_SALT,
    "auth.finish_signup",
    "confirm_email",
    _l("Create your MITI Training account"),
)

#: Refusal when the address has an account by the time the form is sent.
ADDRESS_TAKEN = _l(
    "An account already uses this email address. Log in, or choose a new password if you forgot it."
)


@dataclass(frozen=True)
class Newcomer:
    """Whom the sign-up link goes to: an address without an account, in the visitor's language."""

    email: str
    preferred_language: str
    full_name: str = ""


def request_sign_up(email: str, *, language: str, next_url: str = "") -> None:
    """Email a sign-up link to a free address, a notice to the owner of a taken one.

    The visitor gets the same answer in both cases; only the mailbox's owner learns which.
    next_url, a local path the caller checked, is where the new account goes on to (the
    registration form the visitor came from); the signed link carries it.
    """
    email = normalise_email(email)
    owner = find_user_by_email(email)
    if owner is not None:
        notify_existing_account(owner, next_url=next_url)
        return
    payload = {"email": email, "next": next_url} if next_url else {"email": email}
    SIGNUP_LINK.send(Newcomer(email, language), payload, email=email)


def notify_existing_account(owner: User, *, next_url: str = "") -> None:
    """Someone asked to sign up with owner's address: tell the owner, not the visitor."""
    notify(
        owner,
        "signup_existing",
        _l("Someone tried to create a MITI Training account with your address"),
        login_link=external_url("auth.login", next=next_url or None),
        reset_link=external_url("auth.forgot_password"),
    )


@dataclass(frozen=True)
class SignUpLink:
    """What a sign-up link carries: the address it went to, and where the account goes on to
    ("" for nowhere in particular; the web layer checks it is local before using it)."""

    email: str
    next_url: str = ""


def read_link(token: str) -> SignUpLink:
    """What a sign-up link carries (InvalidToken when forged, expired or odd)."""
    payload = read_token(SIGNUP_SALT, token, current_app.config["CONFIRM_TOKEN_MAX_AGE"])
    email = payload.get("email")
    if not isinstance(email, str) or not email or normalise_email(email) != email:
        raise InvalidToken()
    next_url = payload.get("next")
    return SignUpLink(email, next_url if isinstance(next_url, str) else "")


def address_of_link(token: str) -> str:
    """The address a sign-up link was sent to (InvalidToken when forged, expired or odd)."""
    return read_link(token).email


def check_address_free(email: str) -> None:
    """EmailTaken, pointing to log in, when an account uses the address now."""
    if email_taken(email):
        raise EmailTaken(ADDRESS_TAKEN)


def finish_sign_up(
    token: str,
    *,
    full_name: str,
    password: str,
    member_city_id: int,
    job_title: str,
    preferred_language: str,
    timezone: str,
) -> User:
    """Create the confirmed account of the address token proves, with the registrations staff
    made for it; EmailTaken if the address has an account by now (also a reused link).

    An empty timezone is the usual zone of the member city's country (UTC when unknown)."""
    email = address_of_link(token)
    city = chosen_member_city(member_city_id)
    timezone = timezone or usual_zone(city.country, city.name) or UTC_ZONE
    user = User(
        full_name=full_name.strip(),
        email=email,
        member_city_id=member_city_id,
        job_title=job_title.strip(),
        preferred_language=preferred_language,
        timezone=timezone,
        # The link arrived at this address: that proves it.
        email_confirmed_at=utcnow(),
    )
    check_new_password(password, user)
    user.set_password(password)
    check_address_free(email)
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        # A concurrent sign-up from the same link took the address after the check.
        check_address_free(email)
        raise
    audit.record("account.sign_up", actor=user, subject_user=user)
    invitations.attach_invitations(user)
    nominated.attach_nominations(user)
    return user
