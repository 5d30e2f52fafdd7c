"""Country names: stored as typed (in an interface language) or as ISO codes, shown in the
viewer's language from CLDR."""

from babel import Locale

from miti_training.formatting.locales import LANGUAGES, viewer_locale


def _territory_codes() -> dict[str, tuple[str, str]]:
    """Region codes (CLDR) and the language of the name, by the names in every interface
    language (folded) and by code."""
    codes: dict[str, tuple[str, str]] = {}
    for language in LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if code.isalpha():
                codes.setdefault(name.casefold(), (code, language))
                codes.setdefault(code.casefold(), (code, ""))
    # Official English names that CLDR keeps only as variants.
    codes.update(
        {
            "republic of korea": ("KR", "en"),
            "iran (islamic republic of)": ("IR", "en"),
            "viet nam": ("VN", "en"),
        }
    )
    return codes


_TERRITORIES = _territory_codes()


def country_name(country: str | None) -> str:
    """A country as stored (its name in an interface language, or its ISO code) in the
    viewer's language: as typed when typed in that language, else CLDR's name; text CLDR does
    not know is shown as it is."""
    text = (country or "").strip()
    code, language = _TERRITORIES.get(text.casefold(), (None, ""))
    viewer = viewer_locale()
    if code is None or language == str(viewer.language):
        return text
    return viewer.territories.get(code, text)
