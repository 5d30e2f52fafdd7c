"""The forms of photo albums: uploading several photos, a caption in several languages, moving
a photo. Pillow decides what an image is (albums.images); the form only gathers the files."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from werkzeug.datastructures import FileStorage
from wtforms.fields import HiddenField
from wtforms.validators import AnyOf

from miti_training.albums.curating import MAX_CAPTION
from miti_training.albums.uploading import Upload
from miti_training.forms.common import text_field
from miti_training.forms.translations import (
    TranslatedInput,
    TranslationsMixin,
    add_translation_fields,
)

#: What the file chooser offers; Pillow checks every file whatever its name says.
ACCEPT = "image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"


class UploadPhotosForm(FlaskForm):
    photos = MultipleFileField(_l("Photos (JPEG, PNG or WebP)"), render_kw={"accept": ACCEPT})

    def uploads(self, read_at_most: int) -> list[Upload]:
        """The chosen files, each read up to one byte past read_at_most (enough to refuse it)."""
        files = [f for f in self.photos.data or [] if isinstance(f, FileStorage) and f.filename]
        return [Upload(name=f.filename or "", data=f.stream.read(read_at_most + 1)) for f in files]


def caption_label(language):
    return _l("Caption (%(language)s)", language=language)


class CaptionForm(TranslationsMixin, FlaskForm):
    """A photo's caption; in other languages below (caption_fr, ...)."""

    caption = text_field(_l("Caption"), max_length=MAX_CAPTION)

    @classmethod
    def initial_data(cls, photo) -> dict:
        return {"caption": photo.caption, **cls.translation_data(photo)}

    def values(self, original: str) -> dict:
        return {
            "caption": self.caption.data or "",
            "translations": self.translated_values(original),
        }


add_translation_fields(CaptionForm, (TranslatedInput("caption", caption_label, MAX_CAPTION),))


class MovePhotoForm(FlaskForm):
    direction = HiddenField(
        validators=[AnyOf(["up", "down"], message=_l("A photo can only be moved up or down."))]
    )
