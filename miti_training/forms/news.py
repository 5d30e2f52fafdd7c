"""The form of a news post: title, text and their language; a fieldset per other language."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from miti_training.formatting import LANGUAGES, language_label
from miti_training.forms.common import ListChoiceField, long_text_field, text_field
from miti_training.forms.translations import (
    TranslatedInput,
    TranslationsMixin,
    add_translation_fields,
    title_label,
)
from miti_training.news import rules
from miti_training.news.writing import PostValues


class NewsPostForm(TranslationsMixin, FlaskForm):
    title = text_field(
        _l("Title"),
        max_length=rules.MAX_TITLE,
        required_message=rules.REQUIRED_TITLE,
        render_kw={"dir": "auto"},
    )
    body = long_text_field(
        _l("Text"), max_length=rules.MAX_BODY, render_kw={"rows": 12, "dir": "auto"}
    )
    original_language = ListChoiceField(
        _l("Language of the title and text"),
        default="en",
        message=_l("Choose the language of the post from the list."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.original_language.choices = [
            SelectChoice(code, language_label(code)) for code in LANGUAGES
        ]

    @staticmethod
    def initial_data(post) -> dict:
        return {
            "title": post.title,
            "body": post.body,
            "original_language": post.original_language,
            **NewsPostForm.translation_data(post),
        }

    def values(self) -> PostValues:
        return PostValues(
            title=self.title.data or "",
            body=self.body.data or "",
            original_language=self.original_language.data or "",
        )


add_translation_fields(
    NewsPostForm,
    (
        TranslatedInput("title", title_label, rules.MAX_TITLE),
        TranslatedInput(
            "body",
            lambda language: _l("Text (%(language)s)", language=language),
            rules.MAX_BODY,
            rows=8,
        ),
    ),
)
