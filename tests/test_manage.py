"""Centre management pages: only staff of that centre (or admins) get in."""

import pytest

from miti_training.models import ProgrammeStatus
from tests.factories import make_admin, make_centre, make_programme, make_staff, make_user


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
    assert client.get("/manage/").status_code == 200
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
    index = client.get("/manage/").get_data(as_text=True)
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
