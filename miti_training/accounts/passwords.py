"""Password policy: length, not composition; common, repetitive and sequential passwords refused.

Also what setting a new password does, however it is set (reset link or change).
"""

import gzip
from functools import cache
from importlib import resources

from flask_babel import lazy_gettext as _l

from miti_training.accounts.calendar_feed import rotate_calendar_token
from miti_training.errors import DomainError
from miti_training.mail import notify
from miti_training.models import User

MIN_LENGTH = 12
MAX_LENGTH = 256


@cache
def _common_passwords() -> frozenset[str]:
    """The most common passwords (about 20,000), one per line, loaded once."""
    data = resources.files("miti_training").joinpath("data/common-passwords.txt.gz").read_bytes()
    lines = gzip.decompress(data).decode("utf-8", errors="replace").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip())


def _is_repetitive(text: str) -> bool:
    """A short unit repeated ("aaaa...", "abcabc..."), or a common password repeated."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size:
            continue
        unit = text[:size]
        if unit * (len(text) // size) == text and (size <= 4 or unit in _common_passwords()):
            return True
    return False


def _is_sequential(text: str) -> bool:
    """A run of consecutive letters or digits, up or down ("abcdef...", "1234567890...")."""
    if not text.isascii():
        return False
    if text.isdigit():  # digits wrap: ...8, 9, 0, 1...
        steps = {(ord(b) - ord(a)) % 10 for a, b in zip(text, text[1:], strict=False)}
        return steps in ({1}, {9})
    if text.isalpha():
        steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
        return steps in ({1}, {-1})
    return False


def password_problem(password: str, *, user_values: tuple[str, ...] = ()):
    """Say what is wrong with a new password, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Use at most %(n)d characters.", n=MAX_LENGTH)
    lowered = password.strip().lower()
    if lowered in _common_passwords():
        return _l("This password is too common; choose one that is harder to guess.")
    if _is_repetitive(lowered) or _is_sequential(lowered):
        return _l(
            "This password repeats or follows a simple pattern; choose one that is harder to guess."
        )
    if any(value and value.strip().lower() == lowered for value in user_values):
        return _l("Do not use your name or email address as your password.")
    return None


def check_new_password(password: str, user: User) -> None:
    """DomainError saying what is wrong with password as user's new one, if anything."""
    problem = password_problem(password, user_values=(user.email, user.full_name))
    if problem:
        raise DomainError(problem)


def replace_password(user: User, new_password: str) -> None:
    """Set a checked new password: every session of the account ends, the calendar feed gets a
    new URL and the owner is told."""
    check_new_password(new_password, user)
    user.set_password(new_password)
    user.end_all_sessions()
    rotate_calendar_token(user)
    notify(user, "password_changed", _l("Your MITI Training password was changed"))
