"""`Cache-Control: no-store` on every page and download a signed-in person gets, and on the
personal calendar feed; anonymous public pages stay cacheable (docs/security.md, item 25).

The routes are those of tests/support/routes.py, the table the authorization matrix uses: every
GET a signed-in user can open is opened, by someone allowed to, and must answer 200.
"""

import pytest

from miti_training.accounts import calendar_feed
from miti_training.attendance.certificates import new_code
from miti_training.models import Certificate, RegistrationStatus, utcnow
from miti_training.training_record import transcripts
from tests.support.factories import (
    make_admin,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
    mark_present,
)
from tests.support.news_routes import make_post
from tests.support.pages import endpoint_url, text_of
from tests.support.routes import (
    ACCOUNT_ROUTES,
    ADMIN_ROUTES,
    COORDINATOR_ROUTES,
    DIRECTOR_ROUTES,
    DOWNLOADS,
    IMPORT_ROUTES,
    OWN_REGISTRATION_ROUTES,
    PUBLIC_ROUTES,
    admin_request,
    make_admin_world,
    make_manage_world,
    manage_request,
)

#: Public pages a visitor may keep in a cache: the catalogue and the home page.
CATALOGUE_PAGES = ["main.home", "catalogue.list_programmes", "catalogue.programme_detail"]
CATALOGUE_PAGES += ["catalogue.centre_detail", "catalogue.programme_ics"]


#: Files the table's DOWNLOADS does not list (the matrix tries these routes with other users).
MORE_DOWNLOADS = {
    "registrations.certificate_pdf",
    "registrations.transcript_pdf",
    "manage.import_template",
}


def _gets(routes) -> list[str]:
    return [endpoint for method, endpoint in routes if method == "GET"]


def _assert_not_stored(response, endpoint: str) -> None:
    assert response.status_code == 200, (endpoint, text_of(response)[:1000])
    is_page = response.mimetype == "text/html"
    assert is_page or endpoint in DOWNLOADS | MORE_DOWNLOADS, (endpoint, response.mimetype)
    assert "no-store" in response.headers.get("Cache-Control", ""), endpoint


@pytest.mark.parametrize("endpoint", _gets(COORDINATOR_ROUTES + DIRECTOR_ROUTES + IMPORT_ROUTES))
def test_every_manage_page_and_download_is_no_store(app, client, login, db, endpoint):
    world = make_manage_world()
    values, _data = manage_request(endpoint, world)
    login(make_staff(world["centre"], "director"))
    # manage.index sends the director of one centre on to its page.
    response = client.get(endpoint_url(app, endpoint, **values), follow_redirects=True)
    _assert_not_stored(response, endpoint)


@pytest.mark.parametrize("endpoint", _gets(ADMIN_ROUTES))
def test_every_admin_page_and_download_is_no_store(app, client, login, db, endpoint):
    world = make_admin_world()
    values, _data = admin_request(endpoint, world)
    login(make_admin())
    response = client.get(endpoint_url(app, endpoint, **values))
    _assert_not_stored(response, endpoint)


@pytest.fixture
def participant_world(db):
    """A participant registered for a coming programme and holding a certificate of a past
    one; another programme open for registration."""
    centre = make_centre(slug="seoul")
    user = make_user()
    coming = make_programme(centre, slug="peer-review")
    # With the photo consent given, so its withdrawal page is there to load.
    registration = make_registration(coming, user, consent_photos_at=utcnow())
    past = make_programme(centre, slug="opening-forum")
    attended = make_registration(past, user, status=RegistrationStatus.CONFIRMED)
    mark_present(attended)
    db.session.add(
        Certificate(
            registration=attended,
            code=new_code(),
            full_name=user.full_name,
            attendance_percent=100,
        )
    )
    open_programme = make_programme(centre, slug="mobility-course")
    db.session.flush()
    return {
        "user": user,
        "registration": registration,
        "attended": attended,
        "open": open_programme,
    }


def _participant_values(endpoint: str, w: dict) -> dict:
    if endpoint in ("registrations.certificate_pdf", "registrations.give_photo_consent"):
        # The past programme's registration, without the photo consent.
        return {"registration_id": w["attended"].id}
    if endpoint == "registrations.register":
        return {"slug": w["open"].slug}
    if endpoint == "registrations.transcript_pdf":
        return {"transcript_id": transcripts.issue(w["user"]).id}
    if endpoint in _gets(OWN_REGISTRATION_ROUTES):
        return {"registration_id": w["registration"].id}
    return {}


@pytest.mark.parametrize("endpoint", _gets(ACCOUNT_ROUTES + OWN_REGISTRATION_ROUTES))
def test_every_page_and_download_of_ones_own_account_is_no_store(
    app, client, login, participant_world, endpoint
):
    login(participant_world["user"])
    url = endpoint_url(app, endpoint, **_participant_values(endpoint, participant_world))
    _assert_not_stored(client.get(url), endpoint)


@pytest.mark.parametrize("endpoint", CATALOGUE_PAGES)
def test_public_pages_are_no_store_for_a_signed_in_user_only(
    app, client, login, participant_world, endpoint
):
    """The same page, anonymous then signed in: only the second names its reader."""
    registration = participant_world["registration"]
    values = {"slug": registration.programme.slug}
    if endpoint == "catalogue.centre_detail":
        values = {"slug": registration.programme.centre.slug}
    url = endpoint_url(app, endpoint, **values)

    anonymous = client.get(url)
    assert anonymous.status_code == 200
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")

    login(participant_world["user"])
    signed_in = client.get(url)
    assert signed_in.status_code == 200
    assert "no-store" in signed_in.headers["Cache-Control"]


def test_every_public_page_of_the_table_is_cacheable_for_anonymous_visitors(app, client, db):
    """No anonymous page of the table says no-store, the personal calendar feed apart."""
    programme = make_programme(make_centre(slug="seoul"), slug="peer-review")
    values = {
        "slug": programme.slug,
        "filename": "css/app.css",
        "code": "NOTAVALIDCODE",
        "post_id": make_post(programme, published=True).id,
        "photo_id": 1,
        "size": "web",
    }
    for endpoint in _gets(PUBLIC_ROUTES):
        if endpoint in (
            "registrations.calendar_feed",
            "auth.confirm_email_change",
            "auth.finish_signup",  # shows the link's address: no-store, see test_signup
        ):
            continue
        if endpoint in ("auth.confirm_email", "auth.reset_password"):
            values["token"] = "not-a-valid-token"
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        url = endpoint_url(
            app, endpoint, **{k: v for k, v in values.items() if k in rule.arguments}
        )
        response = client.get(url)
        assert "no-store" not in response.headers.get("Cache-Control", ""), endpoint


def test_the_personal_calendar_feed_is_no_store_without_a_login(app, client, db):
    user = make_user()
    make_registration(make_programme(), user)
    token = calendar_feed.new_calendar_token(user)
    db.session.flush()
    response = client.get(endpoint_url(app, "registrations.calendar_feed", token=token))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_signed_in_users_error_pages_and_redirects_are_no_store(client, login, db):
    login(make_user())
    assert "no-store" in client.get("/no-such-page").headers["Cache-Control"]
    assert "no-store" in client.get("/manage/").headers["Cache-Control"]  # 403


def test_static_files_keep_their_own_caching_for_signed_in_users(client, login, db):
    login(make_user())
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
