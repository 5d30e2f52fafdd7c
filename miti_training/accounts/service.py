"""Accounts: sign-up, email confirmation, login checks, password reset and change."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from miti_training import audit
from miti_training.accounts.passwords import password_problem
from miti_training.accounts.tokens import (
    CONFIRM_SALT,
    RESET_SALT,
    make_token,
    password_fingerprint,
    read_token,
)
from miti_training.errors import DomainError, EmailTaken, FieldError, InvalidToken, WrongPassword
from miti_training.extensions import db
from miti_training.mail import notify
from miti_training.models import MemberCity, User, utcnow
from miti_training.registrations import invitations
from miti_training.urls import external_url

#: A hash to compare against when the address is unknown, so timing does not reveal it.
_DUMMY_HASH = (
    "scrypt:32768:8:1$idIF4Bc4SGnU8rja$9fb40be6d18281b8429bbec7c864304a975c490f4271556ed1bf8ea79e"
    "2cc0317d14a5396510ceab6f3219cb6762f445a64d9f549e138283a28044c1577b590e"
)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _check_new_password(password: str, user: User) -> None:
    problem = password_problem(password, user_values=(user.email, user.full_name))
    if problem:
        raise DomainError(problem)


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
    free one get the same answers (SECURITY.md item 4); EmailTaken comes last.
    """
    email = normalise_email(email)
    if db.session.get(MemberCity, member_city_id) is None:
        raise DomainError(_l("Choose your member city or organisation from the list."))
    user = User(
        full_name=full_name.strip(),
        email=email,
        member_city_id=member_city_id,
        job_title=job_title.strip(),
        preferred_language=preferred_language,
        timezone=timezone,
    )
    _check_new_password(password, user)
    # Hash before looking the address up: a taken address spends the same time.
    user.set_password(password)
    if _email_exists(email):
        raise EmailTaken()
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        # A concurrent sign-up took the address between the check and the insert.
        if _email_exists(email):
            raise EmailTaken() from None
        raise
    send_confirmation(user)
    return user


def _email_exists(email: str) -> bool:
    return bool(
        db.session.scalar(select(func.count()).select_from(User).where(User.email == email))
    )


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
    token = make_token(CONFIRM_SALT, {"uid": user.id, "email": user.email})
    notify(
        user,
        "confirm_email",
        _l("Confirm your email address for MITI Training"),
        link=external_url("auth.confirm_email", token=token),
    )


def _user_in(payload: dict) -> User | None:
    """The account a token's payload names, if its uid is a real id."""
    uid = payload.get("uid")
    if not isinstance(uid, int) or isinstance(uid, bool):
        return None
    return db.session.get(User, uid)


def confirm_email(token: str) -> User:
    """Mark the address confirmed; a token for an older address is refused."""
    payload = read_token(CONFIRM_SALT, token, current_app.config["CONFIRM_TOKEN_MAX_AGE"])
    user = _user_in(payload)
    if user is None or user.email != payload.get("email"):
        raise InvalidToken()
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        # Registrations staff made for this address become the account's once it is proven.
        invitations.attach_invitations(user)
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the user for valid credentials; same work and answer for unknown addresses."""
    user = find_user_by_email(email)
    if user is None:
        User(password_hash=_DUMMY_HASH).check_password(password)
        return None
    if not user.check_password(password) or not user.is_enabled:
        return None
    user.last_login_at = utcnow()
    return user


def request_password_reset(email: str) -> None:
    """Email a reset link if the address has an account; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_enabled:
        return
    token = make_token(RESET_SALT, {"uid": user.id, "pw": password_fingerprint(user.password_hash)})
    notify(
        user,
        "reset_password",
        _l("Reset your MITI Training password"),
        link=external_url("auth.reset_password", token=token),
    )


def user_for_reset_token(token: str) -> User:
    """The account a reset link belongs to; a used link (password changed) is refused."""
    payload = read_token(RESET_SALT, token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = _user_in(payload)
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
    _set_password(user, new_password)
    if user.email_confirmed_at is None:
        # The link arrived at this address, which proves it.
        user.email_confirmed_at = utcnow()
    audit.record("account.password_reset", actor=user, subject_user=user)
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password after checking the current one; other sessions end."""
    if not user.check_password(current_password):
        raise WrongPassword()
    _set_password(user, new_password)
    audit.record("account.password_change", actor=user, subject_user=user)


def _set_password(user: User, new_password: str) -> None:
    _check_new_password(new_password, user)
    user.set_password(new_password)
    user.end_all_sessions()
    notify(user, "password_changed", _l("Your MITI Training password was changed"))


def update_profile(
    user: User,
    *,
    full_name: str,
    member_city_id: int,
    job_title: str,
    preferred_language: str,
    timezone: str,
) -> None:
    """Update the details a participant may change themselves."""
    if db.session.get(MemberCity, member_city_id) is None:
        raise DomainError(_l("Choose your member city or organisation from the list."))
    user.full_name = full_name.strip()
    user.member_city_id = member_city_id
    user.job_title = job_title.strip()
    user.preferred_language = preferred_language
    user.timezone = timezone


# Change of email address ------------------------------------------------------------------

EMAIL_CHANGE_SALT = "miti.change-email"
#: How long the link sent to the new address works (EMAIL_CHANGE_TOKEN_MAX_AGE overrides it).
EMAIL_CHANGE_MAX_AGE = 3600


def request_email_change(user: User, current_password: str, new_email: str) -> None:
    """Email a link to the new address and a notice to the old one; nothing changes yet.

    The password is checked before anything looks at the new address. An address that
    belongs to another account gets no link and the answer is the same (SECURITY.md item 4):
    the notice to the old address goes out in both cases and its owner is not told.
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
    if _email_exists(new_email):
        return
    #: The old address and the password fingerprint make the link single-use: it dies once
    #: the address changes, and a password change cancels every pending request.
    token = make_token(
        EMAIL_CHANGE_SALT,
        {
            "uid": user.id,
            "old": user.email,
            "new": new_email,
            "pw": password_fingerprint(user.password_hash),
        },
    )
    notify(
        user,
        "change_email",
        _l("Confirm your new email address for MITI Training"),
        email=new_email,
        new_email=new_email,
        link=external_url("auth.confirm_email_change", token=token),
    )


def change_email(token: str) -> User:
    """Set the address a change link names; the account's other sessions end.

    Registrations keep the address the centre was given when they were made (their own
    `email` snapshot): only the account changes.
    """
    max_age = current_app.config.get("EMAIL_CHANGE_TOKEN_MAX_AGE", EMAIL_CHANGE_MAX_AGE)
    payload = read_token(EMAIL_CHANGE_SALT, token, max_age)
    user = _user_in(payload)
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
    if _email_exists(new_email):
        raise taken
    user.email = new_email
    user.email_confirmed_at = utcnow()
    user.end_all_sessions()
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
