"""Validators and fields shared by several blueprints' forms."""

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import ValidationError

from .services.passwords import password_problem
from .ui import is_valid_timezone


class NoControlCharacters:
    """Refuse control characters (other than tab/newline in long text) in user text."""

    def __init__(self, allow_newlines: bool = False):
        self.allow_newlines = allow_newlines

    def __call__(self, form, field):
        allowed = {"\n", "\r", "\t"} if self.allow_newlines else set()
        for char in field.data or "":
            if char in allowed:
                continue
            if unicodedata.category(char) == "Cc":
                raise ValidationError(_l("Remove the control characters from this field."))


class Strip:
    """Filter: trim surrounding white space."""

    def __call__(self, value):
        return value.strip() if isinstance(value, str) else value


strip = Strip()


def acceptable_password(form, field):
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def valid_timezone(form, field):
    if not is_valid_timezone(field.data or ""):
        raise ValidationError(_l("Choose a time zone from the list."))
