"""Change of email address over HTTP with real mail."""

import re
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

import config
from miti_training.accounts.email_change import EMAIL_CHANGE_SALT
from miti_training.accounts.tokens import SIGNUP_SALT, make_token, password_fingerprint
from miti_training.extensions import limiter
from miti_training.models import AuditEntry, Registration, User
from miti_training.registrations import invitations
from tests.conftest import link_from
from tests.support.factories import (
    PASSWORD,
    make_centre,
    make_programme,
    make_registration,
    make_staff,
    make_user,
)
from tests.support.pages import (
    assert_accessible_page,
    field_errors,
    flashes,
    follow,
    is_logged_in,
    text_of,
)
from tests.support.testdata import hostile_strings
from tests.support.tokens import flip_signature, old_token

PAGE = "/account/email"
CONFIRM = "/account/email/confirm/"
OLD = "soo-ah.park@seoul.example"
NEW = "sooah.park@busan.example"
SENT = "We sent a link to {}. Your address changes when you open it."
INVALID = "This link is invalid or has expired."


@pytest.fixture
def alice(db):
    return make_user(full_name="Park Soo-ah", email=OLD)


@pytest.fixture
def other_client(app):
    return app.test_client()


@pytest.fixture
def loose_limits(app, monkeypatch):
    """Many requests from one account (hostile input) stay under the limit."""
    monkeypatch.setitem(app.config, "EMAIL_CHANGE_RATE_LIMIT", "10000 per minute")


def _request(client, email=NEW, password=PASSWORD, **extra):
    return client.post(PAGE, data={"email": email, "password": password, **extra})


def _user(db, user_id: int) -> User:
    db.session.expire_all()
    return db.session.get(User, user_id)


def _audits(db) -> list[AuditEntry]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(AuditEntry).where(AuditEntry.action == "account.email_change"))
    )


def _can_log_in(app, email: str) -> bool:
    response = app.test_client().post("/account/login", data={"email": email, "password": PASSWORD})
    return response.status_code == 302


def _link(outbox, to: str = NEW) -> str:
    [message] = [m for m in outbox if m.to == to and CONFIRM in m.body]
    return link_from(message, CONFIRM)


# The whole flow ---------------------------------------------------------------------------


def test_profile_links_to_the_page(client, login, alice):
    login(alice)
    page = text_of(client.get("/account/profile"))
    assert f'href="{PAGE}"' in page
    assert "Change your email address" in page


def test_page_renders_accessibly(client, login, alice):
    login(alice)
    response = client.get(PAGE)
    assert response.status_code == 200
    page = text_of(response)
    assert_accessible_page(page)
    assert OLD in page
    assert 'autocomplete="current-password"' in page
    assert re.search(r'<label for="email"', page) and re.search(r'<label for="password"', page)


