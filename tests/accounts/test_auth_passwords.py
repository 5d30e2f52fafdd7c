"""Password reset by emailed link and password change, over HTTP."""

import re
import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from miti_training.accounts.tokens import RESET_SALT, SIGNUP_SALT, make_token, password_fingerprint
from miti_training.extensions import db as _db
from miti_training.models import User
from tests.conftest import link_from
from tests.support.audit import audit_actions
from tests.support.factories import PASSWORD, make_user
from tests.support.pages import field_errors, flashes, follow, is_logged_in, text_of, translated

NEW_PASSWORD = "a brand new passphrase 2026"
RESET_SENT = (
    "If an account uses this address, we sent it a link to choose a new password. "
    "The link works for one hour."
)
LINK_DEAD = "This link is invalid or has expired. Ask for a new link below."


def reload(user: User) -> User:
    return _db.session.scalar(select(User).where(User.id == user.id))


def request_reset_link(client, outbox, user, **kwargs) -> str:
    outbox.clear()
    response = client.post("/account/forgot-password", data={"email": user.email}, **kwargs)
    assert response.status_code == 302
    assert len(outbox) == 1
    return link_from(outbox[0], "/account/reset-password/")


def reset_data(password=NEW_PASSWORD, confirm=None) -> dict:
    return {"password": password, "password_confirm": password if confirm is None else confirm}


@pytest.fixture
def other_client(app):
    return app.test_client()


# Forgot password ----------------------------------------------------------------------


def test_forgot_password_page_renders(client, db):
    response = client.get("/account/forgot-password")
    assert response.status_code == 200
    assert 'name="email"' in text_of(response)


def test_known_and_unknown_addresses_get_the_same_answer(client, db, outbox):
    user = make_user(email="known@paris.example")
    disabled = make_user(email="disabled@paris.example", is_enabled=False)
    answers = []
    for email in (user.email, "  KNOWN@Paris.example ", "unknown@paris.example", disabled.email):
        response = client.post("/account/forgot-password", data={"email": email})
        assert response.status_code == 302
        assert response.headers["Location"] == "/account/login"
        answers.append(flashes(follow(client, response)))
    assert answers == [[("success", RESET_SENT)]] * 4
    # Only the real, enabled account was sent anything.
    assert [m.to for m in outbox] == [user.email, user.email]


def test_reset_email_is_in_the_users_language_and_uses_the_configured_base_url(client, db, outbox):
    user = make_user(preferred_language="es", full_name="Lucía Gómez")
    response = client.post(
        "/account/forgot-password",
        data={"email": user.email},
        base_url="https://attacker.example",
        headers={"X-Forwarded-Host": "attacker.example"},
    )
    assert response.status_code == 302
    message = outbox[0]
    assert message.locale == "es"
    assert "Lucía Gómez" in message.body
    assert "attacker" not in message.body
    assert re.search(r"http://testserver\.example/account/reset-password/\S+", message.body)


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your email address."),
        ("not an address", "Enter a valid email address"),
        ("x" * 300 + "@example.org", "at most 254 characters"),
    ],
)
def test_forgot_password_form_errors(client, db, outbox, email, message):
    response = client.post("/account/forgot-password", data={"email": email})
    assert response.status_code == 200
    assert message in field_errors(response)["email"]
    assert outbox == []


# Reset by link ------------------------------------------------------------------------


def test_reset_link_sets_the_password_once(client, db, outbox):
    user = make_user()
    old_hash = user.password_hash
    link = request_reset_link(client, outbox, user)
    assert client.get(link).status_code == 200
    outbox.clear()

    response = client.post(link, data=reset_data())
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert ("success", "Your password has been changed and you are logged in.") in flashes(
        client.get("/")
    )
    assert is_logged_in(client)

    saved = reload(user)
    assert saved.password_hash != old_hash
    assert saved.password_hash.startswith("scrypt:")
    assert saved.check_password(NEW_PASSWORD)
    assert not saved.check_password(PASSWORD)
    assert "account.password_reset" in audit_actions(user)
    assert [m.to for m in outbox] == [user.email]
    assert "password of your MITI Training account was just changed" in outbox[0].body

    # The same link again: refused with a clear message, the password stays.
    client.post("/account/logout")
    for again in (
        lambda: client.get(link),
        lambda: client.post(link, data=reset_data("yet another passphrase 9")),
    ):
        again = again()
        assert again.status_code == 302
        assert again.headers["Location"] == "/account/forgot-password"
        assert ("error", LINK_DEAD) in flashes(follow(client, again))
    assert reload(user).check_password(NEW_PASSWORD)


