"""A coordinator working through a queue over real HTTP: the motivation in the list, one way to
filter by status, landing on the one centre they manage, and the participant's withdraw page
saying what withdrawing leaves possible."""

from datetime import timedelta

import pytest

from miti_training.models import RegistrationStatus, utcnow
from tests.support.factories import (
    grant,
    make_admin,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.pages import assert_accessible_page, text_of

S = RegistrationStatus


@pytest.fixture
def seoul(db):
    centre = make_centre(slug="seoul", name="MITI Headquarters Seoul", timezone="Asia/Seoul")
    return {
        "centre": centre,
        "coordinator": make_staff(centre, "coordinator", full_name="Kim Min-ji"),
        "programme": make_programme(centre, title="Peer Review Process", capacity=3),
    }


def _list(client, seoul, **args):
    url = f"/manage/seoul/programmes/{seoul['programme'].id}/registrations"
    response = client.get(url, query_string=args)
    assert response.status_code == 200
    return text_of(response)


def test_the_list_shows_the_first_line_of_each_motivation(client, sign_in, db, seoul):
    programme = seoul["programme"]
    long_line = "Cairo is building a bus rapid transit line " + "and more " * 30
    make_registration(
        programme,
        make_user(full_name="Mona Elsayed"),
        status=S.APPLIED,
        motivation=long_line + "\nSecond line, only on the registration page.",
    )
    make_registration(programme, make_user(full_name="Reza Ahmadi"), status=S.APPLIED)
    sign_in(seoul["coordinator"])
    html = _list(client, seoul)
    assert '<th scope="col">Motivation</th>' in html
    assert "Cairo is building a bus rapid transit line" in html
    assert "Second line, only on the registration page." not in html
    assert long_line.strip() not in html and "…" in html  # cut, and says so
    assert "None given" in html  # Reza gave none
    assert_accessible_page(html)


def test_one_way_to_filter_by_status_and_old_links_still_work(client, sign_in, db, seoul):
    programme = seoul["programme"]
    make_registration(programme, make_user(full_name="Applied Person"), status=S.APPLIED)
    make_registration(programme, make_user(full_name="Declined Person"), status=S.DECLINED)
    sign_in(seoul["coordinator"])
    html = _list(client, seoul)
    assert 'aria-label="Show registrations by status"' in html
    assert '<select id="status"' not in html and 'name="status"' in html  # kept by a search
    assert "Declined Person" not in html

    # A bookmark or a dashboard link with the status parameter shows that status.
    html = _list(client, seoul, status="declined", q="person")
    assert "Declined Person" in html and "Applied Person" not in html
    assert '<input type="hidden" name="status" value="declined">' in html


def test_staff_of_one_centre_land_on_its_page(client, sign_in, db, seoul):
    sign_in(seoul["coordinator"])
    response = client.get("/manage/")
    assert response.status_code == 302
    assert response.location.endswith("/manage/seoul/")


def test_staff_of_several_centres_and_admins_choose(client, sign_in, login, db, seoul):
    paris = make_centre(slug="paris", name="MITI Paris", timezone="Europe/Paris")
    grant(seoul["coordinator"], paris, "director")
    sign_in(seoul["coordinator"])
    page = client.get("/manage/")
    assert page.status_code == 200
    assert "MITI Paris" in text_of(page) and "MITI Headquarters Seoul" in text_of(page)

    client.post("/account/logout")
    login(make_admin())
    assert client.get("/manage/").status_code == 200


def test_the_withdraw_page_says_registering_again_is_possible_while_open(
    client, sign_in, db, seoul
):
    user = make_user()
    registration = make_registration(seoul["programme"], user, status=S.CONFIRMED)
    sign_in(user)
    html = text_of(client.get(f"/my/registrations/{registration.id}/withdraw"))
    assert "you can register again" in html
    assert "ask the centre" not in html

    # The page's own button withdraws.
    client.post(f"/my/registrations/{registration.id}/withdraw")
    db.session.expire_all()
    assert registration.status == S.WITHDRAWN


def test_the_withdraw_page_says_when_registration_has_closed(client, sign_in, db, seoul):
    programme = make_programme(
        seoul["centre"], registration_closes_at=utcnow() - timedelta(hours=1)
    )
    user = make_user()
    registration = make_registration(programme, user, status=S.CONFIRMED)
    sign_in(user)
    html = text_of(client.get(f"/my/registrations/{registration.id}/withdraw"))
    assert "once you have withdrawn, you cannot register again" in html
    assert "you can register again" not in html
