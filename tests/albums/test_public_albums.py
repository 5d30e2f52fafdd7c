"""What the public sees of albums: photos of a public programme's ended sessions, not hidden;
everything else is a 404. The pages work without JavaScript, images have their size, lazy
loading and a text alternative; captions stay text; images are cacheable and never sniffed."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, insert, select

from miti_training.db_setup import sqlite_write_transaction
from miti_training.extensions import db
from miti_training.models import Album, AuditEntry, Photo, PhotoTranslation, ProgrammeStatus, utcnow
from tests.support.factories import make_centre, make_programme, make_user, today
from tests.support.pages import assert_accessible_page, text_of
from tests.support.photos import add_photo
from tests.support.sql import recorded_request


@pytest.fixture
def forum(db):
    centre = make_centre(slug="seoul", name="MITI Seoul")
    programme = make_programme(
        centre,
        sessions=2,
        slug="forum",
        title="Sharing Cities",
        starts_on=today() - timedelta(days=3),
    )
    day1, day2 = programme.sessions
    photos = [add_photo(day1, caption="Opening"), add_photo(day1), add_photo(day1, hidden=True)]
    add_photo(day2, caption="Day two")
    db.session.commit()
    return {"centre": centre, "programme": programme, "day1": day1, "day2": day2, "photos": photos}


def test_the_programme_page_shows_each_ended_sessions_visible_photos(client, forum):
    response = client.get("/programmes/forum")
    html = text_of(response)
    assert response.status_code == 200
    shown, second, hidden = forum["photos"]
    assert f"/photos/{shown.id}/thumb.jpg" in html
    assert f"/photos/{second.id}/thumb.jpg" in html
    assert f"/photos/{hidden.id}/" not in html
    assert f"/programmes/forum/photos/{hidden.id}" not in html
    for tag in re.findall(r"<img [^>]*thumb\.jpg[^>]*>", html):
        assert 'loading="lazy"' in tag and 'width="' in tag and 'height="' in tag and 'alt="' in tag
    assert 'alt="Opening"' in html
    assert 'alt="Photo 2 of Day 1"' in html
    assert html.count('class="photo-grid"') == 2
    assert_accessible_page(html)


def test_the_photo_page_shows_the_web_size_image_with_its_caption(client, forum):
    shown, second, _hidden = forum["photos"]
    response = client.get(f"/programmes/forum/photos/{shown.id}")
    html = text_of(response)
    assert response.status_code == 200
    assert f'src="/photos/{shown.id}/web.jpg"' in html
    assert f'width="{shown.width}" height="{shown.height}"' in html
    assert "<figcaption" in html and "Opening" in html
    assert "Photo 1 of 2: Day 1" in html  # the hidden one is not counted
    assert f'href="/programmes/forum/photos/{second.id}" rel="next"' in html
    assert_accessible_page(html)


def test_photo_page_views_are_counted(client, forum):
    shown = forum["photos"][0]
    for _ in range(3):
        assert client.get(f"/programmes/forum/photos/{shown.id}").status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(Album.views).where(Album.session_id == forum["day1"].id)) == 3


def test_a_view_is_counted_when_another_process_wrote_during_the_page(app, client, forum):
    """On SQLite a GET reads in a plain transaction: another process's write in the middle of
    the page must not turn the counting into a 503 (nor lose the count)."""
    url = f"/programmes/forum/photos/{forum['photos'][0].id}"
    db.session.rollback()  # the test's own session holds no lock
    wrote = []

    def someone_else_writes(_conn, _cursor, statement, *_args):
        reading = not sqlite_write_transaction.get()  # the GET request's statements only
        if (
            reading
            and not wrote
            and statement.lstrip().startswith("SELECT")
            and "photos" in statement
        ):
            wrote.append(True)
            with db.engine.begin() as other:
                other.execute(insert(AuditEntry).values(action="elsewhere"))

    event.listen(db.engine, "after_cursor_execute", someone_else_writes)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "after_cursor_execute", someone_else_writes)
    assert wrote and response.status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(Album.views).where(Album.session_id == forum["day1"].id)) == 1


def test_a_photo_page_loads_one_photo_whatever_the_size_of_the_albums(app, client, forum):
    """The page reads its photo and only the ids of its album's others, not every photo of
    every album of the programme."""
    for _ in range(6):
        add_photo(forum["day2"])
    db.session.commit()
    shown, second, _hidden = forum["photos"]
    loaded = []

    def count(target, _context):
        loaded.append(target.id)

    event.listen(Photo, "load", count)
    try:
        html = text_of(client.get(f"/programmes/forum/photos/{second.id}"))
    finally:
        event.remove(Photo, "load", count)
    assert loaded == [second.id]
    assert "Photo 2 of 2: Day 1" in html
    assert f'href="/programmes/forum/photos/{shown.id}" rel="prev"' in html
    assert 'rel="next"' not in html


@pytest.mark.parametrize("size", ["thumb", "web"])
def test_a_revalidation_does_not_read_the_image(app, client, forum, size):
    url = f"/photos/{forum['photos'][0].id}/{size}.jpg"
    etag = client.get(url).headers["ETag"]
    response, statements = recorded_request(app, client, url, headers={"If-None-Match": etag})
    assert response.status_code == 304 and response.headers["ETag"] == etag
    assert not [s for s in statements if "photo_files" in s]
    response, statements = recorded_request(app, client, url, headers={"If-None-Match": '"x"'})
    assert response.status_code == 200 and response.data


def _all_urls(photo, slug="forum"):
    return [
        f"/programmes/{slug}/photos/{photo.id}",
        f"/photos/{photo.id}/web.jpg",
        f"/photos/{photo.id}/thumb.jpg",
    ]


def test_a_hidden_photo_is_404_everywhere(client, forum):
    for url in _all_urls(forum["photos"][2]):
        assert client.get(url).status_code == 404, url


def test_hiding_takes_effect_at_once(client, forum):
    photo = forum["photos"][0]
    assert client.get(f"/photos/{photo.id}/web.jpg").status_code == 200
    photo.is_hidden = True
    db.session.commit()
    for url in _all_urls(photo):
        assert client.get(url).status_code == 404, url
    assert f"/photos/{photo.id}/" not in text_of(client.get("/programmes/forum"))


@pytest.mark.parametrize("size", ["thumb", "web"])
def test_a_cache_asking_again_after_hiding_is_told_404(client, forum, size):
    """What a shared cache holding the photo hears when it revalidates, as it must each time."""
    photo = forum["photos"][0]
    etag = client.get(f"/photos/{photo.id}/{size}.jpg").headers["ETag"]
    photo.is_hidden = True
    db.session.commit()
    again = client.get(f"/photos/{photo.id}/{size}.jpg", headers={"If-None-Match": etag})
    assert again.status_code == 404 and b"\xff\xd8" not in again.data


def test_photos_of_a_session_not_yet_ended_are_404(client, db):
    programme = make_programme(
        make_centre(), sessions=1, slug="coming", starts_on=today() + timedelta(days=5)
    )
    photo = add_photo(programme.sessions[0])
    db.session.commit()
    for url in _all_urls(photo, "coming"):
        assert client.get(url).status_code == 404, url
    assert "/thumb.jpg" not in text_of(client.get("/programmes/coming"))


@pytest.mark.parametrize("status", [ProgrammeStatus.DRAFT])
def test_photos_of_a_draft_are_404(client, login, db, status):
    programme = make_programme(
        make_centre(),
        sessions=1,
        slug="draft",
        status=status,
        starts_on=today() - timedelta(days=3),
    )
    photo = add_photo(programme.sessions[0])
    db.session.commit()
    for url in _all_urls(photo, "draft"):
        assert client.get(url).status_code == 404, url
    login(make_user())
    for url in _all_urls(photo, "draft"):
        assert client.get(url).status_code == 404, url


def test_an_unknown_size_or_photo_is_404(client, forum):
    photo = forum["photos"][0]
    assert client.get(f"/photos/{photo.id}/original.jpg").status_code == 404
    assert client.get("/photos/999999/web.jpg").status_code == 404
    make_programme(make_centre(slug="paris"), slug="other", starts_on=today() - timedelta(days=9))
    db.session.commit()
    assert client.get(f"/programmes/other/photos/{photo.id}").status_code == 404


def test_images_are_cacheable_by_their_digest_and_never_sniffed(client, forum):
    photo = forum["photos"][0]
    response = client.get(f"/photos/{photo.id}/thumb.jpg")
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.cache_control.public and response.cache_control.max_age == 600
    assert response.headers["ETag"] == f'"{photo.thumb_digest}"'
    assert "Set-Cookie" not in response.headers
    # A shared cache asks again every time, so a photo hidden is gone for everyone at once;
    # a browser that has shown it keeps its copy a while.
    assert response.cache_control.s_maxage == 0
    again = client.get(
        f"/photos/{photo.id}/thumb.jpg", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""


def test_images_stay_public_for_a_signed_in_visitor(client, login, forum):
    """The image is the same for everyone: signing in neither changes it nor adds a cookie."""
    login(make_user())
    response = client.get(f"/photos/{forum['photos'][0].id}/web.jpg")
    assert response.status_code == 200
    assert response.cache_control.public
    assert "Set-Cookie" not in response.headers


HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>"\u202e'


def test_hostile_captions_stay_text(client, forum):
    photo = forum["photos"][0]
    photo.caption = HOSTILE
    db.session.add(PhotoTranslation(photo=photo, language="fr", caption=HOSTILE + " fr"))
    db.session.commit()
    for url in ("/programmes/forum", f"/programmes/forum/photos/{photo.id}", "/centres/seoul"):
        for lang in ("en", "fr"):
            html = text_of(client.get(url, headers={"Accept-Language": lang}))
            assert "<script>alert(1)" not in html
            assert "<img src=x" not in html


def test_captions_show_in_the_visitors_language(client, forum):
    photo = forum["photos"][0]
    db.session.add(PhotoTranslation(photo=photo, language="fr", caption="Ouverture"))
    db.session.commit()
    html = text_of(
        client.get(f"/programmes/forum/photos/{photo.id}", headers={"Accept-Language": "fr"})
    )
    assert "Ouverture" in html


def test_the_centre_page_shows_its_latest_albums(client, forum):
    html = text_of(client.get("/centres/seoul"))
    assert "Latest photos" in html
    assert 'href="/programmes/forum#album-' in html
    hidden = forum["photos"][2]
    assert f"/photos/{hidden.id}/" not in html
    assert "3 photos" not in html and "2 photos" in html and "1 photo" in html
    assert_accessible_page(html)


def test_a_sessions_end_bounds_the_programme_pages_freshness(forum):
    """The album appears when its session ends: a cache keeps the page no longer than that,
    and once it has ended the end counts as a change."""
    from miti_training.programmes.freshness import programme_freshness

    hour = (utcnow() + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    forum["day2"].ends_at = hour + timedelta(minutes=20)
    db.session.commit()
    before = programme_freshness("forum", now=hour + timedelta(minutes=5))
    assert before.next_change == hour + timedelta(minutes=20)
    after = programme_freshness("forum", now=hour + timedelta(minutes=30))
    assert after.last_modified == hour + timedelta(minutes=20)
