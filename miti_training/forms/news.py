"""The form of a news post: title, text and their language, the cover photo; a fieldset per
other language."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from miti_training.db_setup import MAX_ID
from miti_training.formatting import LANGUAGES, language_label, number, translated
from miti_training.forms.common import (
    ListChoiceField,
    RadioChoiceField,
    long_text_field,
    text_field,
)
from miti_training.forms.translations import (
    TranslatedInput,
    TranslationsMixin,
    add_translation_fields,
    title_label,
)
from miti_training.news import rules
from miti_training.news.writing import PostValues

#: The longest id a browser may send (MAX_ID has ten digits).
_ID_DIGITS = len(str(MAX_ID))


def photo_id(value) -> int | None:
    """The cover's id as sent: empty is no cover; anything but an id is a ValueError, which the
    field reports with its message. Which photo may be the cover is the domain's to decide."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    if not (len(value) <= _ID_DIGITS and value.isascii() and value.isdigit()):
        raise ValueError(value)
    if not 0 < int(value) <= MAX_ID:
        raise ValueError(value)
    return int(value)


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
    cover_photo_id = RadioChoiceField(
        _l("Cover photo"),
        coerce=photo_id,
        # Any id passes here: the service refuses one the public may not see, beside the field.
        validate_choice=False,
        message=_l("Choose the cover photo from the list."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.original_language.choices = [
            SelectChoice(code, language_label(code)) for code in LANGUAGES
        ]
        self.cover_photo_id.choices = [SelectChoice("", _l("No cover photo"))]
        #: The photos offered as cover, by the value of their option.
        self.cover_photos = {}
        #: The post's cover is no longer public (hidden since, say): no longer offered.
        self.cover_withdrawn = False

    def offer_covers(self, albums) -> None:
        """Offer the photos of albums (the programme's public albums, albums.public) after "No
        cover photo", each named by its caption or its place in its album. A cover no longer
        public is not offered: the form shows "No cover photo" chosen, and says why."""
        for album in albums:
            session_title = translated(album.session).title
            for index, photo in enumerate(album.photos, start=1):
                label = translated(photo).caption or _(
                    "Photo %(n)s of %(album)s", n=number(index), album=session_title
                )
                self.cover_photo_id.choices.append(SelectChoice(str(photo.id), label))
                self.cover_photos[str(photo.id)] = photo
        current = self.cover_photo_id.data
        # A value sent is the service's to refuse; the post's own is only not offered again.
        if (
            not self.is_submitted()
            and current is not None
            and str(current) not in self.cover_photos
        ):
            self.cover_photo_id.data = None
            self.cover_withdrawn = True

    @staticmethod
    def initial_data(post) -> dict:
        return {
            "title": post.title,
            "body": post.body,
            "original_language": post.original_language,
            "cover_photo_id": post.cover_photo_id,
            **NewsPostForm.translation_data(post),
        }

    def values(self) -> PostValues:
        return PostValues(
            title=self.title.data or "",
            body=self.body.data or "",
            original_language=self.original_language.data or "",
            cover_photo_id=self.cover_photo_id.data,
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
