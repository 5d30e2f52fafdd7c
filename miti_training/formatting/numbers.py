"""Numbers, percentages and lists in the viewer's language, with its own digits (Babel)."""

from collections.abc import Iterable

from babel import lists as babel_lists
from babel import numbers as babel_numbers

from miti_training.formatting.locales import native_digits, viewer_locale


def number(value) -> str:
    """A count, a position, a number of seats: grouped and in the locale's digits ("۱٬۲۳۴")."""
    if value is None:
        return ""
    locale = viewer_locale()
    text = babel_numbers.format_decimal(value, locale=locale, numbering_system="default")
    return native_digits(text, locale)


def digits(value) -> str:
    """A year or a code-like number, ungrouped ("2026", "۲۰۲۶"), in the locale's digits."""
    if value is None:
        return ""
    return native_digits(value)


def percent(ratio) -> str:
    """A ratio (0.85) as a percentage in the locale's way ("85%", "۸۵٪")."""
    if ratio is None:
        return ""
    locale = viewer_locale()
    text = babel_numbers.format_percent(ratio, locale=locale, numbering_system="default")
    return native_digits(text, locale)


def list_of(items: Iterable) -> str:
    """Items joined as the language joins a list ("A, B and C", "A وB وC", "A، B و C")."""
    words = [str(item) for item in items if item is not None and str(item) != ""]
    if not words:
        return ""
    return babel_lists.format_list(words, locale=viewer_locale())
