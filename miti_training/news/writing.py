"""Writing news posts: new drafts, changes and translations, publishing and unpublishing.

Services add and flush; the view commits. Each step is audited on the post's programme.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from miti_training import audit
from miti_training.errors import PermissionDenied
from miti_training.extensions import db
from miti_training.models import MembershipRole, NewsPost, NewsPostStatus, Programme, utcnow
from miti_training.network.roles import can_manage
from miti_training.news import rules
from miti_training.text_translations import apply_translations, clean


@dataclass(frozen=True)
class PostValues:
    """What staff set on a post. Programme, status and author never come from here."""

    title: str
    body: str = ""
    original_language: str = "en"
    #: A public photo of the post's programme, or None for no cover.
    cover_photo_id: int | None = None


def _require(actor, programme: Programme, role: MembershipRole) -> None:
    if actor is not None and not can_manage(actor, programme.centre, role):
        raise PermissionDenied()


def _record(action: str, post: NewsPost, actor, before: str = "") -> None:
    audit.record(
        action,
        actor=actor,
        programme=post.programme,
        from_state=before,
        to_state=post.status,
    )


def _apply(post: NewsPost, values: PostValues, translations) -> list[str]:
    """Check and set values and translations; return what changed (field names, languages)."""
    title, body = clean(values.title), clean(values.body)
    rules.check_values(title, body, values.original_language)
    rules.check_cover(post.programme, values.cover_photo_id)
    changed = []
    for name, value in (
        ("title", title),
        ("body", body),
        ("original_language", values.original_language),
        ("cover_photo_id", values.cover_photo_id),
    ):
        if getattr(post, name) != value:
            setattr(post, name, value)
            changed.append(name)
    if translations:
        changed += apply_translations(
            post, translations, rules.TRANSLATED_FIELDS, required_message=rules.ask_for_title
        )
    return changed


def create_post(
    programme: Programme,
    values: PostValues,
    *,
    actor,
    translations: dict[str, dict[str, str]] | None = None,
) -> NewsPost:
    """A new draft post about programme."""
    _require(actor, programme, MembershipRole.COORDINATOR)
    post = NewsPost(
        programme=programme,
        status=NewsPostStatus.DRAFT,
        author_id=actor.id if actor is not None else None,
    )
    with db.session.no_autoflush:  # not ready to be inserted until checked
        _apply(post, values, translations)
    db.session.add(post)
    db.session.flush()
    _record("news.create", post, actor)
    return post


def update_post(
    post: NewsPost,
    values: PostValues,
    *,
    actor,
    translations: dict[str, dict[str, str]] | None = None,
) -> list[str]:
    """Change a post's texts and translations; a published post needs the director."""
    _require(actor, post.programme, rules.editor_role(post))
    changed = _apply(post, values, translations)
    if changed:
        db.session.flush()
        _record("news.update", post, actor, before=post.status)
    return changed


def publish(post: NewsPost, *, actor) -> None:
    """Make the post public, dated now (again, when it was unpublished in between)."""
    _require(actor, post.programme, MembershipRole.DIRECTOR)
    if post.is_published:
        raise rules.NewsRefused(_l("This post is published already."))
    refusal = rules.publish_refusal(post.programme)
    if refusal is not None:
        raise refusal
    post.status = NewsPostStatus.PUBLISHED
    post.published_at = utcnow()
    db.session.flush()
    _record("news.publish", post, actor, before=NewsPostStatus.DRAFT)


def unpublish(post: NewsPost, *, actor) -> None:
    """Take the post off the public pages and feeds; it is a draft again."""
    _require(actor, post.programme, MembershipRole.DIRECTOR)
    if not post.is_published:
        raise rules.NewsRefused(_l("This post is not published."))
    post.status = NewsPostStatus.DRAFT
    db.session.flush()
    _record("news.unpublish", post, actor, before=NewsPostStatus.PUBLISHED)
