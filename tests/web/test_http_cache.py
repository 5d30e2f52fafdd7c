"""HTTP caching of the anonymous public pages (web/http_cache.py, programmes/freshness.py):
validators, 304 answers that render nothing, every change that must give a new validator,
and nothing of the kind for a signed-in user or a personal page."""

import re
import time
from datetime import timedelta

import pytest
from flask import template_rendered
from sqlalchemy import update

from miti_training.accounts import calendar_feed
from miti_training.extensions import db as _db
from miti_training.models import Centre, CentreTranslation, Programme, utcnow
from miti_training.programmes import drafts, sessions
from miti_training.programmes.drafts import TranslationValues
from miti_training.registrations import enrolment, seats
from tests.support.factories import (
    PASSWORD,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.pages import text_of
from tests.support.sql import recorded_request

PROGRAMME_PAGES = [
    "/programmes/peer-review",
    "/programmes/peer-review.ics",
    "/api/v1/programmes/peer-review",
]
LISTS = ["/", "/programmes", "/programmes?theme=urban_governance&page=1", "/centres/seoul"]
LISTS += ["/api/v1/programmes", "/api/v1/centres"]
PUBLIC_PAGES = PROGRAMME_PAGES + LISTS


@pytest.fixture
def world(db):
    """A published programme in Seoul whose rows were last changed two hours ago."""
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul")
    programme = make_programme(centre, slug="peer-review", title="Peer Review Process", sessions=2)
    director = make_staff(centre, "director")
    _backdate()
    return {"centre": centre, "programme": programme, "director": director}


def _backdate(hours: int = 2) -> None:
    """Every programme and centre last changed hours ago (set explicitly: no onupdate)."""
    before = utcnow() - timedelta(hours=hours)
    _db.session.execute(update(Programme).values(updated_at=before))
    _db.session.execute(update(Centre).values(updated_at=before))
    _db.session.commit()
    _db.session.expire_all()
    # Last-Modified is the start of the hour at the earliest: sent once a second old.
    if utcnow().minute == 0 and utcnow().second < 2:
        time.sleep(2)


def _etag(client, url: str, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, text_of(response)[:300])
    return response.headers["ETag"]


def _queries(statements: list[str]) -> list[str]:
    """The statements that read or write (SQLite's BEGIN IMMEDIATE/DEFERRED apart)."""
    return [s for s in statements if not s.upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))]


