"""A new password or address gives the calendar feed a new URL: the old one stops working."""

import pytest
from sqlalchemy import select

from miti_training.extensions import db as _db
from miti_training.models import User
from tests.conftest import link_from
from tests.support.factories import PASSWORD, make_user
from tests.support.pages import is_logged_in

NEW_PASSWORD = "a brand new passphrase 2026"


@pytest.fixture
def owner(client, login, db):
    """A logged-in participant with a calendar link."""
    user = make_user(email="leila.rahimi@tehran.example")
    login(user)
    assert client.post("/my/calendar-link").status_code == 302
    return user


def feed_token(user_id: int) -> str | None:
    _db.session.expire_all()
    return _db.session.scalar(select(User.calendar_token).where(User.id == user_id))


def feed_status(app, token: str) -> int:
    """What a calendar app (no session) gets from the feed URL of token."""
    return app.test_client().get(f"/calendar/{token}.ics").status_code


def assert_rotated(app, user_id: int, old: str) -> None:
    new = feed_token(user_id)
    assert new is not None and new != old
    assert feed_status(app, old) == 404
    assert feed_status(app, new) == 200


def test_a_password_reset_rotates_the_feed_token(app, client, db, owner, outbox):
    old = feed_token(owner.id)
    assert feed_status(app, old) == 200
    outbox.clear()
    client.post("/account/forgot-password", data={"email": owner.email})
    link = link_from(outbox[0], "/account/reset-password/")
    response = client.post(link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert_rotated(app, owner.id, old)


def test_a_password_change_rotates_the_feed_token(app, client, db, owner):
    old = feed_token(owner.id)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert is_logged_in(client)
    assert_rotated(app, owner.id, old)


def test_an_email_change_rotates_the_feed_token(app, client, db, owner, outbox):
    old = feed_token(owner.id)
    outbox.clear()
    response = client.post(
        "/account/email", data={"email": "leila.rahimi@mashhad.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert feed_status(app, old) == 200  # nothing changes before the link is opened
    new_address = next(m for m in outbox if m.to == "leila.rahimi@mashhad.example")
    assert client.get(link_from(new_address, "/account/email/confirm/")).status_code == 302
    assert_rotated(app, owner.id, old)


def test_a_password_change_gives_no_feed_to_an_account_without_one(client, db, login):
    user = make_user()
    login(user)
    client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert feed_token(user.id) is None