def test_change_of_address_from_request_to_login(
    app, client, other_client, login, db, alice, outbox
):
    alice_id = alice.id
    token_before = alice.session_token
    login(alice)
    login(alice, target_client=other_client)  # another device

    response = _request(client, email="  SooAh.Park@BUSAN.example ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/profile"
    assert ("success", SENT.format(NEW)) in flashes(follow(client, response))

    # Nothing changes yet; the new address gets the link, the old one a notice.
    assert _user(db, alice_id).email == OLD
    assert sorted(m.to for m in outbox) == sorted([OLD, NEW])
    notice = next(m for m in outbox if m.to == OLD)
    assert NEW in notice.body
    assert CONFIRM not in notice.body
    assert "change your password" in notice.body
    assert "http://testserver.example/account/password" in notice.body
    link_mail = next(m for m in outbox if m.to == NEW)
    assert "Park Soo-ah" in link_mail.body
    assert "http://testserver.example" + CONFIRM in link_mail.body
    assert "one hour" in link_mail.body
    assert f'<a href="http://testserver.example{CONFIRM}' in link_mail.html

    confirmed = client.get(_link(outbox))
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"] == "/account/profile"
    profile = follow(client, confirmed)
    assert ("success", f"Your email address is now {NEW}.") in flashes(profile)
    assert NEW in text_of(profile)

    user = _user(db, alice_id)
    assert user.email == NEW
    assert user.is_confirmed
    assert user.session_token != token_before
    assert is_logged_in(client)  # this browser stays logged in
    assert not is_logged_in(other_client)  # the other device is logged out
    assert _can_log_in(app, NEW)
    assert not _can_log_in(app, OLD)

    [entry] = _audits(db)
    assert entry.actor_id == alice_id and entry.subject_user_id == alice_id
    assert entry.reason == ""
    for value in (entry.reason, entry.from_state, entry.to_state):
        assert "@" not in value


def test_link_works_in_another_browser_without_a_login(app, client, login, db, alice, outbox):
    alice_id = alice.id
    login(alice)
    _request(client)
    elsewhere = app.test_client()  # the mail program's browser

    response = elsewhere.get(_link(outbox))
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    assert ("success", f"Your email address is now {NEW}. Log in with it.") in flashes(
        follow(elsewhere, response)
    )
    assert _user(db, alice_id).email == NEW
    assert not is_logged_in(elsewhere)
    assert not is_logged_in(client)  # every session of the account ended


def test_a_remembered_browser_keeps_its_remember_me_cookie(app, client, login, db, alice, outbox):
    login(alice, remember=True)
    _request(client)
    client.get(_link(outbox))
    assert client.get_cookie("remember_token") is not None
    restarted = app.test_client()
    restarted.set_cookie("remember_token", client.get_cookie("remember_token").value)
    assert is_logged_in(restarted)


def test_registrations_keep_the_address_the_centre_was_given(client, login, db, alice, outbox):
    registration = make_registration(make_programme(), alice)
    registration_id = registration.id
    login(alice)
    _request(client)
    client.get(_link(outbox))

    db.session.expire_all()
    assert db.session.get(Registration, registration_id).email == OLD
    assert db.session.get(Registration, registration_id).user_id == alice.id


def test_invitations_for_the_new_address_become_the_accounts(client, login, db, alice, outbox):
    centre = make_centre()
    programme = make_programme(centre)
    invitation = invitations.register_on_behalf(
        programme, NEW, actor=make_staff(centre, "coordinator")
    )
    invitation_id = invitation.id
    alice_id = alice.id
    login(alice)
    _request(client)
    client.get(_link(outbox))

    db.session.expire_all()
    assert db.session.get(Registration, invitation_id).user_id == alice_id


# Refusals ----------------------------------------------------------------------------------


def test_wrong_password_sends_nothing(client, login, db, alice, outbox):
    alice_id = alice.id
    login(alice)
    response = _request(client, password="not my password at all")
    assert response.status_code == 200
    assert field_errors(response)["password"] == "Your current password is not correct."
    assert outbox == []
    assert _user(db, alice_id).email == OLD


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your new email address."),
        ("not an address", "Enter a valid email address"),
        ("a" * 250 + "@x.example", "An email address has at most 254 characters."),
        (OLD.upper(), "This is already your email address."),
    ],
)
def test_invalid_new_address_is_refused_clearly(client, login, db, alice, outbox, email, message):
    login(alice)
    response = _request(client, email=email)
    assert response.status_code == 200
    assert message in field_errors(response)["email"]
    assert outbox == []


def test_address_of_another_account_gets_the_same_answer_and_no_link(
    app, client, login, db, alice, outbox
):
    taken = make_user(email="taken@busan.example", full_name="Kim Ji-woo")
    taken_id = taken.id
    login(alice)
    client.get("/")  # shows the welcome message

    def answer(email):
        outbox.clear()
        response = _request(client, email=email)
        page = follow(client, response)
        shown = [(c, m.replace(email, "ADDRESS")) for c, m in flashes(page)]
        return response.status_code, response.headers["Location"], shown, list(outbox)

    free = answer("free@busan.example")
    used = answer("taken@busan.example")
    assert free[:3] == used[:3]
    assert free[2] == [("success", SENT.format("ADDRESS"))]

    # The old address is told in both cases; the other account gets nothing at all.
    assert [m.to for m in free[3]] == [OLD, "free@busan.example"]
    assert [m.to for m in used[3]] == [OLD]
    assert CONFIRM not in used[3][0].body
    assert _user(db, taken_id).email == "taken@busan.example"
    assert _audits(db) == []


