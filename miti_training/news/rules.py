"""What a news post needs and who may do what with it.

A post's cover is one of its programme's photos that the public may see (albums.public).

Coordinators and directors of the programme's centre write and change drafts; only the
director (or an administrator) publishes, unpublishes and changes a published post, as with
programmes. A post is public once published on a programme the public sees.
"""

from flask_babel import lazy_gettext as _l

from miti_training.albums import public as public_albums
from miti_training.errors import DomainError, FieldError
from miti_training.formatting import LANGUAGES
from miti_training.models import MembershipRole, NewsPost, NewsPostStatus, Programme
from miti_training.network.roles import can_manage
from miti_training.programmes.catalogue import PUBLIC_STATUSES
from miti_training.text_translations import TranslatedField

MAX_TITLE = 200
#: A short after-event story: a few screens of text at most.
MAX_BODY = 20_000

TRANSLATED_FIELDS = (
    TranslatedField("title", MAX_TITLE),
    TranslatedField("body", MAX_BODY),
)

REQUIRED_TITLE = _l("Enter the title of the post.")
COVER_REFUSED = _l(
    "Choose the cover among this programme’s photos that the public can see: not hidden, "
    "in the album of a session that has ended."
)


class NewsRefused(DomainError):
    """A post cannot be published or changed now."""


def ask_for_title(language_name):
    return _l("Enter the title in %(language)s, or empty this translation.", language=language_name)


def check_values(title: str, body: str, original_language: str) -> None:
    """Raise the first problem of cleaned values as a FieldError beside its field."""
    if not title:
        raise FieldError(REQUIRED_TITLE, field="title")
    if len(title) > MAX_TITLE:
        raise FieldError(_l("Use at most %(max)d characters.", max=MAX_TITLE), field="title")
    if len(body) > MAX_BODY:
        raise FieldError(_l("Use at most %(max)d characters.", max=MAX_BODY), field="body")
    if original_language not in LANGUAGES:
        raise FieldError(
            _l("Choose the language of the post from the list."), field="original_language"
        )


def check_cover(programme: Programme, photo_id: int | None) -> None:
    """A cover must be a photo of programme the public may see (the albums' rule): another
    programme's photo, a hidden one or one of a session still to come is refused."""
    if photo_id is not None and public_albums.public_photo(programme, photo_id) is None:
        raise FieldError(COVER_REFUSED, field="cover_photo_id")


def editor_role(post: NewsPost) -> MembershipRole:
    """Drafts: coordinators and up; published posts: the director."""
    if post.status == NewsPostStatus.DRAFT:
        return MembershipRole.COORDINATOR
    return MembershipRole.DIRECTOR


def can_edit(user, post: NewsPost) -> bool:
    return can_manage(user, post.programme.centre, editor_role(post))


def can_publish(user, programme: Programme) -> bool:
    return can_manage(user, programme.centre, MembershipRole.DIRECTOR)


def publish_refusal(programme: Programme) -> NewsRefused | None:
    """Why a post of programme cannot be published now (None: it can)."""
    if programme.status not in PUBLIC_STATUSES:
        return NewsRefused(_l("Publish the programme first: its news can only be public with it."))
    return None
