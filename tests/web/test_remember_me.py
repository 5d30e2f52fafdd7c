"""Remember-me keeps people logged in; a session belongs to the browser it was started in."""

from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE

from tests.support.factories import make_user
from tests.support.pages import is_logged_in

SESSION_COOKIE = "session"


def _drop_session(browser) -> None:
    """What closing the browser does: the session cookie goes, the remember-me cookie stays."""
    browser.delete_cookie(SESSION_COOKIE)
    assert browser.get_cookie(SESSION_COOKIE) is None
    assert browser.get_cookie(REMEMBER_COOKIE) is not None


def _profile_status(browser) -> int:
    return browser.get("/account/profile").status_code


def test_remember_me_keeps_the_user_logged_in_request_after_request(client, db, login):
    login(make_user(), remember=True)
    _drop_session(client)
    assert [_profile_status(client) for _ in range(4)] == [200] * 4
    assert is_logged_in(client)
    assert client.get_cookie(REMEMBER_COOKIE) is not None


def test_a_restored_session_survives_a_first_request_that_writes_the_session(client, db, login):
    login(make_user(), remember=True)
    _drop_session(client)
    # Choosing a language stores it in the session before the user is loaded.
    assert client.post("/language", data={"lang": "fr", "next": "/"}).status_code == 302
    assert [_profile_status(client) for _ in range(3)] == [200] * 3


def test_a_forged_forwarded_for_header_does_not_change_the_session(client, db, login):
    login(make_user())
    for n in range(3):
        response = client.get("/account/email", headers={"X-Forwarded-For": f"203.0.113.{n}"})
        # Still logged in, and still fresh: the page that needs a fresh login opens.
        assert response.status_code == 200


def test_a_session_cookie_copied_to_another_browser_is_refused(app, client, db, login):
    login(make_user(), remember=True)
    thief = app.test_client()
    thief.environ_base["HTTP_USER_AGENT"] = "Another browser/1.0"
    for name in (SESSION_COOKIE, REMEMBER_COOKIE):
        thief.set_cookie(name, client.get_cookie(name).value)
    response = thief.get("/account/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
    assert thief.get_cookie(REMEMBER_COOKIE) is None  # deleted, not used to log in again
    assert _profile_status(thief) == 302


def test_the_same_browser_at_a_new_address_stays_logged_in_but_not_fresh(client, db, login):
    login(make_user(), remember=True)
    client.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    assert [_profile_status(client) for _ in range(3)] == [200] * 3
    response = client.get("/account/email")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_a_remembered_session_becomes_fresh_by_logging_in_again(client, db, login):
    user = make_user()
    login(user, remember=True)
    _drop_session(client)
    assert _profile_status(client) == 200
    assert client.get("/account/email").status_code == 302  # restored: not fresh
    login(user)  # the plain login form, without a "next"
    assert client.get("/account/email").status_code == 200


def test_a_session_pinned_before_browsers_were_told_apart_stays_logged_in(client, db, login):
    login(make_user(), remember=True)
    with client.session_transaction() as session:
        session["_id"] = "0f" * 64  # the form of an older pin: one digest, no browser part
    assert [_profile_status(client) for _ in range(3)] == [200] * 3
    assert client.get("/account/email").status_code == 302  # but no longer fresh