def test_address_taken_before_the_link_is_opened(client, login, db, alice, outbox):
    alice_id = alice.id
    login(alice)
    _request(client)
    make_user(email=NEW)

    response = client.get(_link(outbox))
    assert response.status_code == 302
    messages = flashes(follow(client, response))
    assert any(
        c == "error" and "Another account uses this email address now" in m for c, m in messages
    ), messages
    assert _user(db, alice_id).email == OLD
    assert _audits(db) == []


def test_a_used_link_is_refused_the_second_time(client, login, db, alice, outbox):
    alice_id = alice.id
    login(alice)
    _request(client)
    link = _link(outbox)
    assert client.get(link).status_code == 302

    again = client.get(link)
    assert again.status_code == 302
    assert again.headers["Location"] == PAGE
    assert any(c == "error" and INVALID in m for c, m in flashes(follow(client, again)))
    assert _user(db, alice_id).email == NEW
    assert len(_audits(db)) == 1


def test_once_one_link_is_used_the_others_die(client, login, db, alice, outbox):
    alice_id = alice.id
    login(alice)
    _request(client, email="first@busan.example")
    _request(client, email="second@busan.example")
    first, second = _link(outbox, "first@busan.example"), _link(outbox, "second@busan.example")

    client.get(second)
    assert _user(db, alice_id).email == "second@busan.example"
    refused = client.get(first)
    assert any(c == "error" and INVALID in m for c, m in flashes(follow(client, refused)))
    assert _user(db, alice_id).email == "second@busan.example"


def test_changing_the_password_cancels_a_pending_link(client, login, db, alice, outbox):
    alice_id = alice.id
    login(alice)
    _request(client)
    link = _link(outbox)
    new_password = "tram route 9 to the old bazaar"
    changed = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": new_password,
            "password_confirm": new_password,
        },
    )
    assert changed.status_code == 302

    refused = client.get(link)
    assert any(c == "error" and INVALID in m for c, m in flashes(follow(client, refused)))
    assert _user(db, alice_id).email == OLD


def _payload(user, **overrides) -> dict:
    payload = {
        "uid": user.id,
        "old": user.email,
        "new": NEW,
        "pw": password_fingerprint(user.password_hash),
    }
    payload.update(overrides)
    return payload


def test_a_link_older_than_an_hour_is_refused(app, client, db, alice):
    alice_id = alice.id
    expired = old_token(app, EMAIL_CHANGE_SALT, _payload(alice), 3601)
    response = client.get(CONFIRM + expired)
    assert response.status_code == 302
    assert any(c == "error" and INVALID in m for c, m in flashes(follow(client, response)))
    assert _user(db, alice_id).email == OLD

    # The same link a little younger works: only its age was wrong.
    recent = old_token(app, EMAIL_CHANGE_SALT, _payload(alice), 3500)
    client.get(CONFIRM + recent)
    assert _user(db, alice_id).email == NEW


@pytest.mark.parametrize(
    "mutation",
    ["truncate", "flip", "garbage", "other_salt", "uid_text", "no_new", "new_not_text", "no_user"],
)
def test_a_tampered_link_is_refused(app, client, login, db, alice, outbox, mutation):
    alice_id = alice.id
    login(alice)
    _request(client)
    good = _link(outbox)[len(CONFIRM) :]
    tokens = {
        "truncate": good[:-3],
        "flip": flip_signature(good),
        "garbage": "not-a-valid-token",
        "other_salt": make_token(SIGNUP_SALT, _payload(alice)),
        "uid_text": make_token(EMAIL_CHANGE_SALT, _payload(alice, uid=str(alice_id))),
        "no_new": make_token(EMAIL_CHANGE_SALT, _payload(alice, new=None)),
        "new_not_text": make_token(EMAIL_CHANGE_SALT, _payload(alice, new=["x@y.example"])),
        "no_user": make_token(EMAIL_CHANGE_SALT, _payload(alice, uid=alice_id + 1000)),
    }
    response = client.get(CONFIRM + tokens[mutation])
    assert response.status_code == 302
    assert any(c == "error" and INVALID in m for c, m in flashes(follow(client, response)))
    assert _user(db, alice_id).email == OLD
    assert _audits(db) == []


def test_an_anonymous_visitor_with_a_bad_link_is_sent_to_log_in(client, db):
    response = client.get(CONFIRM + "not-a-valid-token")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login?next=" + PAGE
    assert any(c == "error" and INVALID in m for c, m in flashes(follow(client, response)))


