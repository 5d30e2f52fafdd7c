"""HTTP caching of the news pages and feeds: validators and 304s, and a post that changes the
validators of every page showing it (models/touching.py, news/freshness.py)."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from miti_training.models import Centre, NewsPost, Programme, utcnow
from miti_training.news import writing
from miti_training.news.writing import PostValues
from tests.support.factories import make_centre, make_programme, make_staff
from tests.support.news_routes import make_post

FEEDS = ["/centres/seoul/news.atom", "/news.atom"]
SHOWING_POSTS = ["/programmes/sharing-cities", "/centres/seoul", "/", *FEEDS]


@pytest.fixture
def world(db):
    centre = make_centre(slug="seoul")
    programme = make_programme(centre, slug="sharing-cities", title="Sharing Cities")
    post = make_post(programme, published=True, title="Day 1")
    director = make_staff(centre, "director")
    before = utcnow() - timedelta(hours=2)
    for model in (Programme, Centre, NewsPost):
        db.session.execute(update(model).values(updated_at=before))
    db.session.commit()
    db.session.expire_all()
    return {"programme": programme, "post": post, "director": director}


def _etag(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.headers["ETag"]


@pytest.mark.parametrize("page", ["post", *FEEDS])
def test_post_pages_and_feeds_answer_304_to_their_validators(client, world, page):
    url = f"/news/{world['post'].id}" if page == "post" else page
    response = client.get(url)
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    assert response.last_modified is not None
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    since = client.get(url, headers={"If-Modified-Since": response.headers["Last-Modified"]})
    assert since.status_code == 304


def test_a_new_post_changes_the_validators_of_every_page_showing_it(client, db, world):
    before = {url: _etag(client, url) for url in SHOWING_POSTS}
    post = writing.create_post(world["programme"], PostValues(title="Day 2"), actor=None)
    db.session.commit()
    # A draft is on no public page, but the pages may change: never a stale 304.
    writing.publish(post, actor=world["director"])
    db.session.commit()
    for url in SHOWING_POSTS:
        response = client.get(url, headers={"If-None-Match": before[url]})
        assert response.status_code == 200, url
        assert response.headers["ETag"] != before[url], url
        assert "Day 2" in response.get_data(as_text=True), url


def test_a_translation_changes_the_posts_page_and_the_programmes(client, db, world):
    post = world["post"]
    urls = [f"/news/{post.id}", "/programmes/sharing-cities"]
    before = {url: _etag(client, url) for url in urls}
    writing.update_post(
        post,
        PostValues(title=post.title, body=post.body),
        actor=world["director"],
        translations={"ko": {"title": "첫째 날", "body": ""}},
    )
    db.session.commit()
    for url in urls:
        assert _etag(client, url) != before[url], url


def test_an_unpublished_post_is_gone_from_its_page_and_the_feeds(client, db, world):
    post = world["post"]
    tag = _etag(client, f"/news/{post.id}")
    writing.unpublish(post, actor=world["director"])
    db.session.commit()
    assert client.get(f"/news/{post.id}", headers={"If-None-Match": tag}).status_code == 404
    for url in FEEDS:
        assert b"Day 1" not in client.get(url).data
