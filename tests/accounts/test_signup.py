"""Sign-up over HTTP: an address first, the account only from the link sent to it.

The form's field checks are in test_signup_form.py; the limits in test_signup_limits.py.
"""

import re

import pytest
from sqlalchemy import func, select

from miti_training.accounts.tokens import RESET_SALT, SIGNUP_SALT, make_token
from miti_training.extensions import db as _db
from miti_training.models import User
from tests.conftest import link_from
from tests.support.factories import PASSWORD, make_member_city, make_user
from tests.support.pages import flashes, follow, is_logged_in, text_of, translated
from tests.support.tokens import flip_signature, old_token

SIGNUP_PASSWORD = "tram route 7 to gangnam"
ADDRESS = "minjun.kim@seoul.example"
LINK = "/account/signup/"
TAKEN = "An account already uses this email address."
DEAD_LINK = "This link is invalid or has expired. Enter your address again for a new link."


def user_count() -> int:
    return _db.session.scalar(select(func.count()).select_from(User))


def get_user(email: str) -> User | None:
    _db.session.expire_all()
    return _db.session.scalar(select(User).where(User.email == email))


def profile_data(city, **overrides) -> dict:
    data = {
        "full_name": "Kim Min-jun",
        "password": SIGNUP_PASSWORD,
        "password_confirm": SIGNUP_PASSWORD,
        "member_city_id": str(city.id),
        "job_title": "Transport policy officer",
        "preferred_language": "ko",
        "timezone": "Asia/Seoul",
    }
    data.update(overrides)
    return data


def ask_for_link(client, outbox, email=ADDRESS, **kwargs) -> str:
    """Send the first form; the path of the sign-up link mailed to email."""
    outbox.clear()
    response = client.post("/account/signup", data={"email": email}, **kwargs)
    assert response.status_code == 302
    (message,) = outbox
    return link_from(message, LINK)


@pytest.fixture
def city(db):
    return make_member_city(name="Seoul Metropolitan Government", country="Republic of Korea")


def test_the_first_step_asks_for_the_address_only(client, city):
    response = client.get("/account/signup")
    assert response.status_code == 200
    page = text_of(response)
    assert re.search(r'<input[^>]*name="email"', page)
    for name in ("password", "full_name", "member_city_id"):
        assert f'name="{name}"' not in page