def test_a_used_link_also_kills_the_other_links(client, db, outbox):
    user = make_user()
    first = request_reset_link(client, outbox, user)
    second = request_reset_link(client, outbox, user)
    assert client.post(second, data=reset_data()).status_code == 302
    response = client.get(first)
    assert response.headers["Location"] == "/account/forgot-password"


def test_changing_the_password_otherwise_kills_reset_links(client, db, outbox, login):
    user = make_user()
    link = request_reset_link(client, outbox, user)
    login(user)
    client.post(
        "/account/password",
        data={"current_password": PASSWORD, **reset_data()},
    )
    client.post("/account/logout")
    assert client.get(link).headers["Location"] == "/account/forgot-password"


def test_reset_ends_every_other_session(client, other_client, db, outbox, login):
    user = make_user()
    login(user, target_client=other_client, remember=True)
    remember = other_client.get_cookie("remember_token").value
    assert is_logged_in(other_client)

    link = request_reset_link(client, outbox, user)
    assert client.post(link, data=reset_data()).status_code == 302
    assert is_logged_in(client)
    assert not is_logged_in(other_client)

    # The stolen remember-me cookie is dead too.
    thief = other_client.application.test_client()
    thief.set_cookie("remember_token", remember)
    assert not is_logged_in(thief)


def test_reset_while_logged_in_as_someone_else_logs_in_the_link_owner(client, db, outbox, login):
    owner = make_user(full_name="Link Owner")
    login(make_user(full_name="Someone Else"))
    link = request_reset_link(client, outbox, owner)
    client.post(link, data=reset_data())
    assert "Link Owner" in text_of(client.get("/account/profile"))


def test_expired_reset_link_is_refused(client, app, db, outbox, monkeypatch):
    user = make_user()
    link = request_reset_link(client, outbox, user)
    monkeypatch.setitem(app.config, "RESET_TOKEN_MAX_AGE", -1)
    for send in (lambda: client.get(link), lambda: client.post(link, data=reset_data())):
        response = send()
        assert response.headers["Location"] == "/account/forgot-password"
        assert ("error", LINK_DEAD) in flashes(follow(client, response))
    assert reload(user).check_password(PASSWORD)


def test_reset_link_older_than_an_hour_is_refused(client, app, db):
    user = make_user()

    class PastSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 3601

    payload = {"uid": user.id, "pw": password_fingerprint(user.password_hash)}
    serializer = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt=RESET_SALT, signer=PastSigner
    )
    response = client.get(f"/account/reset-password/{serializer.dumps(payload)}")
    assert response.headers["Location"] == "/account/forgot-password"
    # The same token signed now works: only its age was wrong.
    with app.test_request_context():
        fresh = make_token(RESET_SALT, payload)
    assert client.get(f"/account/reset-password/{fresh}").status_code == 200


@pytest.mark.parametrize("kind", ["truncated", "garbage", "signup_salt", "unknown_user"])
def test_tampered_reset_links_are_refused(client, db, outbox, kind):
    user = make_user()
    link = request_reset_link(client, outbox, user)
    token = link.rsplit("/", 1)[1]
    bad = {
        "truncated": token[:-4],
        "garbage": "eyJ1aWQiOjF9.bogus.signature",
        "signup_salt": make_token(
            SIGNUP_SALT, {"uid": user.id, "pw": password_fingerprint(user.password_hash)}
        ),
        "unknown_user": make_token(RESET_SALT, {"uid": 987654, "pw": "0" * 16}),
    }[kind]
    response = client.post(f"/account/reset-password/{bad}", data=reset_data())
    assert response.status_code == 302
    assert ("error", LINK_DEAD) in flashes(follow(client, response))
    assert reload(user).check_password(PASSWORD)


def test_reset_link_of_a_disabled_account_is_refused(client, db, outbox):
    user = make_user()
    link = request_reset_link(client, outbox, user)
    reload(user).is_enabled = False
    response = client.post(link, data=reset_data())
    assert response.headers["Location"] == "/account/forgot-password"
    assert reload(user).check_password(PASSWORD)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (reset_data(""), "password", "Choose a password."),
        (reset_data("too short"), "password", "Use at least 12 characters."),
        (reset_data("qwerty123456"), "password", "too common"),
        (reset_data("aaaaaaaaaaaaaaaa"), "password", "simple pattern"),
        (reset_data(NEW_PASSWORD, "something different"), "password_confirm", "do not match"),
    ],
)
def test_reset_form_errors_keep_the_link_usable(client, db, outbox, data, field, message):
    user = make_user()
    link = request_reset_link(client, outbox, user)
    response = client.post(link, data=data)
    assert response.status_code == 200
    assert message in field_errors(response)[field]
    assert reload(user).check_password(PASSWORD)
    assert client.post(link, data=reset_data()).status_code == 302


