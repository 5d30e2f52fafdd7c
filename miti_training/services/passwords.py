"""Password policy: length, not composition; common passwords refused."""

import gzip
from functools import cache
from importlib import resources

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 256


@cache
def _common_passwords() -> frozenset[str]:
    """The most common passwords (about 20,000), loaded once."""
    data = resources.files("miti_training").joinpath("data/common-passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode().split())


def password_problem(password: str, *, user_values: tuple[str, ...] = ()):
    """Say what is wrong with a new password, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Use at most %(n)d characters.", n=MAX_LENGTH)
    lowered = password.strip().lower()
    if lowered in _common_passwords():
        return _l("This password is too common; choose one that is harder to guess.")
    if any(value and value.lower() == lowered for value in user_values):
        return _l("Do not use your name or email address as your password.")
    return None
