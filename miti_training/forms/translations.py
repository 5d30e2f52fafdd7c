"""Translation fieldsets: one per interface language on the form of anything staff translate.

A form lists its TRANSLATED inputs; add_translation_fields gives it a field per input and
language (title_fr, label_ko, ...), which templates/_translations.html shows, one <details> a
language. The domain (text_translations) checks and saves what is typed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from miti_training.formatting import LANGUAGES, language_label
from miti_training.forms.common import long_text_field, text_field


@dataclass(frozen=True)
class TranslatedInput:
    """A translatable field of a form: its name, its label (given the language's name), its
    most characters, and the rows of a text area (0 for one line)."""

    name: str
    label: Callable[[Any], Any]
    max_length: int
    rows: int = 0


def title_label(language):
    return _l("Title (%(language)s)", language=language)


def name_label(language):
    return _l("Name (%(language)s)", language=language)


def description_label(language):
    return _l("Description (%(language)s)", language=language)


def add_translation_fields(form_class, inputs: tuple[TranslatedInput, ...]) -> None:
    """Give form_class a field for each input in each interface language."""
    form_class.TRANSLATED = inputs
    for code in LANGUAGES:
        attrs = {"lang": code, "dir": "auto"}
        for spec in inputs:
            label = spec.label(language_label(code))
            if spec.rows:
                field = long_text_field(
                    label, max_length=spec.max_length, render_kw={**attrs, "rows": spec.rows}
                )
            else:
                field = text_field(label, max_length=spec.max_length, render_kw=attrs)
            setattr(form_class, f"{spec.name}_{code}", field)


class TranslationsMixin:
    """What a form with translation fields offers its view and template."""

    TRANSLATED: tuple[TranslatedInput, ...] = ()

    def translation_languages(self, original: str) -> list[str]:
        """The languages a translation fieldset is shown for: every other interface language."""
        return [code for code in LANGUAGES if code != original]

    def translation_fields(self, code: str) -> tuple:
        return tuple(self[f"{spec.name}_{code}"] for spec in self.TRANSLATED)

    def translated_values(self, original: str) -> dict[str, dict[str, str]]:
        """What was typed in the fieldsets shown (languages other than original), by language."""
        return {
            code: {spec.name: self[f"{spec.name}_{code}"].data or "" for spec in self.TRANSLATED}
            for code in self.translation_languages(original)
        }

    @classmethod
    def translation_data(cls, translatable) -> dict:
        """Form data of translatable's translations (a list one item per line)."""
        data = {}
        for translation in translatable.translations:
            for spec in cls.TRANSLATED:
                value = getattr(translation, spec.name)
                data[f"{spec.name}_{translation.language}"] = (
                    "\n".join(value) if isinstance(value, list) else value
                )
        return data
