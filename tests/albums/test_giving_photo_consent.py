"""Giving the photo consent later (not given when registering, or withdrawn since): from the
participant's registration page after a confirmation, by POST with its CSRF token, audited,
the owner's alone, once; never on a registration cancelled with its programme."""

import json
import re

import pytest
from sqlalchemy import select, update

from miti_training.albums import consent
from miti_training.errors import DomainError, PermissionDenied
from miti_training.extensions import db
from miti_training.models import AuditEntry, Registration, RegistrationStatus, utcnow
from tests.support.factories import (
    make_admin,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.pages import assert_accessible_page, flashes, follow, text_of

S = RegistrationStatus
GIVEN_FLASH = (
    "success",
    "Thank you: the centre may publish photos in which you appear. You can withdraw this at any time.",
)
ALREADY_GIVEN = (
    "info",
    "You have already agreed to the publication of photos in which you appear.",
)
CANCELLED_FLASH = (
    "error",
    "This registration was cancelled with its programme: consent to photos can no longer be given.",
)


@pytest.fixture
def owner(db):
    return make_user(full_name="Reza Karimi")


@pytest.fixture
def registration(db, owner):
    """A confirmed registration made without the photo consent."""
    programme = make_programme(make_centre(slug="seoul"), slug="forum", title="Forum", sessions=1)
    return make_registration(programme, owner)


def _give_url(registration) -> str:
    return f"/my/registrations/{registration.id}/photo-consent/give"


def _withdraw_url(registration) -> str:
    return f"/my/registrations/{registration.id}/photo-consent"


def _detail(client, registration) -> str:
    return text_of(client.get(f"/my/registrations/{registration.id}"))


def _consent(registration):
    db.session.expire_all()
    return db.session.get(Registration, registration.id).consent_photos_at


def _entries() -> list[tuple[str, int | None, int | None]]:
    rows = db.session.execute(
        select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.registration_id)
        .where(AuditEntry.action.like("registration.photo_consent_%"))
        .order_by(AuditEntry.id)
    )
    return [tuple(row) for row in rows]


def test_giving_it_later_after_a_confirmation(client, login, owner, registration):
    login(owner)
    detail = _detail(client, registration)
    assert _give_url(registration) in detail
    assert f'href="{_withdraw_url(registration)}"' not in detail

    page = client.get(_give_url(registration))
    assert page.status_code == 200
    html = text_of(page)
    assert_accessible_page(html)
    assert "Agree to photos for “<bdi>Forum</bdi>”?" in html
    assert 'method="post"' in html
    assert _consent(registration) is None  # a GET changes nothing
    assert _entries() == []

    before = utcnow()
    response = client.post(_give_url(registration))

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/my/registrations/{registration.id}")
    assert GIVEN_FLASH in flashes(follow(client, response))
    assert _consent(registration) >= before
    assert _entries() == [("registration.photo_consent_given", owner.id, registration.id)]
    detail = _detail(client, registration)
    assert f'href="{_withdraw_url(registration)}"' in detail
    assert _give_url(registration) not in detail


def test_giving_it_again_changes_nothing(client, login, owner, registration):
    login(owner)
    client.post(_give_url(registration))
    first = _consent(registration)

    for method in ("POST", "GET"):
        again = client.open(_give_url(registration), method=method)
        assert again.status_code == 302
        assert ALREADY_GIVEN in flashes(follow(client, again))

    assert _consent(registration) == first
    assert len(_entries()) == 1


def test_give_withdraw_give_is_audited_each_time(client, login, owner, registration):
    login(owner)
    assert client.post(_give_url(registration)).status_code == 302
    first = _consent(registration)
    assert client.post(_withdraw_url(registration)).status_code == 302
    assert _consent(registration) is None
    assert _give_url(registration) in _detail(client, registration)
    assert client.post(_give_url(registration)).status_code == 302

    assert _consent(registration) >= first
    assert _entries() == [
        ("registration.photo_consent_given", owner.id, registration.id),
        ("registration.photo_consent_withdrawn", owner.id, registration.id),
        ("registration.photo_consent_given", owner.id, registration.id),
    ]
    # The administrators read them as sentences on the participant's page.
    client.post("/account/logout")
    login(make_admin())
    history = text_of(client.get(f"/admin/users/{owner.id}"))
    assert history.count("agreed to the publication of photos of them for") == 2
    assert history.count("withdrew their consent to photos of them for") == 1


