"""Seat offers over HTTP: the participant's offer with its deadline, accepting and declining
with the CSRF token, the refusal after the deadline, another person's offer as a 404; the
coordinators' list of open offers and the programme form's setting."""

import re
from datetime import timedelta

import pytest

from miti_training.models import Programme, RegistrationStatus, utcnow
from miti_training.registrations import decisions, enrolment
from tests.support.audit import audit_entries
from tests.support.factories import make_centre, make_programme, make_staff, make_user
from tests.support.forms import programme_form

S = RegistrationStatus


@pytest.fixture
def seoul(db):
    return make_centre(slug="seoul", name="MITI Seoul", timezone="Asia/Seoul")


@pytest.fixture
def offered(db, seoul):
    """A full programme whose freed seat is offered to the first in line (who lives in Paris)."""
    programme = make_programme(
        seoul, title="Peer Review Process workshop", capacity=1, offers_expire=True
    )
    people = [
        make_user(full_name="Leaving Official"),
        make_user(full_name="Mona Elsayed", timezone="Europe/Paris"),
        make_user(full_name="Second In Line"),
    ]
    regs = [
        enrolment.register(programme, p, answers={}, consent_data=True, consent_listing=False)
        for p in people
    ]
    decisions.withdraw(regs[0], actor=people[0])
    db.session.commit()
    assert regs[1].status == S.OFFERED
    return regs[1]


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_participant_sees_the_offer_and_its_deadline_in_both_zones(client, login, offered):
    login(offered.user)
    html = _page(client, f"/my/registrations/{offered.id}")
    assert "Seat offered, waiting for acceptance" in html
    assert "Accept by (centre time)" in html and "Accept by (your time)" in html
    assert "(Seoul)" in html and "(Paris)" in html
    assert f'action="/my/registrations/{offered.id}/accept-offer"' in html
    assert f'action="/my/registrations/{offered.id}/decline-offer"' in html
    assert f"/my/registrations/{offered.id}/withdraw" not in html
    mine = _page(client, "/my/registrations")
    assert "Accept or decline by" in mine


def test_accepting_confirms_and_says_so(client, login, offered, outbox):
    login(offered.user)
    outbox.clear()
    response = client.post(f"/my/registrations/{offered.id}/accept-offer", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "You have accepted the seat" in html
    assert offered.status == S.CONFIRMED
    assert [m.to for m in outbox] == [offered.email]
    assert len(audit_entries("registration.accept_offer")) == 1


def test_accepting_after_the_deadline_is_refused_with_a_clear_message(
    client, login, db, offered, outbox
):
    offered.offer_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    login(offered.user)
    html = _page(client, f"/my/registrations/{offered.id}")
    assert "The deadline to accept this seat has passed" in html
    assert "accept-offer" not in html
    outbox.clear()
    response = client.post(f"/my/registrations/{offered.id}/accept-offer", follow_redirects=True)
    assert "This offer has expired" in response.get_data(as_text=True)
    assert offered.status == S.OFFERED
    assert outbox == []


def test_declining_passes_the_seat_to_the_next_person(client, login, offered):
    login(offered.user)
    response = client.post(f"/my/registrations/{offered.id}/decline-offer", follow_redirects=True)
    assert "You have declined the seat" in response.get_data(as_text=True)
    assert offered.status == S.WITHDRAWN
    [next_offer] = audit_entries("registration.offer")[1:]
    assert next_offer.to_state == "offered"


@pytest.mark.parametrize("action", ["accept-offer", "decline-offer"])
def test_someone_else_cannot_act_on_the_offer(client, login, offered, seoul, action):
    for who in (make_user(), make_staff(seoul, "coordinator")):
        login(who)
        response = client.post(f"/my/registrations/{offered.id}/{action}")
        assert response.status_code == 404
        client.post("/account/logout")
    assert offered.status == S.OFFERED


@pytest.mark.parametrize("action", ["accept-offer", "decline-offer"])
def test_the_offer_forms_need_the_csrf_token(client, app, login, offered, monkeypatch, action):
    login(offered.user)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    url = f"/my/registrations/{offered.id}/{action}"
    assert client.post(url).status_code == 400
    assert client.post(url, data={"csrf_token": "forged"}).status_code == 400
    assert offered.status == S.OFFERED
    html = _page(client, f"/my/registrations/{offered.id}")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    assert offered.status in (S.CONFIRMED, S.WITHDRAWN)


def test_coordinators_see_open_offers_and_their_deadlines(client, login, seoul, offered):
    coordinator = make_staff(seoul, "coordinator")
    login(coordinator)
    base = f"/manage/seoul/programmes/{offered.programme_id}/registrations"
    html = _page(client, f"{base}?status=offered")
    assert "Open offers (1)" in html
    assert "Mona Elsayed" in html and "Second In Line" not in html
    assert "Until " in html
    assert "Offered to the first on the waiting list for 48 hours" in html
    detail = _page(client, f"/manage/seoul/registrations/{offered.id}")
    assert "The seat is held until" in detail


def test_staff_of_another_centre_cannot_see_or_confirm_the_offer(client, login, offered):
    other = make_centre(slug="paris", name="MITI Paris")
    login(make_staff(other, "coordinator"))
    base = f"/manage/seoul/programmes/{offered.programme_id}/registrations"
    assert client.get(f"{base}?status=offered").status_code == 403
    assert client.post(f"/manage/paris/registrations/{offered.id}/confirm").status_code == 404
    assert offered.status == S.OFFERED


def test_the_programme_form_sets_the_offers(client, login, db, seoul):
    programme = make_programme(seoul, status="draft")
    db.session.commit()
    login(make_staff(seoul, "director"))
    url = f"/manage/seoul/programmes/{programme.id}/edit"
    html = _page(client, url)
    assert "Hours to accept an offered seat" in html
    response = client.post(url, data=programme_form(offers_expire="y", offer_hours="721"))
    assert response.status_code == 200
    assert "Enter a number of hours from 1 to 720." in response.get_data(as_text=True)
    response = client.post(url, data=programme_form(offers_expire="y", offer_hours="72"))
    assert response.status_code == 302
    programme = db.session.get(Programme, programme.id)
    assert (programme.offers_expire, programme.offer_hours) == (True, 72)
    response = client.post(url, data=programme_form(offer_hours=""))
    assert response.status_code == 302
    programme = db.session.get(Programme, programme.id)
    assert (programme.offers_expire, programme.offer_hours) == (False, 48)
