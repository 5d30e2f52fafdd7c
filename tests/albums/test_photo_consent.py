"""The photo consent: a separate box on the registration form, stored with its time, shown on
the participant's registration and withdrawable there after a confirmation; staff see who has
not agreed on each album's page."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from miti_training.extensions import db
from miti_training.models import AuditEntry, Registration, utcnow
from tests.support.factories import (
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
    today,
)
from tests.support.pages import assert_accessible_page, flashes, follow, text_of
from tests.support.photos import add_photo


@pytest.fixture
def programme(db):
    return make_programme(make_centre(slug="seoul"), slug="forum", sessions=1)


def _register(client, programme, **fields):
    data = {"submitted": "1", "consent_data": "y", **fields}
    return client.post(f"/programmes/{programme.slug}/register", data=data)


def _registration() -> Registration:
    db.session.expire_all()
    return db.session.scalar(select(Registration))


def test_the_form_asks_for_it_apart_from_the_other_consents(client, login, programme):
    login(make_user())
    html = text_of(client.post(f"/programmes/{programme.slug}/register"))
    assert 'id="consent_photos"' in html
    assert "Photos in which I appear may be published" in html
    assert 'id="consent_photos-help"' in html
    assert_accessible_page(html)


def test_registering_with_it_records_the_moment(client, login, programme):
    login(make_user())
    before = utcnow()
    assert _register(client, programme, consent_photos="y").status_code == 302
    registration = _registration()
    assert registration.consent_photos_at is not None and registration.consent_photos_at >= before
    assert registration.consent_data_at is not None


def test_registering_without_it_records_none_and_registers_anyway(client, login, programme):
    login(make_user())
    assert _register(client, programme).status_code == 302
    registration = _registration()
    assert registration.consent_photos_at is None
    assert registration.status == "confirmed"


def test_withdrawing_it_after_a_confirmation(client, login, programme):
    owner = make_user()
    registration = make_registration(programme, owner, consent_photos_at=utcnow())
    login(owner)
    detail = text_of(client.get(f"/my/registrations/{registration.id}"))
    url = f"/my/registrations/{registration.id}/photo-consent"
    assert url in detail
    page = client.get(url)
    assert page.status_code == 200
    assert_accessible_page(text_of(page))
    assert _registration().consent_photos_at is not None  # a GET changes nothing

    response = client.post(url)

    assert response.status_code == 302
    assert (
        "success",
        "You have withdrawn your consent: the centre will no longer publish photos in which you appear.",
    ) in flashes(follow(client, response))
    assert _registration().consent_photos_at is None
    assert db.session.scalar(
        select(AuditEntry.id).where(AuditEntry.action == "registration.photo_consent_withdrawn")
    )
    assert f'href="{url}"' not in text_of(client.get(f"/my/registrations/{registration.id}"))
    again = client.post(url)
    assert ("info", "You have not agreed to the publication of photos in which you appear.") in (
        flashes(follow(client, again))
    )


def _withdraw(client, login, programme, **user):
    owner = make_user(**user)
    registration = make_registration(programme, owner, consent_photos_at=utcnow())
    db.session.commit()
    login(owner)
    url = f"/my/registrations/{registration.id}/photo-consent"
    for _ in range(2):  # the second changes nothing and tells nobody
        assert client.post(url).status_code == 302
    return registration


def test_withdrawing_it_tells_the_centres_staff_when_its_albums_show_photos(
    client, login, programme, outbox
):
    coordinator = make_staff(programme.centre, "coordinator")
    director = make_staff(programme.centre, "director", preferred_language="fr")
    make_staff(make_centre(slug="paris"), "coordinator")  # another centre's: not told
    add_photo(programme.sessions[0])
    add_photo(programme.sessions[0], hidden=True)  # hidden already: not counted
    outbox.clear()

    registration = _withdraw(client, login, programme, full_name="Leila Ahmadi")

    assert sorted(m.to for m in outbox) == sorted([coordinator.email, director.email])
    english = next(m for m in outbox if m.to == coordinator.email)
    assert english.subject.endswith(f"Photo consent withdrawn: {programme.title}")
    assert f"{registration.full_name} (" in english.body
    assert "show 1 photo to the public" in english.body
    assert f"/manage/seoul/programmes/{programme.id}" in english.body
    french = next(m for m in outbox if m.to == director.email)
    assert french.locale == "fr" and "Photo consent withdrawn" not in french.subject


def test_withdrawing_it_tells_nobody_when_the_albums_show_no_photos(
    client, login, programme, outbox
):
    make_staff(programme.centre, "coordinator")
    add_photo(programme.sessions[0], hidden=True)
    outbox.clear()
    _withdraw(client, login, programme)
    assert outbox == []


def test_nobody_else_can_withdraw_it(client, login, programme):
    registration = make_registration(programme, make_user(), consent_photos_at=utcnow())
    login(make_staff(programme.centre, "director"))
    assert client.post(f"/my/registrations/{registration.id}/photo-consent").status_code == 404
    assert _registration().consent_photos_at is not None


def test_staff_see_who_has_not_agreed_on_the_album_page(client, login, db):
    centre = make_centre(slug="lyon")
    programme = make_programme(centre, sessions=1, starts_on=today() - timedelta(days=1))
    make_registration(programme, make_user(full_name="Ana Agreed"), consent_photos_at=utcnow())
    make_registration(programme, make_user(full_name="Bo Declined"))
    login(make_staff(centre, "coordinator"))
    html = text_of(
        client.get(
            f"/manage/lyon/programmes/{programme.id}/sessions/{programme.sessions[0].id}/album"
        )
    )
    assert "Bo Declined" in html and "Ana Agreed" not in html
    assert "1 confirmed participant has not agreed" in html