def test_a_disabled_account_cannot_use_its_link(client, login, db, alice, outbox):
    alice_id = alice.id
    login(alice)
    _request(client)
    link = _link(outbox)
    alice.is_enabled = False
    db.session.commit()
    client.get(link)
    assert _user(db, alice_id).email == OLD


# Fresh login, CSRF, hostile input, rate limits ---------------------------------------------


def test_a_remembered_session_must_log_in_again(client, login, db, alice, outbox):
    login(alice, remember=True)
    client.delete_cookie("session")  # a new browser session, restored from remember-me
    assert is_logged_in(client)

    for response in (client.get(PAGE), _request(client)):
        assert response.status_code == 302
        assert response.headers["Location"] == "/account/login?next=" + quote(PAGE, safe="")
    assert outbox == []

    login(alice)
    assert client.get(PAGE).status_code == 200
    assert _request(client).status_code == 302
    assert len(outbox) == 2


def test_anonymous_visitors_are_sent_to_log_in(client, db, outbox):
    for response in (client.get(PAGE), _request(client)):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/login")
    assert outbox == []


def test_the_request_needs_a_csrf_token(app, client, login, db, alice, outbox, monkeypatch):
    login(alice)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    assert _request(client).status_code == 400
    assert _request(client, csrf_token="forged").status_code == 400
    assert outbox == []

    page = text_of(client.get(PAGE))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert _request(client, csrf_token=token).status_code == 302
    assert len(outbox) == 2


def test_hostile_values_never_fail_and_are_escaped(client, login, db, alice, loose_limits):
    alice_id = alice.id
    login(alice)
    for value in hostile_strings():
        for data in ({"email": value}, {"email": NEW, "password": value}):
            response = _request(client, **data)
            assert response.status_code in (200, 302), (value, response.status_code)
            if response.status_code == 200 and "<" in value:
                assert value not in text_of(response), value
            if response.status_code == 302:
                page = text_of(follow(client, response))
                if "<" in value:
                    assert value not in page, value
        link = client.get(CONFIRM + quote(value, safe=""))
        assert link.status_code in (302, 404), (value, link.status_code)
    assert _user(db, alice_id).email == OLD
    assert _audits(db) == []


def test_requests_are_limited_per_account(app, client, login, db, alice, outbox, monkeypatch):
    monkeypatch.setitem(
        app.config, "EMAIL_CHANGE_RATE_LIMIT", config.Config.EMAIL_CHANGE_RATE_LIMIT
    )
    limiter.reset()
    login(alice)
    try:
        for n in range(5):  # the default: five an hour
            assert _request(client, email=f"try{n}@busan.example").status_code == 302
        assert _request(client, email="try5@busan.example").status_code == 429
        assert len(outbox) == 10
        # Another account is not affected.
        other = app.test_client()
        login(make_user(), target_client=other)
        assert _request(other).status_code == 302
    finally:
        limiter.reset()


def test_wrong_passwords_count_like_failed_logins(
    app, client, login, db, alice, outbox, monkeypatch
):
    monkeypatch.setitem(app.config, "LOGIN_FAILURE_LIMIT", config.Config.LOGIN_FAILURE_LIMIT)
    limiter.reset()
    login(alice)
    try:
        for _ in range(5):
            assert _request(client, password="wrong password guess").status_code == 200
        assert _request(client).status_code == 429
        assert outbox == []
    finally:
        limiter.reset()


def test_nothing_is_written_by_a_refused_request(client, login, db, alice):
    login(alice)
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    _request(client, password="wrong password guess")
    _request(client, email=OLD)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_both_messages_are_in_the_account_holders_language(client, login, db, outbox):
    user = make_user(email=OLD, full_name="박수아", preferred_language="ko")
    login(user)
    _request(client)
    notice = next(m for m in outbox if m.to == OLD)
    link_mail = next(m for m in outbox if m.to == NEW)
    assert notice.locale == link_mail.locale == "ko"
    assert notice.subject == "MITI Training 계정의 이메일 주소 변경이 요청되었습니다"
    assert f"{NEW}(으)로 변경해 달라고 요청했습니다" in notice.body
    assert "1시간 동안 한 번만" in link_mail.body
    assert "박수아" in link_mail.body