@pytest.mark.parametrize("who", ["stranger", "director", "admin"])
def test_nobody_else_can_give_it(client, login, registration, who):
    people = {
        "stranger": make_user,
        "director": lambda: make_staff(registration.programme.centre, "director"),
        "admin": make_admin,
    }
    login(people[who]())
    assert client.get(_give_url(registration)).status_code == 404
    assert client.post(_give_url(registration)).status_code == 404
    assert _consent(registration) is None
    assert _entries() == []


def test_giving_it_needs_the_csrf_token(app, client, login, owner, registration, monkeypatch):
    login(owner)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(_give_url(registration)).status_code == 400
    assert client.post(_give_url(registration), data={"csrf_token": "forged"}).status_code == 400
    assert _consent(registration) is None and _entries() == []

    page = text_of(client.get(_give_url(registration)))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(_give_url(registration), data={"csrf_token": token}).status_code == 302
    assert _consent(registration) is not None


@pytest.mark.parametrize("status", [S.APPLIED, S.WAITLISTED, S.DECLINED, S.WITHDRAWN])
def test_any_registration_but_a_cancelled_one_may_give_it(
    client, login, owner, registration, status
):
    registration.status = status
    db.session.flush()
    login(owner)
    assert _give_url(registration) in _detail(client, registration)
    assert GIVEN_FLASH in flashes(follow(client, client.post(_give_url(registration))))
    assert _consent(registration) is not None


def test_a_cancelled_registration_cannot_give_it_but_can_withdraw_it(
    client, login, owner, registration
):
    registration.status = S.CANCELLED
    db.session.flush()
    login(owner)
    assert _give_url(registration) not in _detail(client, registration)
    for method in ("GET", "POST"):
        refused = client.open(_give_url(registration), method=method)
        assert refused.status_code == 302
        assert CANCELLED_FLASH in flashes(follow(client, refused))
    assert _consent(registration) is None and _entries() == []

    registration = db.session.get(Registration, registration.id)
    registration.consent_photos_at = utcnow()
    db.session.flush()
    assert f'href="{_withdraw_url(registration)}"' in _detail(client, registration)
    assert client.post(_withdraw_url(registration)).status_code == 302
    assert _consent(registration) is None
    assert [action for action, *_ in _entries()] == ["registration.photo_consent_withdrawn"]


# The rule, without HTTP ---------------------------------------------------------------------


def test_the_rule_refuses_others_and_cancelled_registrations(owner, registration):
    with pytest.raises(PermissionDenied):
        consent.give_photo_consent(registration, make_user())
    registration.status = S.CANCELLED
    with pytest.raises(DomainError) as refused:
        consent.give_photo_consent(registration, owner)
    assert str(refused.value.message) == CANCELLED_FLASH[1]
    assert registration.consent_photos_at is None and _entries() == []


def test_of_two_requests_at_once_only_one_gives_it(owner, registration):
    """The page loaded before another request gave it: this one changes and records nothing."""
    assert registration.consent_photos_at is None
    db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id)
        .values(consent_photos_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    assert registration.consent_photos_at is None  # the stale copy

    assert consent.give_photo_consent(registration, owner) is False
    assert registration.consent_photos_at is not None
    assert _entries() == []
    assert consent.withdraw_photo_consent(registration, owner) is True
    assert consent.withdraw_photo_consent(registration, owner) is False
    assert len(_entries()) == 1


def test_the_data_download_holds_the_photo_consent_and_its_history(
    client, login, owner, registration
):
    login(owner)
    client.post(_give_url(registration))
    data = json.loads(text_of(client.get("/account/data.json")))
    mine = data["registrations"][0]
    assert mine["consent_photos_at"] and "consent_listing_at" in mine
    assert [h["action"] for h in data["history"]] == ["registration.photo_consent_given"]
