"""Checking and saving the translations staff type for the texts they write.

Every translatable object (models.translatable) keeps one row per other interface language; a
translation needs its first field (title, label, name), its other fields may stay empty (the
original shows), and all fields empty removes it. A list field (the choices of a question) has
one item for each of the original's, in the same order.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l

from miti_training.errors import FieldError
from miti_training.extensions import db
from miti_training.formatting import LANGUAGES, language_name
from miti_training.models import Translatable


class Trouble(StrEnum):
    """Why a translation cannot be saved."""

    LANGUAGE = "language"
    IN_ORIGINAL = "in_original"
    REQUIRED = "required"
    TOO_LONG = "too_long"
    ITEM_COUNT = "item_count"


@dataclass(frozen=True)
class TranslatedField:
    """A translatable field and its most characters (of each item, for a list)."""

    name: str
    max_length: int
    is_list: bool = False


@dataclass(frozen=True)
class TranslationProblem:
    #: The form field to correct: the field's name and the language, like "title_fr".
    field: str
    message: Any
    trouble: Trouble


def clean(value) -> str | list[str]:
    """Text as stored: LF line ends, no surrounding space; a list without empty items."""
    if isinstance(value, list | tuple):
        return [item for item in (clean(v) for v in value) if item]
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def translation_problem(
    original_language: str,
    code: str,
    fields: Sequence[TranslatedField],
    values: Mapping[str, Any],
    *,
    required_message: Callable[[str], Any],
    item_count: int | None = None,
) -> TranslationProblem | None:
    """What keeps a translation (values cleaned) from being saved; None when nothing does.

    required_message(language name) asks for the first field; item_count is how many items
    the original's list field has.
    """
    first = f"{fields[0].name}_{code}"
    if code not in LANGUAGES:
        message = _l("Translations can only be in the interface languages.")
        return TranslationProblem(first, message, Trouble.LANGUAGE)
    if not any(values.get(f.name) for f in fields):
        return None
    if code == original_language:
        message = _l(
            "The texts are written in %(language)s already: empty this translation or choose another original language.",
            language=language_name(code),
        )
        return TranslationProblem(first, message, Trouble.IN_ORIGINAL)
    if not values.get(fields[0].name):
        return TranslationProblem(first, required_message(language_name(code)), Trouble.REQUIRED)
    for spec in fields:
        value = values.get(spec.name) or ([] if spec.is_list else "")
        field = f"{spec.name}_{code}"
        if spec.is_list and value and item_count is not None and len(value) != item_count:
            message = _l(
                "Give %(count)d lines, one for each choice, in the same order as the original.",
                count=item_count,
            )
            return TranslationProblem(field, message, Trouble.ITEM_COUNT)
        if any(len(item) > spec.max_length for item in (value if spec.is_list else [value])):
            message = _l("Use at most %(max)d characters.", max=spec.max_length)
            return TranslationProblem(field, message, Trouble.TOO_LONG)
    return None


def apply_translations(
    owner: Translatable,
    translations: Mapping[str, Mapping[str, Any]],
    fields: Sequence[TranslatedField],
    *,
    required_message: Callable[[str], Any],
    item_count: int | None = None,
) -> list[str]:
    """Set, replace or remove (all fields empty) owner's translations by language; return the
    languages changed. A problem is raised as a FieldError naming its form field."""
    row_class = type(owner).translations.property.mapper.class_
    # A new owner may be pending: reading its translations must not flush it half-made.
    with db.session.no_autoflush:
        existing = {t.language: t for t in owner.translations}
    changed = []
    for code, typed in translations.items():
        values = {f.name: clean(typed.get(f.name)) for f in fields}
        problem = translation_problem(
            owner.text_language,
            code,
            fields,
            values,
            required_message=required_message,
            item_count=item_count,
        )
        if problem is not None:
            raise FieldError(problem.message, field=problem.field)
        current = existing.get(code)
        if not any(values.values()):
            if current is not None:
                owner.translations.remove(current)
                changed.append(code)
            continue
        if current is None:
            owner.translations.append(row_class(language=code, **values))
            changed.append(code)
        elif any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            changed.append(code)
    return changed


def translations_of(owner: Translatable) -> dict[str, dict[str, Any]]:
    """owner's translations as language -> field -> value (to copy them onto another object)."""
    return {
        t.language: {name: getattr(t, name) for name in owner.TRANSLATED_FIELDS}
        for t in owner.translations
    }
