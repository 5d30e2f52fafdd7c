"""The news archives, the network's (/news) and each centre's (/centres/<slug>/news): every
published post of a public programme, newest first, a page at a time; drafts, posts of
unpublished programmes and other centres' posts never; a page past the last says so."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from lxml import html as lxml_html

from miti_training.models import ProgrammeStatus, utcnow
from miti_training.news.queries import ARCHIVE_PAGE_SIZE
from tests.support.factories import make_centre, make_programme
from tests.support.news_routes import make_post
from tests.support.pages import assert_accessible_page, text_of
from tests.support.sql import statements_for
from tests.support.testdata import hostile_strings


@pytest.fixture
def network(db):
    seoul = make_centre(slug="seoul", name="MITI Headquarters Seoul")
    paris = make_centre(slug="paris", name="MITI Paris Île-de-France", city="Paris")
    forum = make_programme(seoul, slug="forum", title="Sharing Cities forum")
    water = make_programme(paris, slug="water", title="Water course")
    draft = make_programme(seoul, slug="draft", status=ProgrammeStatus.DRAFT)
    start = utcnow() - timedelta(days=60)
    posts = []
    for n in range(ARCHIVE_PAGE_SIZE + 2):  # Seoul's posts fill a page and start another
        post = make_post(forum, published=True, title=f"Seoul post {n:02d}")
        post.published_at = start + timedelta(days=n)
        posts.append(post)
    paris_post = make_post(water, published=True, title="Paris post")
    paris_post.published_at = start + timedelta(days=30)
    make_post(forum, title="Seoul draft")
    make_post(draft, published=True, title="Post of a draft programme")
    db.session.commit()
    return {"seoul": seoul, "paris": paris, "posts": posts}


def _titles(response) -> list[str]:
    tree = lxml_html.fromstring(response.text)
    return [" ".join(h.text_content().split()) for h in tree.xpath("//main//article//h3")]


def test_the_network_archive_lists_every_public_post_newest_first(client, network):
    first = client.get("/news")
    assert first.status_code == 200
    titles = _titles(first)
    assert titles[0] == "Paris post"  # published after every Seoul post
    assert titles[1:] == [f"Seoul post {n:02d}" for n in range(13, 2, -1)]
    assert "15 posts, newest first" in text_of(first)
    assert 'rel="next"' in first.text and "Page 1 of 2" in text_of(first)
    second = client.get("/news?page=2")
    assert _titles(second) == ["Seoul post 02", "Seoul post 01", "Seoul post 00"]
    everything = text_of(first) + text_of(second)
    assert "Seoul draft" not in everything
    assert "Post of a draft programme" not in everything
    assert_accessible_page(first.text)


def test_a_centres_archive_shows_its_posts_only(client, network):
    seoul = client.get("/centres/seoul/news")
    assert seoul.status_code == 200
    assert "Paris post" not in text_of(seoul)
    assert len(_titles(seoul)) == ARCHIVE_PAGE_SIZE
    assert "News of MITI Headquarters Seoul" in text_of(seoul)
    paris = client.get("/centres/paris/news")
    assert _titles(paris) == ["Paris post"]
    assert 'rel="next"' not in paris.text
    assert 'href="/centres/paris/news.atom"' in paris.text
    assert_accessible_page(paris.text)


def test_home_and_centre_pages_link_to_their_archives(client, network):
    assert 'href="/news"' in client.get("/").text
    assert 'href="/centres/seoul/news"' in client.get("/centres/seoul").text


def test_an_empty_archive_says_so(client, db):
    make_centre(slug="cairo", name="MITI Cairo")
    db.session.commit()
    assert "No news yet." in text_of(client.get("/news"))
    assert "No news from this centre yet." in text_of(client.get("/centres/cairo/news"))


@pytest.mark.parametrize("page", ["3", "99999999999999999999", "0", "-1", "two", ""])
def test_any_page_number_gets_a_page_never_an_error(client, network, page):
    response = client.get(f"/news?page={page}")
    assert response.status_code == 200
    if page == "3":
        assert "There are no posts on this page." in text_of(response)
        assert 'href="/news"' in response.text
    else:  # read as the first page, or the last one allowed: never a 500
        assert _titles(response) or "There are no posts on this page." in text_of(response)


def test_an_unknown_or_hostile_centre_is_404_and_a_hostile_page_the_first(client, network):
    assert client.get("/centres/nowhere/news").status_code == 404
    for value in hostile_strings():
        assert client.get(f"/centres/{quote(value, safe='')}/news").status_code == 404, value
        response = client.get("/news", query_string={"page": value})
        assert response.status_code == 200, value
        assert _titles(response) or "There are no posts on this page." in text_of(response)


def test_a_page_costs_the_same_whatever_the_number_of_posts(app, client, network):
    """A count and a page, and the covers' texts: not a statement per post."""
    few = statements_for(app, client, "/centres/paris/news")
    many = statements_for(app, client, "/centres/seoul/news")
    assert many == few


def test_hostile_titles_stay_text(client, network, db):
    post = network["posts"][-1]
    post.title = '<script>alert(1)</script><img src=x onerror=alert(2)>"\u202e'
    db.session.commit()
    html = client.get("/news").text
    assert "<script>alert(1)" not in html and "<img src=x" not in html


def test_the_archive_is_a_public_page_with_validators(client, network):
    response = client.get("/news")
    assert response.headers.get("ETag") and response.cache_control.public
    again = client.get("/news", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    other_page = client.get("/news?page=2", headers={"If-None-Match": response.headers["ETag"]})
    assert other_page.status_code == 200