def test_asking_sends_a_link_and_makes_no_account(client, city, outbox):
    response = client.post(
        "/account/signup", data={"email": ADDRESS}, headers={"Accept-Language": "ko"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/signup/done"
    assert user_count() == 0  # nothing exists until the link is opened

    (message,) = outbox
    assert message.to == ADDRESS
    assert message.locale == "ko"  # the visitor's language
    assert "http://testserver.example/account/signup/" in message.body

    done = text_of(client.get("/account/signup/done"))
    assert "Check your email" in done
    assert 'href="/account/signup"' in done  # a new link: the same form again


def test_the_link_makes_a_confirmed_account_and_logs_it_in(client, city, outbox):
    link = ask_for_link(client, outbox, email="  Min.Jun@Seoul.EXAMPLE ")
    page = client.get(link)
    assert page.status_code == 200
    assert "no-store" in page.headers["Cache-Control"]  # it shows the address
    html = text_of(page)
    assert re.search(r'<input[^>]*value="min\.jun@seoul\.example"[^>]*readonly', html)
    assert 'name="email"' not in html  # the address is the link's, never a field

    response = client.post(link, data=profile_data(city))
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = follow(client, response)
    # In the language the new account chose.
    welcome = "Kim Min-jun 님, 환영합니다. 계정이 만들어졌으며 로그인되었습니다."
    assert ("success", welcome) in flashes(home)
    assert is_logged_in(client)

    user = get_user("min.jun@seoul.example")
    assert user.email_confirmed_at is not None
    assert user.check_password(SIGNUP_PASSWORD) and SIGNUP_PASSWORD not in user.password_hash
    assert (user.full_name, user.member_city_id, user.job_title) == (
        "Kim Min-jun",
        city.id,
        "Transport policy officer",
    )
    assert (user.preferred_language, user.timezone, user.is_admin) == ("ko", "Asia/Seoul", False)


def test_a_used_link_points_to_log_in_and_makes_nothing(app, client, city, outbox):
    link = ask_for_link(client, outbox)
    client.post(link, data=profile_data(city))
    elsewhere = app.test_client()
    for send in (elsewhere.get, lambda link: elsewhere.post(link, data=profile_data(city))):
        response = send(link)
        assert response.status_code == 302
        assert response.headers["Location"] == "/account/login"
        login_page = follow(elsewhere, response)
        assert any(TAKEN in m for _, m in flashes(login_page))
        assert 'href="/account/forgot-password"' in text_of(login_page)
    assert user_count() == 1


def test_an_address_taken_after_the_link_was_sent_is_refused(client, city, outbox):
    link = ask_for_link(client, outbox)
    owner = make_user(email=ADDRESS, full_name="Kim Min-jun")
    response = client.post(link, data=profile_data(city, full_name="Someone else"))
    assert response.headers["Location"] == "/account/login"
    assert user_count() == 1
    assert get_user(ADDRESS).id == owner.id
    assert not is_logged_in(client)


def test_taken_and_free_addresses_get_the_same_answer(client, city, outbox):
    owner = make_user(email="amina.hassan@cairo.example", full_name="Amina Hassan")
    owner.preferred_language = "ar"
    original_hash = owner.password_hash
    answers = {}
    for email in ("new.person@cairo.example", "  Amina.Hassan@CAIRO.example  "):
        outbox.clear()
        response = client.post("/account/signup", data={"email": email})
        done = follow(client, response)
        # The CSRF token is signed with the time: the pages may differ in it and nothing else.
        page = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', text_of(done))
        answers[email] = (response.status_code, response.headers["Location"], page)
        (message,) = outbox
    free, taken = answers.values()
    assert free == taken

    # Only the owner is told, in their language, with ways in and no sign-up link.
    assert message.to == "amina.hassan@cairo.example" and message.locale == "ar"
    assert (
        translated(
            "Someone tried to create a MITI Training account with your email address, which already has an account.",
            "ar",
        )
        in message.body
    )
    assert "http://testserver.example/account/login" in message.body
    assert "http://testserver.example/account/forgot-password" in message.body
    assert LINK not in message.body
    assert user_count() == 1  # the owner; new.person has no account either
    assert get_user("amina.hassan@cairo.example").password_hash == original_hash


def test_links_use_the_configured_base_url_not_the_host_header(client, city, outbox):
    client.post(
        "/account/signup",
        data={"email": ADDRESS},
        base_url="http://attacker.example",
        headers={"X-Forwarded-Host": "attacker.example", "Forwarded": "host=attacker.example"},
    )
    assert "attacker" not in outbox[0].body
    assert re.search(r"http://testserver\.example/account/signup/\S+", outbox[0].body)


@pytest.mark.parametrize("mutation", ["truncate", "flip", "garbage", "other_salt", "no_address"])
def test_a_tampered_link_says_so_and_offers_a_new_one(client, city, outbox, mutation):
    token = ask_for_link(client, outbox).rsplit("/", 1)[1]
    bad = {
        "truncate": token[:-3],
        # The signature's first character: its last one carries unused padding bits.
        "flip": flip_signature(token),
        "garbage": "not-a-token",
        "other_salt": make_token(RESET_SALT, {"email": ADDRESS}),
        "no_address": make_token(SIGNUP_SALT, {"email": ["x@y.example"]}),
    }[mutation]
    for send in (client.get, lambda path: client.post(path, data=profile_data(city))):
        response = send(LINK + bad)
        assert response.status_code == 302
        assert response.headers["Location"] == "/account/signup"
        page = follow(client, response)
        assert ("error", DEAD_LINK) in flashes(page)
        assert 'name="email"' in text_of(page)  # the way to a new link
    assert user_count() == 0


def test_an_expired_link_is_refused(app, client, city, outbox, monkeypatch):
    link = ask_for_link(client, outbox)
    monkeypatch.setitem(app.config, "CONFIRM_TOKEN_MAX_AGE", -1)
    response = follow(client, client.post(link, data=profile_data(city)))
    assert ("error", DEAD_LINK) in flashes(response)
    assert user_count() == 0


def test_a_link_signed_four_days_ago_is_refused(app, client, city):
    stale = old_token(app, SIGNUP_SALT, {"email": ADDRESS}, 4 * 24 * 3600)
    assert client.get(LINK + stale).headers["Location"] == "/account/signup"
    fresh = old_token(app, SIGNUP_SALT, {"email": ADDRESS}, 3600)
    assert client.get(LINK + fresh).status_code == 200


def test_logged_in_users_are_sent_home(client, login, outbox, city):
    link = ask_for_link(client, outbox)
    login(make_user())
    for path in ("/account/signup", link):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/"


def test_there_is_no_confirmation_resend_any_more(client, login, outbox):
    login(make_user())
    assert "Send a new confirmation link" not in text_of(client.get("/account/profile"))
    assert client.post("/account/confirm/resend").status_code == 404
    assert outbox == []


def test_login_refuses_an_account_whose_confirmation_is_missing(client, db):
    """Defence in depth behind the constraint: an account read without a confirmation time
    does not log in."""
    from miti_training.accounts import sign_in

    user = make_user(email="kim@seoul.example")
    with db.session.no_autoflush:
        user.email_confirmed_at = None
        assert sign_in.authenticate(user.email, PASSWORD) is None
    db.session.rollback()
