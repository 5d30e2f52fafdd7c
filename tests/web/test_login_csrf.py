"""Logging in gives the session a new CSRF token; the anonymous page's token stops working."""

import re

import pytest

from tests.conftest import link_from
from tests.support.factories import PASSWORD, make_user
from tests.support.pages import text_of

NEW_PASSWORD = "a brand new passphrase 42"


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def _token(client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', text_of(client.get(path))).group(1)


def _logout(client, token: str) -> int:
    return client.post("/account/logout", data={"csrf_token": token}).status_code


def test_the_token_from_before_login_is_refused_after_login(client, db, csrf_on):
    user = make_user()
    before = _token(client, "/account/login")
    response = client.post(
        "/account/login", data={"email": user.email, "password": PASSWORD, "csrf_token": before}
    )
    assert response.status_code == 302
    assert _logout(client, before) == 400
    assert _logout(client, _token(client, "/account/profile")) == 302


def test_the_token_from_before_a_reset_is_refused_after_it(client, db, csrf_on, outbox):
    user = make_user()
    before = _token(client, "/account/forgot-password")
    client.post("/account/forgot-password", data={"email": user.email, "csrf_token": before})
    link = link_from(outbox[-1], "/account/reset-password/")
    data = {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    response = client.post(link, data={**data, "csrf_token": _token(client, link)})
    assert response.status_code == 302
    assert _logout(client, before) == 400
    assert _logout(client, _token(client, "/account/profile")) == 302
