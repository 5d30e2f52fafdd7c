"""Public news: a post's page and the Atom feeds of a centre and of the network."""

from datetime import UTC, datetime

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from miti_training import formatting
from miti_training.models import Centre, NewsPost, Photo
from miti_training.network.roles import can_manage
from miti_training.news import feeds, queries
from miti_training.programmes import catalogue
from miti_training.urls import external_url
from miti_training.web import http_cache
from miti_training.web.catalogue.blueprint import bp

ATOM = "application/atom+xml"
#: The network feed's "updated" while it has no post: the day MITI opened.
_NETWORK_EPOCH = datetime(2014, 3, 13, tzinfo=UTC)


@bp.route("/news/<int:post_id>")
@http_cache.news_post
def news_post(post_id: int):
    post = queries.public_post(post_id) or _preview_or_404(post_id)
    return render_template(
        "catalogue/news_post.html",
        post=post,
        text=formatting.translated(post),
        programme_text=formatting.programme_text(post.programme),
    )


@bp.route("/news")
@http_cache.listing
def network_news():
    return _archive(None)


@bp.route("/centres/<slug>/news")
@http_cache.listing
def centre_news(slug: str):
    return _archive(catalogue.centre_by_slug(slug) or abort(404))


def _archive(centre: Centre | None):
    """Every published post, a page at a time; a page past the last says so and links back."""
    page = queries.archive_page(request.args.get("page", 1, type=int), centre=centre)
    return render_template("catalogue/news_archive.html", centre=centre, page=page)


def _preview_or_404(post_id: int) -> NewsPost:
    """A post not public yet, previewed by its centre's staff; anyone else gets a 404."""
    post = queries.any_post(post_id)
    if post is None or not can_manage(current_user, post.programme.centre):
        abort(404)
    return post


def _post_url(post: NewsPost) -> str:
    return external_url("catalogue.news_post", post_id=post.id)


def _cover_url(photo: Photo) -> str:
    return external_url("catalogue.photo_image", photo_id=photo.id, size="web")


def _atom(info: feeds.FeedInfo, posts) -> object:
    body = feeds.atom_feed(info, posts, _post_url, _cover_url)
    response = current_app.response_class(body, mimetype=ATOM)
    response.headers["Content-Type"] = f"{ATOM}; charset=utf-8"
    return response


@bp.route("/centres/<slug>/news.atom")
@http_cache.listing
def centre_feed(slug: str):
    centre: Centre = catalogue.centre_by_slug(slug) or abort(404)
    page = external_url("catalogue.centre_detail", slug=centre.slug)
    info = feeds.FeedInfo(
        feed_id=page,
        page_url=page,
        self_url=external_url("catalogue.centre_feed", slug=centre.slug),
        title=_("News of %(centre)s", centre=formatting.translated(centre).name),
        language=str(formatting.viewer_locale().language),
        author=centre.name,
        empty_updated=centre.created_at,
    )
    return _atom(info, queries.latest_posts(centre=centre, limit=queries.FEED_SIZE))


@bp.route("/news.atom")
@http_cache.listing
def network_feed():
    page = external_url("main.home")
    info = feeds.FeedInfo(
        feed_id=page,
        page_url=page,
        self_url=external_url("catalogue.network_feed"),
        title=_("News of the Metropolis International Training Institute"),
        language=str(formatting.viewer_locale().language),
        author=_("Metropolis International Training Institute"),
        empty_updated=_NETWORK_EPOCH,
    )
    return _atom(info, queries.latest_posts(limit=queries.FEED_SIZE))
