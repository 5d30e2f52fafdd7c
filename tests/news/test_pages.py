"""The news pages over HTTP: staff write, translate, publish and unpublish; the public sees
published posts only, on the programme's page, the centre's page, the home page and the post's
own page; hostile texts stay text."""

import pytest
from lxml import html as lxml_html

from miti_training.models import NewsPost, NewsPostStatus
from tests.support.factories import make_centre, make_programme, make_staff
from tests.support.news_routes import make_post, post_form
from tests.support.pages import flashes, follow, text_of
from tests.support.testdata import hostile_strings


@pytest.fixture
def seoul(db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul")
    programme = make_programme(centre, slug="sharing-cities", title="Sharing Cities forum")
    db.session.commit()
    return {"centre": centre, "programme": programme}


def _manage(seoul, path=""):
    return f"/manage/seoul/programmes/{seoul['programme'].id}/news{path}"


def test_a_director_writes_translates_and_publishes_a_post(client, login, db, seoul):
    login(make_staff(seoul["centre"], "director"))
    response = client.post(_manage(seoul, "/new"), data=post_form())
    landing = follow(client, response)
    assert ("success", "The draft post “After the forum” has been saved.") in flashes(landing)
    post = db.session.query(NewsPost).one()
    assert post.status == NewsPostStatus.DRAFT
    assert client.get(f"/news/{post.id}").status_code == 200  # staff: still not public...
    client.post("/account/logout")
    assert client.get(f"/news/{post.id}").status_code == 404  # ...to the public
    assert "After the forum" not in text_of(client.get("/programmes/sharing-cities"))

    login(make_staff(seoul["centre"], "director"))
    edited = post_form(title="After the Sharing Cities forum", title_fr="Après le forum")
    landing = follow(client, client.post(_manage(seoul, f"/{post.id}/edit"), data=edited))
    assert any("has been saved" in message for _c, message in flashes(landing))
    landing = follow(client, client.post(_manage(seoul, f"/{post.id}/publish")))
    assert any("is published" in message for _c, message in flashes(landing))
    client.post("/account/logout")

    page = client.get(f"/news/{post.id}")
    assert page.status_code == 200
    assert "After the Sharing Cities forum" in text_of(page)
    assert 'href="https://metropolis.org/news" rel="nofollow noopener"' in page.text
    korean = client.get(f"/news/{post.id}", headers={"Accept-Language": "ko"})
    assert "포럼을 마치며" in text_of(korean)
    french = client.get(f"/news/{post.id}", headers={"Accept-Language": "fr"})
    assert "Après le forum" in text_of(french)
    for url in ("/programmes/sharing-cities", "/centres/seoul", "/"):
        assert "After the Sharing Cities forum" in text_of(client.get(url)), url
    # The programme page shows the whole text, the lists a link to the post.
    assert "Thank you to every city." in text_of(client.get("/programmes/sharing-cities"))
    assert f'href="/news/{post.id}"' in client.get("/").text


def test_unpublishing_makes_the_post_404_again(client, login, db, seoul):
    post = make_post(seoul["programme"], published=True)
    db.session.commit()
    assert client.get(f"/news/{post.id}").status_code == 200
    login(make_staff(seoul["centre"], "director"))
    landing = follow(client, client.post(_manage(seoul, f"/{post.id}/unpublish")))
    assert any("is a draft again" in message for _c, message in flashes(landing))
    client.post("/account/logout")
    assert client.get(f"/news/{post.id}").status_code == 404
    assert post.title not in text_of(client.get("/centres/seoul"))


def test_a_coordinator_drafts_but_neither_publishes_nor_changes_a_published_post(
    client, login, db, seoul
):
    draft = make_post(seoul["programme"])
    published = make_post(seoul["programme"], published=True, title="Published")
    login(make_staff(seoul["centre"], "coordinator"))
    page = client.get(_manage(seoul))
    assert page.status_code == 200 and "/publish" not in page.text
    assert client.get(_manage(seoul, f"/{draft.id}/edit")).status_code == 200
    assert client.get(_manage(seoul, f"/{published.id}/edit")).status_code == 403
    assert client.post(_manage(seoul, f"/{published.id}/edit"), data=post_form()).status_code == 403
    assert client.post(_manage(seoul, f"/{draft.id}/publish")).status_code == 403
    db.session.expire_all()
    assert db.session.get(NewsPost, published.id).title == "Published"


def test_a_post_of_another_programme_or_centre_is_404(client, login, db, seoul):
    other_programme = make_programme(seoul["centre"], title="Another")
    theirs = make_post(other_programme)
    paris_post = make_post(make_programme(make_centre(slug="paris")))
    login(make_staff(seoul["centre"], "director"))
    for post in (theirs, paris_post):
        assert client.get(_manage(seoul, f"/{post.id}/edit")).status_code == 404
        assert client.post(_manage(seoul, f"/{post.id}/publish")).status_code == 404
    assert client.get("/manage/paris/programmes/1/news").status_code == 403


def test_a_refused_post_shows_its_errors_and_saves_nothing(client, login, db, seoul):
    login(make_staff(seoul["centre"], "director"))
    response = client.post(
        _manage(seoul, "/new"), data=post_form(title="", title_ko="", body_ko="본문")
    )
    assert response.status_code == 422
    assert "Enter the title of the post." in text_of(response)
    assert db.session.query(NewsPost).count() == 0


def test_publishing_waits_for_the_programme(client, login, db, seoul):
    from miti_training.models import ProgrammeStatus

    draft = make_programme(seoul["centre"], status=ProgrammeStatus.DRAFT)
    post = make_post(draft)
    login(make_staff(seoul["centre"], "director"))
    url = f"/manage/seoul/programmes/{draft.id}/news/{post.id}/publish"
    landing = follow(client, client.post(url))
    assert (
        "error",
        "Publish the programme first: its news can only be public with it.",
    ) in flashes(landing)
    assert db.session.get(NewsPost, post.id).status == NewsPostStatus.DRAFT


HOSTILE = [value for value in hostile_strings() if "<" in value or "javascript" in value]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_titles_and_texts_stay_text_on_every_public_page(client, db, seoul, value):
    post = make_post(
        seoul["programme"],
        published=True,
        title=value[:200],
        body=f"{value}\n\nhttps://safe.example/{value}",
    )
    db.session.commit()
    for url in (f"/news/{post.id}", "/programmes/sharing-cities", "/centres/seoul", "/"):
        response = client.get(url)
        assert response.status_code == 200
        if "<" in value:
            assert value not in response.text, url
        tree = lxml_html.fromstring(response.text)
        assert not tree.xpath("//script[not(@src)]"), url
        assert not tree.xpath("//img"), url
        # The post's links, and no link made of what was typed but the one address.
        for link in tree.xpath("//main//a[@rel='nofollow noopener']"):
            assert link.get("href").startswith("https://safe.example/"), url
        assert not tree.xpath("//a[starts-with(@href, 'javascript')]"), url
    page = lxml_html.fromstring(client.get(f"/news/{post.id}").text)
    assert page.xpath("string(//h1)").strip() == value[:200].strip()


def test_centre_and_home_pages_point_feed_readers_to_the_feeds(client, db, seoul):
    for url, feed in (("/centres/seoul", "/centres/seoul/news.atom"), ("/", "/news.atom")):
        tree = lxml_html.fromstring(client.get(url).text)
        (link,) = tree.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']")
        assert link.get("href") == feed