@pytest.fixture
def rendered(app):
    """The templates rendered while the test runs."""
    names: list[str] = []

    def record(_sender, template, context, **_extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    yield names
    template_rendered.disconnect(record, app)


# Validators --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_an_anonymous_public_page_has_validators_and_public_caching(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert re.fullmatch(r'W/"[0-9a-f]{32}"', response.headers["ETag"])
    assert response.last_modified is not None
    assert response.last_modified <= utcnow()
    max_age = int(re.fullmatch(r"public, max-age=(\d+)", response.headers["Cache-Control"])[1])
    assert 0 < max_age <= 60
    assert {"Accept-Language", "Cookie"} <= set(response.vary)
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_if_none_match_answers_304_without_rendering(app, client, world, rendered, url):
    tag = _etag(client, url)
    rendered.clear()
    response, statements = recorded_request(app, client, url, headers={"If-None-Match": tag})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == tag
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    # The validator's one query; the page's own queries and templates never ran.
    assert len(_queries(statements)) == 1, statements
    assert rendered == []


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_if_modified_since_answers_304_when_nothing_is_newer(app, client, world, rendered, url):
    since = client.get(url).headers["Last-Modified"]
    rendered.clear()
    response, statements = recorded_request(app, client, url, headers={"If-Modified-Since": since})
    assert response.status_code == 304 and response.data == b""
    assert len(_queries(statements)) == 1 and rendered == []

    older = "Mon, 01 Jan 2024 00:00:00 GMT"
    assert client.get(url, headers={"If-Modified-Since": older}).status_code == 200


def test_if_none_match_wins_over_if_modified_since(client, world):
    response = client.get("/programmes")
    headers = {
        "If-None-Match": 'W/"another"',
        "If-Modified-Since": response.headers["Last-Modified"],
    }
    assert client.get("/programmes", headers=headers).status_code == 200


@pytest.mark.parametrize("url", ["/programmes", "/programmes/peer-review", "/api/v1/centres"])
def test_head_answers_like_get(client, world, url):
    head = client.head(url)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == _etag(client, url)
    assert client.head(url, headers={"If-None-Match": head.headers["ETag"]}).status_code == 304


def test_a_change_within_the_last_second_sends_no_last_modified(client, world):
    """An HTTP date counts whole seconds: a second change in the same second would hide.

    The change is made at the start of a second, and the check counts only when the answer
    came within that second (once the second has passed, Last-Modified is rightly sent)."""
    for edition in range(2, 6):
        now = utcnow()
        time.sleep(1 - now.microsecond / 1_000_000 + 0.01)
        world["programme"].title = f"Peer Review Process, edition {edition}"
        _db.session.flush()
        changed = world["programme"].updated_at.replace(microsecond=0)
        response = client.get("/programmes/peer-review")
        if utcnow() < changed + timedelta(seconds=1):
            break
    else:
        pytest.fail("no answer came within the second of its change in four tries")
    assert response.status_code == 200 and "ETag" in response.headers
    assert "Last-Modified" not in response.headers


# What gives a new validator ----------------------------------------------------------------


def _changes_every_page(client, change, urls=PUBLIC_PAGES) -> None:
    before = {url: _etag(client, url) for url in urls}
    since = {url: client.get(url).headers["Last-Modified"] for url in urls}
    change()
    for url in urls:
        assert _etag(client, url) != before[url], url
        assert client.get(url, headers={"If-None-Match": before[url]}).status_code == 200, url
        assert client.get(url, headers={"If-Modified-Since": since[url]}).status_code == 200, url


def test_a_registration_taking_a_seat(client, world, db):
    programme = world["programme"]

    def register():
        enrolment.register(
            programme, make_user(), answers={}, consent_data=True, consent_listing=False
        )
        db.session.commit()

    _changes_every_page(client, register)
    assert programme.seats_taken == 1


def test_the_seat_counters_own_update_sets_updated_at(world, db):
    programme = world["programme"]
    before = programme.updated_at
    assert seats.take_seat(programme)
    db.session.commit()
    assert programme.updated_at > before


def test_an_edit_of_the_title(client, world, db):
    def edit():
        world["programme"].title = "Peer Review Process in cities"
        db.session.commit()

    _changes_every_page(client, edit)


def test_a_translation_added_and_removed(client, world, db):
    programme, director = world["programme"], world["director"]

    def translate(values):
        def change():
            drafts.set_translations(programme, {"fr": values}, actor=director)
            db.session.commit()

        return change

    _changes_every_page(client, translate(TranslationValues(title="Examen par les pairs")))
    _backdate()
    _changes_every_page(client, translate(TranslationValues()))


def test_a_session_removed_or_renamed_in_another_language(client, world, db):
    programme, director = world["programme"], world["director"]

    def remove():
        sessions.remove_session(programme.sessions[-1], actor=director)
        db.session.commit()

    _changes_every_page(client, remove, PROGRAMME_PAGES)
    _backdate()
    first = programme.sessions[0]

    def rename():
        sessions.update_session(
            first,
            title=first.title,
            starts_at=first.starts_at,
            ends_at=first.ends_at,
            translations={"ko": {"title": "첫째 날"}},
            actor=director,
        )
        db.session.commit()

    _changes_every_page(client, rename, PROGRAMME_PAGES)


def test_a_centre_edit_and_a_centre_translation(client, world, db):
    centre = world["centre"]

    def describe():
        centre.description = "Training for the officials of Metropolis member cities."
        db.session.commit()

    _changes_every_page(client, describe)
    _backdate()

    def translate():
        db.session.add(CentreTranslation(centre=centre, language="fr", name="MITI Séoul"))
        db.session.commit()

    _changes_every_page(client, translate)


def test_time_passing_a_registration_deadline(client, world, db):
    """No row changes: the closing moment passes, and the page's state with it."""
    closes = utcnow() + timedelta(seconds=2)
    db.session.execute(
        update(Programme).values(registration_closes_at=closes, updated_at=Programme.updated_at)
    )
    db.session.commit()
    response = client.get("/programmes/peer-review")
    assert int(response.headers["Cache-Control"].rpartition("=")[2]) <= 2
    before = {url: _etag(client, url) for url in PUBLIC_PAGES}
    time.sleep(max(0.0, (closes - utcnow()).total_seconds()) + 0.1)
    for url in PUBLIC_PAGES:
        assert _etag(client, url) != before[url], url
        assert client.get(url, headers={"If-None-Match": before[url]}).status_code == 200


def test_another_language(client, world):
    for url in PUBLIC_PAGES:
        english = _etag(client, url, **{"Accept-Language": "en"})
        french = _etag(client, url, **{"Accept-Language": "fr"})
        assert english != french, url
        headers = {"Accept-Language": "fr", "If-None-Match": english}
        assert client.get(url, headers=headers).status_code == 200, url

    url = "/programmes/peer-review"
    before = _etag(client, url)
    assert client.post("/language", data={"lang": "ko", "next": url}).status_code == 302
    assert _etag(client, url) != before
    assert client.get(url, headers={"If-None-Match": before}).status_code == 200


def test_another_query_string_or_page(client, world):
    tags = {_etag(client, url) for url in ("/programmes", "/programmes?page=2", "/programmes?q=")}
    assert len(tags) == 3


# Never for a signed-in user, never for personal pages --------------------------------------


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_signed_in_user_gets_no_validator_and_no_304(client, login, world, url):
    tag = _etag(client, url)
    since = client.get(url).headers["Last-Modified"]
    login(make_user())
    for headers in ({}, {"If-None-Match": tag}, {"If-Modified-Since": since}):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, headers
        assert "ETag" not in response.headers and "Last-Modified" not in response.headers
        assert response.headers["Cache-Control"] == "private, no-store"


def test_the_personal_calendar_feed_and_personal_pages_never_get_public_caching(
    client, login, world, db
):
    user = make_user()
    registration = make_registration(world["programme"], user)
    token = calendar_feed.new_calendar_token(user)
    db.session.commit()
    feed = client.get(f"/calendar/{token}.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert "ETag" not in feed.headers and feed.headers["Cache-Control"] == "private, no-store"

    login(user)
    for url in ("/my/registrations", f"/my/registrations/{registration.id}", "/account/profile"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "ETag" not in response.headers, url
        assert response.headers["Cache-Control"] == "private, no-store", url


def test_a_drafts_page_is_not_cached_and_answers_404(client, world):
    make_programme(world["centre"], slug="a-draft", status="draft")
    response = client.get("/programmes/a-draft", headers={"If-None-Match": "*"})
    assert response.status_code == 404 and "ETag" not in response.headers


# No cookie and no one's CSRF token on a public page ----------------------------------------


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.mark.parametrize("url", ["/", "/programmes", "/programmes/peer-review", "/centres/seoul"])
def test_a_public_page_sets_no_cookie_and_carries_no_token(client, world, csrf_on, url):
    response = client.get(url)
    assert "Set-Cookie" not in response.headers
    tokens = re.findall(r'name="csrf_token" value="([^"]*)"', text_of(response))
    assert tokens and set(tokens) == {""}


def _token(client, url: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', text_of(client.get(url)))[1]


def test_the_language_form_of_a_public_page_works_without_a_token(client, world, csrf_on):
    own_page = {"Origin": "http://localhost"}
    response = client.post("/language", data={"lang": "fr"}, headers=own_page)
    assert response.status_code == 302
    assert '<html lang="fr"' in text_of(client.get("/programmes"))
    # From elsewhere, or saying nothing of where it comes from: the token is needed.
    elsewhere = {"Origin": "https://attacker.example"}
    assert client.post("/language", data={"lang": "ar"}, headers=elsewhere).status_code == 400
    assert client.post("/language", data={"lang": "ar"}).status_code == 400
    token = _token(client, "/account/login")
    assert client.post("/language", data={"lang": "ar", "csrf_token": token}).status_code == 302


def test_a_signed_in_users_language_choice_still_needs_the_token(client, world, csrf_on):
    user = make_user()
    login_form = {"email": user.email, "password": PASSWORD}
    response = client.post(
        "/account/login", data={**login_form, "csrf_token": _token(client, "/account/login")}
    )
    assert response.status_code == 302
    own_page = {"Origin": "http://localhost"}
    assert client.post("/language", data={"lang": "fr"}, headers=own_page).status_code == 400
    # Pages a signed-in user gets are not public: they carry the session's token.
    token = _token(client, "/programmes")
    response = client.post("/language", data={"lang": "fr", "csrf_token": token})
    assert response.status_code == 302


def test_a_public_page_showing_a_message_is_kept_by_no_cache(client, world):
    """Reading a flashed message changes the session: the page is this visitor's own."""
    client.post("/language", data={"lang": "xx", "next": "/programmes"})
    response = client.get("/programmes")
    assert "This language is not available." in text_of(response)
    assert "ETag" not in response.headers
    assert response.headers["Cache-Control"] == "private, no-store"