def test_reset_refuses_the_users_own_email_as_password(client, db, outbox):
    user = make_user(email="long.address.for.policy@seoul.example")
    link = request_reset_link(client, outbox, user)
    response = client.post(link, data=reset_data(user.email))
    assert response.status_code == 200
    assert "Do not use your name or email address" in field_errors(response)["password"]
    assert reload(user).check_password(PASSWORD)


def test_reset_accepts_a_100_character_password(client, db, outbox, login):
    user = make_user()
    password = ("water management in mexico city " * 4)[:100]
    link = request_reset_link(client, outbox, user)
    assert client.post(link, data=reset_data(password)).status_code == 302
    client.post("/account/logout")
    login(user, password=password)


# Change password ----------------------------------------------------------------------


def change_data(current=PASSWORD, new=NEW_PASSWORD, confirm=None) -> dict:
    return {"current_password": current, **reset_data(new, confirm)}


def test_change_password_page_renders(client, db, login):
    login(make_user())
    response = client.get("/account/password")
    assert response.status_code == 200
    assert 'name="current_password"' in text_of(response)


def test_wrong_current_password_is_a_field_error(client, db, login, outbox):
    user = make_user()
    login(user)
    old_token = user.session_token
    response = client.post("/account/password", data=change_data(current="not my password at all"))
    assert response.status_code == 200
    assert field_errors(response)["current_password"] == "Your current password is not correct."
    saved = reload(user)
    assert saved.check_password(PASSWORD)
    assert saved.session_token == old_token
    assert outbox == []
    assert is_logged_in(client)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (change_data(current=""), "current_password", "Enter your current password."),
        (change_data(current="c" * 300), "current_password", "Use at most 256 characters."),
        (change_data(new=""), "password", "Choose a password."),
        (change_data(new="short one"), "password", "Use at least 12 characters."),
        (change_data(new="password1234"), "password", "too common"),
        (change_data(new="p" * 257), "password", "Use at most 256 characters."),
        (change_data(confirm="not the same password"), "password_confirm", "do not match"),
    ],
)
def test_change_password_form_errors(client, db, login, outbox, data, field, message):
    user = make_user()
    login(user)
    response = client.post("/account/password", data=data)
    assert response.status_code == 200
    assert message in field_errors(response)[field]
    assert reload(user).check_password(PASSWORD)
    assert outbox == []


def test_change_password_refuses_the_users_name(client, db, login):
    user = make_user(full_name="Jean-Baptiste Moreau")
    login(user)
    response = client.post("/account/password", data=change_data(new="jean-baptiste moreau"))
    assert response.status_code == 200
    assert "Do not use your name" in field_errors(response)["password"]
    assert reload(user).check_password(PASSWORD)


def test_change_password_ends_other_sessions_but_keeps_this_one(
    client, other_client, db, login, outbox
):
    user = make_user(preferred_language="fr")
    login(user, remember=True)
    login(user, target_client=other_client, remember=True)
    stolen_remember = other_client.get_cookie("remember_token").value
    assert is_logged_in(other_client)

    response = client.post("/account/password", data=change_data())
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/profile"
    assert (
        "success",
        translated("Your password has been changed. Other devices have been logged out.", "fr"),
    ) in flashes(client.get("/account/profile"))

    assert is_logged_in(client)
    assert not is_logged_in(other_client)
    thief = other_client.application.test_client()
    thief.set_cookie("remember_token", stolen_remember)
    assert not is_logged_in(thief)

    saved = reload(user)
    assert saved.check_password(NEW_PASSWORD)
    assert "account.password_change" in audit_actions(user)
    assert len(outbox) == 1
    assert outbox[0].to == user.email
    assert outbox[0].locale == "fr"
    assert (
        translated(
            "The password of your MITI Training account was just changed, and every other device was logged out.",
            "fr",
        )
        in outbox[0].body
    )

    # The old password no longer works, the new one does.
    fresh = other_client.application.test_client()
    bad = fresh.post("/account/login", data={"email": user.email, "password": PASSWORD})
    assert bad.status_code == 200
    assert (
        fresh.post(
            "/account/login", data={"email": user.email, "password": NEW_PASSWORD}
        ).status_code
        == 302
    )


def test_after_change_this_device_keeps_its_remember_me(client, app, db, login):
    user = make_user()
    login(user, remember=True)
    client.post("/account/password", data=change_data())
    remember = client.get_cookie("remember_token")
    assert remember is not None
    restarted = app.test_client()
    restarted.set_cookie("remember_token", remember.value)
    assert is_logged_in(restarted)
