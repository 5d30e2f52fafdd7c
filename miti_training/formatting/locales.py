"""The locale a page or an email is rendered in, and the digits it writes numbers with."""

from functools import cache, lru_cache, wraps

from babel import Locale
from flask_babel import get_locale

#: The interface languages, one catalogue each in translations/: what a page, an email or a
#: programme text can be written in, in the order lists show them.
LANGUAGES = ("en", "fr", "es", "ar", "fa", "ko")


def interface_language(code: str | None) -> str:
    """code when the interface has that language, else English: what an email, a certificate
    or a transcript for someone is written in."""
    return code if code in LANGUAGES else "en"


LATIN_DIGITS = "0123456789"

#: The zero of each decimal numbering system a supported locale may default to (CLDR's
#: numberingSystems; the other nine digits follow it in Unicode). Babel names a locale's
#: system but writes every number and date with 0-9.
_ZEROS = {"latn": "0", "arab": "\u0660", "arabext": "\u06f0"}


def viewer_locale() -> Locale:
    """The locale pages and emails are being rendered in (English outside a request)."""
    return get_locale() or Locale.parse("en")


@cache
def _digit_table(locale: str) -> dict[int, str]:
    zero = ord(_ZEROS.get(Locale.parse(locale).default_numbering_system, "0"))
    return str.maketrans(LATIN_DIGITS, "".join(chr(zero + d) for d in range(10)))


def native_digits(text, locale: Locale | str | None = None) -> str:
    """Text with its Latin digits written in the locale's default numbering system."""
    code = str(locale or viewer_locale())
    return str(text).translate(_digit_table(code))


def per_locale(function):
    """function, its results kept per viewer locale and arguments (all hashable).

    For pure formatting only: what it returns may depend on nothing but its arguments and the
    locale. The same pages show the same dates, labels and zones request after request, and
    Babel takes far longer to format them than a dictionary to find them.
    """

    @lru_cache(maxsize=8192, typed=True)  # typed: str enums equal their values
    def cached(_locale: str, *args):
        return function(*args)

    @wraps(function)
    def wrapper(*args):
        return cached(str(viewer_locale()), *args)

    wrapper.cache_clear = cached.cache_clear
    wrapper.cache_info = cached.cache_info
    return wrapper


def uses_latin_digits(locale: Locale | str | None = None) -> bool:
    """Whether the locale writes numbers with 0-9 (machine-readable values always do)."""
    return native_digits(LATIN_DIGITS, locale) == LATIN_DIGITS
