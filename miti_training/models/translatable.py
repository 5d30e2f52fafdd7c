"""Texts staff write in one language and translate into others, read in a viewer's language.

Programmes, their sessions and questions, centres and member cities keep their texts in their
original language and one translation row per other language. A translation needs its first
field (a title, a label, a name); any other field left empty shows the original.
"""

#: The language of texts that do not say theirs (centres and member cities).
NETWORK_LANGUAGE = "en"


class TranslatedText:
    """The translatable texts of one object in one language, read as attributes (text.title)."""

    def __init__(self, language: str, is_original: bool, values: dict):
        self.language = language
        self.is_original = is_original
        self._values = values

    def __getattr__(self, name: str):
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        return f"<TranslatedText {self.language} {self._values!r}>"


def _or_original(translated, original):
    """A translated field, or the original when it is empty (or, for a list such as the
    choices of a question, when it does not have one item for each of the original's)."""
    if isinstance(original, list):
        return list(translated) if translated and len(translated) == len(original) else original
    return translated or original


class Translatable:
    """Mixin of a model with a `translations` relationship whose rows have a `language` and the
    TRANSLATED_FIELDS."""

    #: The translated fields, the required one first.
    TRANSLATED_FIELDS: tuple[str, ...] = ()

    @property
    def text_language(self) -> str:
        """The language the original texts are written in."""
        return NETWORK_LANGUAGE

    def text_in(self, language: str) -> TranslatedText:
        """The texts in language where translated, else in the original language."""
        if language != self.text_language:
            required = self.TRANSLATED_FIELDS[0]
            for translation in self.translations:
                if translation.language == language and getattr(translation, required):
                    values = {
                        name: _or_original(getattr(translation, name), getattr(self, name))
                        for name in self.TRANSLATED_FIELDS
                    }
                    return TranslatedText(language, False, values)
        values = {name: getattr(self, name) for name in self.TRANSLATED_FIELDS}
        return TranslatedText(self.text_language, True, values)
