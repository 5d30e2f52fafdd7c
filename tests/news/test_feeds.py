"""The Atom feeds of a centre and of the network: well-formed Atom, published posts only,
newest first, links to the posts, hostile texts escaped."""

from datetime import timedelta

import pytest
from defusedxml import ElementTree as ET

from miti_training.models import ProgrammeStatus, utcnow
from tests.support.factories import make_centre, make_programme
from tests.support.news_routes import make_post
from tests.support.testdata import hostile_strings

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BASE = "http://testserver.example"


@pytest.fixture
def world(db):
    seoul = make_centre(slug="seoul", name="MITI Headquarters Seoul")
    paris = make_centre(slug="paris", name="MITI Paris Île-de-France")
    forum = make_programme(seoul, slug="sharing-cities", title="Sharing Cities")
    older = make_post(forum, published=True, title="Day 1: MoU signing")
    older.published_at = utcnow() - timedelta(days=2)
    newer = make_post(forum, published=True, title="Day 2: 개막 포럼", original_language="ko")
    draft = make_post(forum, title="Still a draft")
    in_paris = make_post(make_programme(paris), published=True, title="Paris workshop")
    in_paris.published_at = utcnow() - timedelta(days=1)
    hidden = make_post(
        make_programme(seoul, status=ProgrammeStatus.DRAFT), published=True, title="Draft programme"
    )
    db.session.commit()
    return {"older": older, "newer": newer, "draft": draft, "paris": in_paris, "hidden": hidden}


def _feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    return root


def _titles(root) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]


def test_the_centre_feed_lists_its_published_posts_newest_first(client, world):
    root = _feed(client, "/centres/seoul/news.atom")
    assert _titles(root) == ["Day 2: 개막 포럼", "Day 1: MoU signing"]
    assert root.findtext(f"{ATOM}id") == f"{BASE}/centres/seoul"
    assert root.findtext(f"{ATOM}title") == "News of MITI Headquarters Seoul"
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "MITI Headquarters Seoul"
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {
        "alternate": f"{BASE}/centres/seoul",
        "self": f"{BASE}/centres/seoul/news.atom",
    }
    assert root.get(XML_LANG) == "en"
    updated = root.findtext(f"{ATOM}updated")
    assert updated.startswith(str(world["newer"].updated_at.date()))


def test_each_entry_has_its_id_link_dates_author_language_and_html_content(client, world):
    root = _feed(client, "/centres/seoul/news.atom")
    entry = root.find(f"{ATOM}entry")
    url = f"{BASE}/news/{world['newer'].id}"
    assert entry.findtext(f"{ATOM}id") == url
    (link,) = entry.findall(f"{ATOM}link")
    assert (link.get("rel"), link.get("href"), link.get("type")) == ("alternate", url, "text/html")
    assert entry.get(XML_LANG) == "ko"
    assert entry.findtext(f"{ATOM}published") and entry.findtext(f"{ATOM}updated")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "MITI Headquarters Seoul"
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert content.text.startswith('<p dir="auto">The centres signed their MoUs.</p>')
    assert '<a href="https://example.org/day-1" rel="nofollow noopener">' in content.text


def test_the_network_feed_lists_every_centre(client, world):
    root = _feed(client, "/news.atom")
    assert _titles(root) == ["Day 2: 개막 포럼", "Paris workshop", "Day 1: MoU signing"]
    assert root.findtext(f"{ATOM}id") == f"{BASE}/"


def test_an_empty_feed_is_still_valid(client, db):
    make_centre(slug="cairo")
    db.session.commit()
    root = _feed(client, "/centres/cairo/news.atom")
    assert _titles(root) == [] and root.findtext(f"{ATOM}updated")
    assert client.get("/centres/nowhere/news.atom").status_code == 404


def test_hostile_titles_and_texts_are_escaped_in_the_feed(client, db):
    programme = make_programme(make_centre(slug="seoul"))
    values = [value for value in hostile_strings() if len(value) < 200]
    for n, value in enumerate(values):
        post = make_post(
            programme, published=True, title=value, body=f"{value}\n\nhttps://ok.example/"
        )
        post.published_at = utcnow() - timedelta(minutes=n)
    db.session.commit()
    root = _feed(client, "/centres/seoul/news.atom")
    entries = root.findall(f"{ATOM}entry")
    # The title reads as typed (XML drops the characters it cannot hold: control characters).
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "".join(c for c in v if c >= " " or c in "\t\n\r") for v in values
    ][: len(entries)]
    for entry in entries:
        html = entry.findtext(f"{ATOM}content")
        assert "<script" not in html and "<img" not in html
        assert 'href="javascript' not in html
