"""Guessing passwords is slowed, yet a stranger cannot keep the owner out of their account."""

import pytest

from miti_training.web.sessions import KNOWN_DEVICE_COOKIE
from tests.conftest import link_from
from tests.support.factories import PASSWORD, make_user
from tests.support.limits import install_clock, production_limits
from tests.support.pages import flashes, follow

ATTACKER, OWNER = "10.0.0.66", "10.0.0.7"
NEW_PASSWORD = "a brand new passphrase 42"
RESET_SENT = (
    "If an account uses this address, we sent it a link to choose a new password. "
    "The link works for one hour."
)


@pytest.fixture
def limits_on(app, monkeypatch):
    yield from production_limits(app, monkeypatch)


@pytest.fixture
def clock(monkeypatch):
    return install_clock(monkeypatch)


@pytest.fixture
def at(app):
    """A browser of its own at a client address."""

    def _at(address):
        browser = app.test_client()
        browser.environ_base["REMOTE_ADDR"] = address
        return browser

    return _at


def _login(client, email, password):
    return client.post("/account/login", data={"email": email, "password": password})


def _guess(client, email, times):
    return [_login(client, email, "wrong password guess").status_code for _ in range(times)]


def test_a_stranger_failing_elsewhere_keeps_the_owner_out_for_a_minute_at_most(
    db, limits_on, clock, at
):
    owner = make_user(email="mona.elsayed@cairo.example")
    for _ in range(4):  # a botnet: a few guesses from each of many addresses
        for n in range(10):
            _guess(at(f"10.0.1.{n}"), owner.email, 3)
        clock.advance(15)
    clock.advance(1)
    attempts = [_login(at(OWNER), owner.email, PASSWORD).status_code]
    while attempts[-1] != 302 and len(attempts) < 62:
        clock.advance(1)
        attempts.append(_login(at(OWNER), owner.email, PASSWORD).status_code)
    assert attempts[-1] == 302
    assert len(attempts) <= 61


def test_the_owners_own_browser_is_never_slowed_by_a_strangers_guesses(db, limits_on, clock, at):
    owner = make_user(email="mona.elsayed@cairo.example")
    browser = at(OWNER)
    assert _login(browser, owner.email, PASSWORD).status_code == 302
    browser.post("/account/logout")
    for n in range(20):
        _guess(at(f"10.0.1.{n}"), owner.email, 3)
    assert 429 in _guess(at(ATTACKER), owner.email, 6)
    assert _login(browser, owner.email, PASSWORD).status_code == 302


def test_the_guessing_client_is_throttled(db, limits_on, clock, at):
    owner = make_user(email="mona.elsayed@cairo.example")
    attacker = at(ATTACKER)
    statuses = _guess(attacker, owner.email, 6)
    assert statuses == [200] * 5 + [429]
    assert "Retry-After" in _login(attacker, owner.email, "another guess").headers
    # Across addresses, the client's own limit stops it too.
    statuses = [_login(attacker, f"n{n}@cairo.example", "a guess").status_code for n in range(20)]
    assert statuses[-1] == 429
    clock.advance(61)
    assert _guess(attacker, owner.email, 1) == [200]  # the lock on the pair lasts a minute


def test_mistakes_at_the_owners_own_address_lock_the_owner_for_a_minute_at_most(
    db, limits_on, clock, at
):
    owner = make_user(email="mona.elsayed@cairo.example")
    assert 429 in _guess(at(OWNER), owner.email, 6)
    assert _login(at(OWNER), owner.email, PASSWORD).status_code == 429
    clock.advance(60)
    assert _login(at(OWNER), owner.email, PASSWORD).status_code == 302


def test_the_lock_does_not_reveal_whether_the_address_has_an_account(db, limits_on, at):
    make_user(email="known@city.example")
    statuses = {}
    for email in ("known@city.example", "unknown@city.example"):
        statuses[email] = _guess(at(ATTACKER), email, 6)
    assert statuses["known@city.example"] == statuses["unknown@city.example"]
    assert statuses["known@city.example"][-1] == 429


def test_a_known_device_cookie_counts_only_for_its_own_account(db, limits_on, at):
    owner, other = make_user(), make_user()
    browser = at(OWNER)
    assert _login(browser, owner.email, PASSWORD).status_code == 302
    browser.post("/account/logout")
    cookie = browser.get_cookie(KNOWN_DEVICE_COOKIE, path="/account/login")
    assert cookie is not None and cookie.http_only
    assert owner.email not in cookie.value
    for n in range(11):
        _guess(at(f"10.0.2.{n}"), other.email, 1)
    assert _login(browser, other.email, PASSWORD).status_code == 429
    forged = at(OWNER)
    forged.set_cookie(KNOWN_DEVICE_COOKIE, "forged", path="/account/login")
    for n in range(11):
        _guess(at(f"10.0.3.{n}"), owner.email, 1)
    assert _login(forged, owner.email, PASSWORD).status_code == 429
    assert _login(browser, owner.email, PASSWORD).status_code == 302


def test_a_password_reset_unlocks_the_account(db, limits_on, clock, outbox, at):
    owner = make_user(email="mona.elsayed@cairo.example")
    for n in range(11):
        _guess(at(f"10.0.1.{n}"), owner.email, 1)
    assert 429 in _guess(at(OWNER), owner.email, 6)
    browser = at(OWNER)
    assert browser.post("/account/forgot-password", data={"email": owner.email}).status_code == 302
    link = link_from(outbox[-1], "/account/reset-password/")
    data = {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    assert browser.post(link, data=data).status_code == 302
    # Another browser at the same address, without the new known-device cookie, gets in at once.
    assert _login(at(OWNER), owner.email, NEW_PASSWORD).status_code == 302


def test_a_strangers_reset_requests_do_not_stop_the_owner_getting_a_link(
    client, db, limits_on, outbox, at
):
    owner = make_user(email="mona.elsayed@cairo.example")
    attacker = at(ATTACKER)
    statuses = [
        attacker.post("/account/forgot-password", data={"email": owner.email}).status_code
        for _ in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    for n in range(5):
        at(f"10.0.1.{n}").post("/account/forgot-password", data={"email": owner.email})
    sent = len(outbox)
    assert sent == 5  # the mail cap: more requests send nothing

    browser = at(OWNER)
    response = browser.post("/account/forgot-password", data={"email": owner.email})
    assert response.status_code == 302
    assert flashes(follow(browser, response)) == [("success", RESET_SENT)]
    assert len(outbox) == sent
    # The owner still holds a working link from the last hour.
    link = link_from(outbox[-1], "/account/reset-password/")
    data = {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    assert browser.post(link, data=data).status_code == 302
    assert _login(at(OWNER), owner.email, NEW_PASSWORD).status_code == 302


def test_reset_requests_are_limited_per_client_for_unknown_addresses_too(db, limits_on, at):
    attacker = at(ATTACKER)
    make_user(email="known@city.example")
    for email in ("known@city.example", "unknown@city.example"):
        statuses = [
            attacker.post("/account/forgot-password", data={"email": email}).status_code
            for _ in range(4)
        ]
        assert statuses == [302, 302, 302, 429]
