"""The news pages in the route table: a request that succeeds on each, and what they may
change."""

from sqlalchemy import select

from miti_training.extensions import db
from miti_training.models import NewsPost, NewsPostStatus, NewsPostTranslation, utcnow

#: Coordinators and directors of the centre, and administrators (drafts, for coordinators).
NEWS_COORDINATOR_ROUTES = [
    ("GET", "manage.programme_news"),
    ("GET", "manage.new_news_post"),
    ("POST", "manage.new_news_post"),
    ("GET", "manage.edit_news_post"),
    ("POST", "manage.edit_news_post"),
]

#: The centre's director (or an administrator) only.
NEWS_DIRECTOR_ROUTES = [
    ("POST", "manage.publish_news_post"),
    ("POST", "manage.unpublish_news_post"),
]

_ENDPOINTS = {endpoint for _method, endpoint in NEWS_COORDINATOR_ROUTES + NEWS_DIRECTOR_ROUTES}


def make_post(programme, *, published: bool = False, **kw) -> NewsPost:
    post = NewsPost(
        programme=programme,
        title=kw.pop("title", "Day 1: the MoU signing ceremony"),
        body=kw.pop("body", "The centres signed their MoUs.\n\nPhotos: https://example.org/day-1"),
        original_language=kw.pop("original_language", "en"),
        status=NewsPostStatus.PUBLISHED if published else NewsPostStatus.DRAFT,
        published_at=utcnow() if published else None,
        **kw,
    )
    db.session.add(post)
    db.session.flush()
    return post


def post_form(**values) -> dict:
    return {
        "title": "After the forum",
        "body": "Thank you to every city.\n\nMore: https://metropolis.org/news",
        "original_language": "en",
        "title_ko": "포럼을 마치며",
        "body_ko": "모든 도시에 감사드립니다.",
        **values,
    }


def news_request(endpoint: str, w: dict) -> tuple[dict, dict] | None:
    """On the world's published programme (posts need a public programme to be published)."""
    if endpoint not in _ENDPOINTS:
        return None
    published = w["published"]
    on_programme = {"centre_slug": w["centre"].slug, "programme_id": published.id}
    if endpoint in ("manage.programme_news", "manage.new_news_post"):
        return on_programme, post_form()
    if endpoint == "manage.unpublish_news_post":
        return {**on_programme, "post_id": make_post(published, published=True).id}, {}
    post = make_post(published)
    form = post_form(title="Day 1 and Day 2") if endpoint == "manage.edit_news_post" else {}
    return {**on_programme, "post_id": post.id}, form


def news_snapshot() -> tuple:
    return (
        sorted(
            db.session.execute(
                select(NewsPost.id, NewsPost.status, NewsPost.title, NewsPost.body)
            ).all()
        ),
        sorted(
            db.session.execute(
                select(NewsPostTranslation.post_id, NewsPostTranslation.language)
            ).all()
        ),
    )
