"""A cover shows only while the public may see its photo: hidden later, it leaves the post's
page, the lists and the feeds (whose validators change), and its image is a 404; deleted, the
post keeps no cover. The feeds carry a visible cover as an enclosure. Lists of posts load their
covers at a cost that does not grow with the number of posts."""

import re

import pytest
from defusedxml import ElementTree as ET
from lxml import html as lxml_html

from miti_training.albums import curating
from miti_training.models import NewsPost
from tests.support.news_routes import make_post, post_form
from tests.support.pages import text_of
from tests.support.sql import recorded_request

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "http://testserver.example"
FEEDS = ["/centres/seoul/news.atom", "/news.atom"]
LISTS = ["/programmes/sharing-cities", "/centres/seoul", "/"]


def _choose(db, forum, name="opening", post=None):
    post = post or forum["post"]
    post.cover_photo_id = forum["photos"][name].id
    db.session.commit()
    return forum["photos"][name]


def _covers_in(html: str) -> list[str]:
    return re.findall(r'<img class="news-cover" src="([^"]+)"', html)


def _entry_links(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.data)  # well-formed, entities refused
    (entry,) = root.findall(f"{ATOM}entry")
    return [dict(link.attrib) for link in entry.findall(f"{ATOM}link")]


@pytest.mark.parametrize("url", FEEDS)
def test_the_feed_entry_carries_the_cover_as_an_enclosure(client, db, forum, url):
    opening = _choose(db, forum)
    post_url = f"{BASE}/news/{forum['post'].id}"
    image = f"{BASE}/photos/{opening.id}/web.jpg"
    assert _entry_links(client, url) == [
        {"href": post_url, "rel": "alternate", "type": "text/html"},
        {"href": image, "rel": "enclosure", "type": "image/jpeg"},
    ]
    fetched = client.get(image.removeprefix(BASE))
    assert fetched.status_code == 200 and fetched.mimetype == "image/jpeg"


def test_an_entry_without_a_cover_has_its_link_only(client, db, forum):
    (link,) = _entry_links(client, "/news.atom")
    assert link["rel"] == "alternate"


def _etags(client, urls) -> dict[str, str]:
    tags = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        tags[url] = response.headers["ETag"]
    return tags


@pytest.mark.parametrize("how", ["hidden", "deleted"])
def test_a_cover_hidden_or_deleted_later_leaves_every_page_and_feed(client, db, forum, how):
    opening = _choose(db, forum)
    post_page = f"/news/{forum['post'].id}"
    image = f"/photos/{opening.id}/web.jpg"
    thumb = f"/photos/{opening.id}/thumb.jpg"
    for url in (post_page, *LISTS):
        assert f"/photos/{opening.id}/" in " ".join(_covers_in(text_of(client.get(url)))), url
    before = _etags(client, [post_page, *LISTS, *FEEDS])

    if how == "hidden":
        curating.set_hidden(opening, True, actor=forum["director"])
    else:
        curating.delete(opening, actor=forum["director"])
    db.session.commit()

    for url, tag in before.items():
        response = client.get(url, headers={"If-None-Match": tag})
        assert response.status_code == 200, url  # never a stale 304
        assert response.headers["ETag"] != tag, url
        assert f"/photos/{opening.id}/" not in text_of(response), url
    for url in FEEDS:
        assert len(_entry_links(client, url)) == 1
    assert client.get(image).status_code == 404
    assert client.get(thumb).status_code == 404
    cover = db.session.get(NewsPost, forum["post"].id).cover_photo_id
    # A hidden photo stays chosen (shown again, it is the cover again); a deleted one is gone.
    assert cover == (opening.id if how == "hidden" else None)


def test_a_cover_shown_again_comes_back(client, db, forum):
    opening = _choose(db, forum)
    curating.set_hidden(opening, True, actor=forum["director"])
    db.session.commit()
    assert _covers_in(text_of(client.get("/"))) == []
    curating.set_hidden(opening, False, actor=forum["director"])
    db.session.commit()
    assert _covers_in(text_of(client.get("/"))) == [f"/photos/{opening.id}/thumb.jpg"]


def test_a_cover_no_longer_public_is_not_offered_and_the_form_says_so(client, login, db, forum):
    opening = _choose(db, forum)
    curating.set_hidden(opening, True, actor=forum["director"])
    db.session.commit()
    login(forum["director"])
    edit = f"/manage/seoul/programmes/{forum['programme'].id}/news/{forum['post'].id}/edit"
    page = client.get(edit)
    tree = lxml_html.fromstring(text_of(page))
    assert tree.xpath('//input[@name="cover_photo_id"][@checked]/@value') == [""]
    assert str(opening.id) not in tree.xpath('//input[@name="cover_photo_id"]/@value')
    assert "The cover photo chosen before is no longer public" in text_of(page)
    assert client.post(edit, data=post_form(cover_photo_id="")).status_code == 302
    db.session.expire_all()
    assert db.session.get(NewsPost, forum["post"].id).cover_photo_id is None


def _selects(client, db, url: str) -> int:
    db.session.commit()
    response, statements = recorded_request(None, client, url)
    assert response.status_code == 200, url
    return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))


@pytest.mark.parametrize("url", [*LISTS, *FEEDS])
def test_covers_cost_the_same_for_one_post_or_many(client, db, forum, url):
    without = _selects(client, db, url)
    _choose(db, forum, "opening")
    one = _selects(client, db, url)
    names = ["plain", "day2", "opening", "plain"]
    for n, name in enumerate(names):
        post = make_post(forum["programme"], published=True, title=f"Post {n}")
        _choose(db, forum, name, post=post)
    many = _selects(client, db, url)
    assert len(_covers_in(text_of(client.get(url)))) == (5 if url in LISTS else 0)
    # The covers' captions and their sessions' titles: one statement each, whatever the number.
    assert one <= without + 2
    assert many == one, (url, without, one, many)
