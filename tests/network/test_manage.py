"""Centre management pages: only staff of that centre (or admins) get in."""

from datetime import timedelta

import pytest

from miti_training.models import ProgrammeSession, ProgrammeStatus, utcnow
from tests.support.factories import (
    make_admin,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.sql import statements_for


@pytest.fixture
def centres(db):
    return make_centre(slug="cairo", name="Cairo centre"), make_centre(
        slug="paris", name="Centre Lutèce"
    )


def test_anonymous_is_sent_to_login(client, centres):
    for url in ("/manage/", "/manage/cairo/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/login?next=" in response.headers["Location"]


def test_participant_gets_403(client, login, centres):
    login(make_user())
    assert client.get("/manage/").status_code == 403
    assert client.get("/manage/cairo/").status_code == 403


@pytest.mark.parametrize("role", ["coordinator", "director"])
def test_staff_of_another_centre_gets_403(client, login, centres, role):
    cairo, paris = centres
    login(make_staff(paris, role))
    index = client.get("/manage/")  # their one centre
    assert index.status_code == 302 and index.location.endswith("/manage/paris/")
    assert client.get("/manage/cairo/").status_code == 403


@pytest.mark.parametrize("role", ["coordinator", "director"])
def test_staff_of_the_centre_see_its_programmes_drafts_included(client, login, centres, role):
    cairo, paris = centres
    make_programme(cairo, title="Water management course", status=ProgrammeStatus.DRAFT)
    make_programme(paris, title="Paris study visit")
    login(make_staff(cairo, role))
    html = client.get("/manage/cairo/").get_data(as_text=True)
    assert "Water management course" in html
    assert "Paris study visit" not in html
    index = client.get("/manage/", follow_redirects=True).get_data(as_text=True)
    assert "Cairo centre" in index and "Centre Lutèce" not in index


def test_admin_sees_every_centre(client, login, centres):
    login(make_admin())
    index = client.get("/manage/").get_data(as_text=True)
    assert "Cairo centre" in index and "Centre Lutèce" in index
    assert client.get("/manage/paris/").status_code == 200


def test_unknown_centre_is_404_for_staff(client, login, centres):
    login(make_admin())
    assert client.get("/manage/nowhere/").status_code == 404


def test_disabled_staff_lose_access(client, db, login, centres):
    cairo, _ = centres
    coordinator = make_staff(cairo, "coordinator")
    login(coordinator)
    assert client.get("/manage/cairo/").status_code == 200
    coordinator.is_enabled = False
    db.session.commit()
    response = client.get("/manage/cairo/")
    assert response.status_code == 302


def test_overview_links_each_programme_to_its_management_page(client, login, centres):
    cairo, _ = centres
    draft = make_programme(cairo, title="Water management course", status=ProgrammeStatus.DRAFT)
    published = make_programme(cairo, title="Nile study visit", sessions=3)
    login(make_staff(cairo, "coordinator"))
    html = client.get("/manage/cairo/").get_data(as_text=True)
    for programme in (draft, published):
        assert f'href="/manage/cairo/programmes/{programme.id}"' in html
    assert 'href="/manage/cairo/programmes/new"' in html
    assert f'href="/programmes/{published.slug}"' in html  # public page of the published one
    assert f'href="/programmes/{draft.slug}"' not in html  # drafts have none
    # A coordinator edits drafts only.
    assert f'href="/manage/cairo/programmes/{draft.id}/edit"' in html
    assert f'href="/manage/cairo/programmes/{published.id}/edit"' not in html
    assert '<span class="badge badge-muted">Draft</span>' in html
    assert '<span class="badge badge-ok">Published</span>' in html


def test_overview_and_programme_page_queries_do_not_grow(app, client, login, db, centres):
    cairo, _ = centres
    login(make_staff(cairo, "director"))
    programme = make_programme(cairo, sessions=1)
    db.session.commit()
    overview = statements_for(app, client, "/manage/cairo/")
    detail = statements_for(app, client, f"/manage/cairo/programmes/{programme.id}")
    for _ in range(5):
        make_programme(cairo, sessions=3)
    for _ in range(4):
        make_registration(programme)
    programme.sessions.append(
        ProgrammeSession(title="Extra", starts_at=utcnow(), ends_at=utcnow() + timedelta(hours=1))
    )
    db.session.commit()  # so the request's count holds only its own statements
    assert statements_for(app, client, "/manage/cairo/") == overview
    assert statements_for(app, client, f"/manage/cairo/programmes/{programme.id}") == detail


def test_malformed_centre_slug_is_404_not_a_database_error(client, login, centres):
    login(make_admin())
    for slug in ("%00cairo", "cairo%00", "x" * 200, "caïro"):
        assert client.get(f"/manage/{slug}/").status_code == 404
