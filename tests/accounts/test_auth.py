"""Accounts over HTTP: sign-up, confirmation, log in/out, profile, CSRF, anonymous access.

Password reset and change are in test_auth_passwords.py.
"""

import re
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from miti_training.accounts.tokens import CONFIRM_SALT, RESET_SALT, make_token
from miti_training.models import User
from tests.conftest import link_from
from tests.support.factories import PASSWORD, make_member_city, make_user
from tests.support.pages import field_errors, flashes, follow, is_logged_in, text_of, translated
from tests.support.testdata import hostile_strings
from tests.support.tokens import flip_signature, old_token

SIGNUP_PASSWORD = "tram route 7 to gangnam"


# Helpers ------------------------------------------------------------------------------


def user_count() -> int:
    from miti_training.extensions import db

    return db.session.scalar(select(func.count()).select_from(User))


def get_user(email: str) -> User | None:
    from miti_training.extensions import db

    return db.session.scalar(select(User).where(User.email == email))


def signup_data(city, **overrides) -> dict:
    data = {
        "full_name": "Kim Min-jun",
        "email": "minjun.kim@seoul.example",
        "password": SIGNUP_PASSWORD,
        "password_confirm": SIGNUP_PASSWORD,
        "member_city_id": str(city.id),
        "job_title": "Transport policy officer",
        "preferred_language": "ko",
        "timezone": "Asia/Seoul",
    }
    data.update(overrides)
    return data


@pytest.fixture
def city(db):
    return make_member_city(name="Seoul Metropolitan Government", country="Republic of Korea")


@pytest.fixture
def other_client(app):
    return app.test_client()


# Sign-up ------------------------------------------------------------------------------


def test_signup_page_renders(client, city):
    response = client.get("/account/signup")
    assert response.status_code == 200
    page = text_of(response)
    assert "Seoul Metropolitan Government (Republic of Korea)" in page
    assert 'name="timezone"' in page and "Asia/Seoul" in page
    assert re.search(r'<input[^>]*autocomplete="new-password"[^>]*name="password"', page)


def test_signup_creates_an_account_and_confirmation_confirms_it(client, city, outbox):
    response = client.post("/account/signup", data=signup_data(city))
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/signup/done"

    user = get_user("minjun.kim@seoul.example")
    assert user is not None
    assert user.password_hash.startswith("scrypt:")
    assert SIGNUP_PASSWORD not in user.password_hash
    assert user.check_password(SIGNUP_PASSWORD)
    assert user.full_name == "Kim Min-jun"
    assert user.member_city_id == city.id
    assert user.job_title == "Transport policy officer"
    assert user.preferred_language == "ko"
    assert user.timezone == "Asia/Seoul"
    assert user.email_confirmed_at is None
    assert not user.is_admin

    assert len(outbox) == 1
    message = outbox[0]
    assert message.to == "minjun.kim@seoul.example"
    assert message.locale == "ko"
    assert "Kim Min-jun" in message.body
    assert "http://testserver.example/account/confirm/" in message.body

    done = client.get("/account/signup/done")
    assert done.status_code == 200
    assert "Check your email" in text_of(done)

    link = link_from(message, "/account/confirm/")
    response = client.get(link)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    confirmed_at = get_user("minjun.kim@seoul.example").email_confirmed_at
    assert confirmed_at is not None
    assert ("success", "Thank you, your email address is confirmed. You can now log in.") in (
        flashes(client.get("/account/login"))
    )

    # Reusing the link is harmless: still confirmed, the first time kept.
    again = client.get(link)
    assert again.status_code == 302
    assert get_user("minjun.kim@seoul.example").email_confirmed_at == confirmed_at
    assert len(outbox) == 1


def test_signup_normalises_the_email_address(client, city):
    client.post("/account/signup", data=signup_data(city, email="  Min.Jun@Seoul.EXAMPLE "))
    assert get_user("min.jun@seoul.example") is not None
    assert user_count() == 1


def test_signed_up_user_can_log_in_and_browse_before_confirming(client, city, login):
    client.post("/account/signup", data=signup_data(city))
    user = get_user("minjun.kim@seoul.example")
    login(user, password=SIGNUP_PASSWORD)
    profile = client.get("/account/profile")
    assert profile.status_code == 200
    assert translated("Not confirmed yet", "ko") in text_of(profile)
    assert client.get("/programmes").status_code == 200


def test_confirming_while_logged_in_goes_home(client, login, outbox):
    user = make_user(confirmed=False)
    login(user)
    client.post("/account/confirm/resend")
    response = client.get(link_from(outbox[-1], "/account/confirm/"))
    assert response.headers["Location"] == "/"
    assert get_user(user.email).is_confirmed


def test_bad_confirmation_link_while_logged_in_points_to_the_resend_button(client, login):
    login(make_user(confirmed=False))
    response = client.get("/account/confirm/not-a-token")
    assert response.headers["Location"] == "/account/profile"
    page = follow(client, response)
    assert any("invalid or has expired" in m for _, m in flashes(page))
    assert "Send a new confirmation link" in text_of(page)


def test_signup_links_use_the_configured_base_url_not_the_host_header(client, city, outbox):
    response = client.post(
        "/account/signup",
        data=signup_data(city),
        base_url="http://attacker.example",
        headers={"X-Forwarded-Host": "attacker.example", "Forwarded": "host=attacker.example"},
    )
    assert response.status_code == 302
    assert len(outbox) == 1
    assert "attacker" not in outbox[0].body
    assert re.search(r"http://testserver\.example/account/confirm/\S+", outbox[0].body)


@pytest.mark.parametrize("mutation", ["truncate", "flip", "garbage", "other_salt"])
def test_tampered_confirmation_link_gives_a_clear_message(client, city, outbox, mutation, app):
    client.post("/account/signup", data=signup_data(city))
    link = link_from(outbox[0], "/account/confirm/")
    token = link.rsplit("/", 1)[1]
    user = get_user("minjun.kim@seoul.example")
    bad = {
        "truncate": token[:-3],
        # Change the signature's first character: its last one carries unused padding bits.
        "flip": flip_signature(token),
        "garbage": "not-a-token",
        "other_salt": make_token(RESET_SALT, {"uid": user.id, "email": user.email}),
    }[mutation]
    response = follow(client, client.get("/account/confirm/" + bad))
    assert response.status_code == 200
    messages = [m for _, m in flashes(response)]
    assert any("This link is invalid or has expired." in m for m in messages), messages
    assert get_user("minjun.kim@seoul.example").email_confirmed_at is None


def test_expired_confirmation_link_is_refused(client, app, city, outbox, monkeypatch):
    client.post("/account/signup", data=signup_data(city))
    link = link_from(outbox[0], "/account/confirm/")
    monkeypatch.setitem(app.config, "CONFIRM_TOKEN_MAX_AGE", -1)
    response = follow(client, client.get(link))
    assert response.status_code == 200
    assert any("invalid or has expired" in m for _, m in flashes(response))
    assert get_user("minjun.kim@seoul.example").email_confirmed_at is None


def test_confirmation_link_signed_four_days_ago_is_refused(client, app, db):
    user = make_user(confirmed=False)
    token = old_token(app, CONFIRM_SALT, {"uid": user.id, "email": user.email}, 4 * 24 * 3600)
    response = follow(client, client.get(f"/account/confirm/{token}"))
    assert any("invalid or has expired" in m for _, m in flashes(response))
    assert not get_user(user.email).is_confirmed
    fresh = old_token(app, CONFIRM_SALT, {"uid": user.id, "email": user.email}, 3600)
    client.get(f"/account/confirm/{fresh}")
    assert get_user(user.email).is_confirmed


def test_signup_with_existing_address_looks_the_same_and_tells_the_owner(client, city, outbox):
    owner = make_user(email="amina.hassan@cairo.example", full_name="Amina Hassan")
    owner.preferred_language = "ar"
    original_hash = owner.password_hash

    new = client.post("/account/signup", data=signup_data(city, email="new.person@cairo.example"))
    outbox.clear()
    existing = client.post(
        "/account/signup",
        data=signup_data(city, email="  Amina.Hassan@CAIRO.example  ", full_name="Impostor"),
    )
    assert existing.status_code == new.status_code == 302
    assert existing.headers["Location"] == new.headers["Location"]

    # Only the owner is told, in their language; the visitor learns nothing.
    assert len(outbox) == 1
    message = outbox[0]
    assert message.to == "amina.hassan@cairo.example"
    assert message.locale == "ar"
    assert (
        translated(
            "Someone tried to create a MITI Training account with your email address, which already has an account.",
            "ar",
        )
        in message.body
    )
    assert "Amina Hassan" in message.body
    assert "http://testserver.example/account/login" in message.body
    assert "http://testserver.example/account/forgot-password" in message.body
    assert "/account/confirm/" not in message.body

    assert user_count() == 2  # the owner and new.person, nobody else
    owner_now = get_user("amina.hassan@cairo.example")
    assert owner_now.password_hash == original_hash
    assert owner_now.full_name == "Amina Hassan"


def test_signup_with_existing_address_and_a_weak_password_does_not_reveal_it(client, city, outbox):
    """The password checks run before the existence check: same answer for both addresses."""
    make_user(email="taken@paris.example")
    answers = []
    for email in ("taken@paris.example", "free@paris.example"):
        response = client.post(
            "/account/signup",
            data=signup_data(city, email=email, password=email, password_confirm=email),
        )
        answers.append((response.status_code, field_errors(response)))
    assert answers[0] == answers[1]
    assert answers[0][0] == 200
    assert "Do not use your name or email address" in answers[0][1]["password"]
    assert outbox == []


INVALID_SIGNUPS = [
    ("full_name", "", "full_name", "Enter your full name."),
    ("full_name", "    ", "full_name", "Enter your full name."),
    ("full_name", "x" * 201, "full_name", "Use at most 200 characters."),
    ("full_name", "Bell\x07 Name", "full_name", "Remove the control characters"),
    ("email", "", "email", "Enter your email address."),
    ("email", "not-an-email", "email", "Enter a valid email address"),
    ("email", "someone@", "email", "Enter a valid email address"),
    ("email", "a" * 64 + "@" + "b" * 190 + ".example", "email", "at most 254 characters"),
    ("password", "", "password", "Choose a password."),
    ("password", "short pass", "password", "Use at least 12 characters."),
    ("password", "qwerty123456", "password", "too common"),
    ("password", "passwordpassword", "password", "simple pattern"),
    ("password", "x" * 300, "password", "Use at most 256 characters."),
    ("password_confirm", "", "password_confirm", "Repeat the password."),
    ("password_confirm", "something else entirely", "password_confirm", "do not match"),
    ("member_city_id", "", "member_city_id", "Choose your member city or organisation"),
    ("member_city_id", "0", "member_city_id", "Choose your member city or organisation"),
    ("member_city_id", "99999", "member_city_id", "Choose your member city or organisation"),
    ("member_city_id", "abc", "member_city_id", "Choose your member city or organisation"),
    ("member_city_id", "-1", "member_city_id", "Choose your member city or organisation"),
    ("member_city_id", "1e309", "member_city_id", "Choose your member city or organisation"),
    ("job_title", "", "job_title", "Enter your job title."),
    ("job_title", "y" * 201, "job_title", "Use at most 200 characters."),
    ("preferred_language", "xx", "preferred_language", "Choose a language from the list."),
    ("preferred_language", "", "preferred_language", "Choose a language from the list."),
    ("timezone", "Mars/Olympus", "timezone", "Choose a time zone from the list."),
    ("timezone", "", "timezone", "Choose a time zone from the list."),
    ("timezone", "../../etc/passwd", "timezone", "Choose a time zone from the list."),
]


@pytest.mark.parametrize(("name", "value", "field", "message"), INVALID_SIGNUPS)
def test_invalid_signup_field_is_refused_with_a_clear_message(
    client, city, outbox, name, value, field, message
):
    response = client.post("/account/signup", data=signup_data(city, **{name: value}))
    assert response.status_code == 200
    errors = field_errors(response)
    assert message in errors.get(field, ""), errors
    assert "Please correct the highlighted fields." in text_of(response)
    assert user_count() == 0
    assert outbox == []


def test_signup_error_messages_are_not_duplicated(client, city):
    response = client.post("/account/signup", data=signup_data(city, member_city_id="abc"))
    error = field_errors(response)["member_city_id"]
    assert error.count("Choose your member city") == 1
    assert "coerce" not in error


def test_signup_refuses_a_password_equal_to_the_name(client, city):
    response = client.post(
        "/account/signup",
        data=signup_data(
            city,
            full_name="Maria Fernanda Lopez",
            password="maria fernanda lopez",
            password_confirm="maria fernanda lopez",
        ),
    )
    assert response.status_code == 200
    assert "Do not use your name" in field_errors(response)["password"]
    assert user_count() == 0


def test_signup_with_a_deleted_member_city_is_refused(client, city, db):
    data = signup_data(city)
    gone = make_member_city()
    data["member_city_id"] = str(gone.id)
    db.session.delete(gone)
    response = client.post("/account/signup", data=data)
    assert response.status_code == 200
    assert user_count() == 0


def test_signup_accepts_a_100_character_password(client, city, login):
    password = ("metropolis seoul cairo mashhad mexico paris " * 3)[:100]
    response = client.post(
        "/account/signup", data=signup_data(city, password=password, password_confirm=password)
    )
    assert response.status_code == 302
    user = get_user("minjun.kim@seoul.example")
    assert user.check_password(password)
    login(user, password=password)
    assert is_logged_in(client)


@pytest.mark.parametrize(
    "body",
    [
        {"json": {"email": "a@b.example", "password": SIGNUP_PASSWORD}},
        {"data": {"full_name": ["One", "Two"], "member_city_id": ["1", "2", "x"]}},
        {"data": {"email": "x" * 10_000}},
        {"data": b"\xff\xfe\x00garbage", "content_type": "application/x-www-form-urlencoded"},
    ],
    ids=["json", "repeated-fields", "huge-field", "binary"],
)
def test_malformed_signup_posts_never_500(client, city, body):
    response = client.post("/account/signup", **body)
    assert response.status_code in (200, 400)
    assert user_count() == 0


def test_signup_with_hostile_names_never_500(client, city):
    for n, value in enumerate(hostile_strings()):
        email = f"hostile{n}@city.example"
        response = client.post(
            "/account/signup", data=signup_data(city, email=email, full_name=value, job_title=value)
        )
        assert response.status_code in (200, 302), (value, response.status_code)
        if response.status_code == 302:
            assert get_user(email).full_name == value.strip()
        assert "<script>alert" not in text_of(response)


def test_logged_in_user_visiting_signup_goes_home(client, login):
    login(make_user())
    response = client.get("/account/signup")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_resend_confirmation_sends_a_fresh_link(client, login, outbox):
    user = make_user(confirmed=False)
    login(user)
    response = client.post("/account/confirm/resend")
    assert response.status_code == 302
    assert len(outbox) == 1
    assert outbox[0].to == user.email
    client.get(link_from(outbox[0], "/account/confirm/"))
    assert get_user(user.email).is_confirmed


def test_resend_confirmation_when_already_confirmed_sends_nothing(client, login, outbox):
    login(make_user(confirmed=True))
    response = follow(client, client.post("/account/confirm/resend"))
    assert ("info", "Your email address is already confirmed.") in flashes(response)
    assert outbox == []


def test_resend_confirmation_needs_login(client, db, outbox):
    response = client.post("/account/confirm/resend")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
    assert outbox == []


# Log in and out --------------------------------------------------------------------------


def test_login_page_renders(client, db):
    response = client.get("/account/login")
    assert response.status_code == 200
    assert 'name="remember"' in text_of(response)
    assert re.search(
        r'<input[^>]*autocomplete="current-password"[^>]*name="password"', text_of(response)
    )


def test_login_succeeds_and_records_the_time(client, db):
    user = make_user(full_name="Sophie Martin")
    response = client.post(
        "/account/login", data={"email": "  " + user.email.upper() + " ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert get_user(user.email).last_login_at is not None
    assert ("success", "Welcome, Sophie Martin.") in flashes(client.get("/"))
    assert is_logged_in(client)


def test_wrong_password_unknown_email_and_disabled_account_give_identical_answers(client, db):
    user = make_user(email="known@mexico.example")
    disabled = make_user(email="disabled@mexico.example", is_enabled=False)
    attempts = [
        (user.email, "not the right password"),
        ("unknown@mexico.example", "not the right password"),
        (disabled.email, PASSWORD),
    ]
    pages = []
    for email, password in attempts:
        response = client.post("/account/login", data={"email": email, "password": password})
        assert response.status_code == 200
        assert flashes(response) == [("error", "The email address or password is not correct.")]
        page = text_of(response).replace(email, "EMAIL")
        pages.append(re.sub(r'name="csrf_token" value="[^"]*"', "CSRF", page))
        assert not is_logged_in(client)
    assert pages[0] == pages[1] == pages[2]


def test_disabled_user_cannot_log_in(client, db):
    user = make_user(is_enabled=False)
    response = client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert not is_logged_in(client)
    assert get_user(user.email).last_login_at is None


def test_disabling_an_account_ends_its_sessions(client, db, login):
    user = make_user()
    login(user)
    assert is_logged_in(client)
    user.is_enabled = False
    assert not is_logged_in(client)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "", "password": "x"}, "email", "Enter your email address."),
        ({"email": "nobody", "password": "x"}, "email", "Enter a valid email address"),
        ({"email": "a@b.example", "password": ""}, "password", "Enter your password."),
        ({"email": "a@b.example", "password": "p" * 300}, "password", "at most 256"),
    ],
)
def test_login_form_errors_are_clear(client, db, data, field, message):
    response = client.post("/account/login", data=data)
    assert response.status_code == 200
    assert message in field_errors(response)[field]


def test_login_with_hostile_strings_never_500(client, db):
    for value in hostile_strings():
        response = client.post("/account/login", data={"email": value, "password": value})
        assert response.status_code == 200, value
        assert "<script>alert" not in text_of(response)


def test_remember_me_sets_a_cookie_that_logs_in_again(client, app, db, login):
    user = make_user()
    login(user, remember=True)
    remember = client.get_cookie("remember_token")
    assert remember is not None
    assert remember.http_only
    assert remember.same_site == "Lax"
    session_cookie = client.get_cookie("session")
    assert session_cookie.http_only
    assert session_cookie.same_site == "Lax"

    # A browser restarted: only the remember-me cookie is left.
    restarted = app.test_client()
    restarted.set_cookie("remember_token", remember.value)
    assert is_logged_in(restarted)


def test_without_remember_me_no_cookie_is_set(client, db, login):
    login(make_user())
    assert client.get_cookie("remember_token") is None


def test_logout_ends_the_session_everywhere(client, other_client, db, login):
    user = make_user()
    login(user, remember=True)
    token_before = user.session_token
    # Someone kept a copy of both cookies.
    other_client.set_cookie("session", client.get_cookie("session").value)
    other_client.set_cookie("remember_token", client.get_cookie("remember_token").value)
    assert is_logged_in(other_client)

    response = client.post("/account/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert ("success", "You are logged out.") in flashes(client.get("/"))
    assert not is_logged_in(client)
    assert get_user(user.email).session_token != token_before

    assert not is_logged_in(other_client)


def test_logout_needs_post(client, db, login):
    login(make_user())
    response = client.get("/account/logout")
    assert response.status_code == 405
    assert "Method not allowed" in text_of(response)
    assert is_logged_in(client)


def test_logging_in_again_after_logout_works(client, db, login):
    user = make_user()
    login(user)
    client.post("/account/logout")
    login(user)
    assert is_logged_in(client)


def test_logged_in_user_visiting_login_goes_on(client, db, login):
    login(make_user())
    response = client.get("/account/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


# Anonymous access ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/account/profile", "/account/password"])
def test_anonymous_user_is_sent_to_login_with_a_safe_next(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login?next=" + quote(path, safe="")

    login_page = client.get(response.headers["Location"])
    assert ("info", "Please log in to see this page.") in flashes(login_page)
    assert f'name="next" value="{path}"' in text_of(login_page)

    user = make_user()
    after = client.post(
        response.headers["Location"], data={"email": user.email, "password": PASSWORD}
    )
    assert after.status_code == 302
    assert after.headers["Location"] == path


@pytest.mark.parametrize("path", ["/account/profile", "/account/password"])
def test_anonymous_post_changes_nothing(client, db, path):
    response = client.post(path, data={"full_name": "Nobody"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


# Profile ------------------------------------------------------------------------------


def profile_data(user, **overrides) -> dict:
    data = {
        "full_name": user.full_name,
        "member_city_id": str(user.member_city_id),
        "job_title": user.job_title,
        "preferred_language": user.preferred_language,
        "timezone": user.timezone,
    }
    data.update(overrides)
    return data


def test_profile_shows_the_users_details(client, db, login):
    user = make_user(full_name="Reza Ahmadi", job_title="Head of urban planning")
    login(user)
    page = text_of(client.get("/account/profile"))
    assert "Reza Ahmadi" in page
    assert "Head of urban planning" in page
    assert user.email in page
    assert "Confirmed" in page


def test_profile_update_is_saved(client, db, login):
    user = make_user()
    login(user)
    new_city = make_member_city(name="Mashhad", country="Iran")
    response = client.post(
        "/account/profile",
        data=profile_data(
            user,
            full_name="  Reza Ahmadi  ",
            member_city_id=str(new_city.id),
            job_title="Smart city advisor",
            preferred_language="fa",
            timezone="Asia/Tehran",
        ),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/profile"
    saved = get_user(user.email)
    assert saved.full_name == "Reza Ahmadi"
    assert saved.member_city_id == new_city.id
    assert saved.job_title == "Smart city advisor"
    assert saved.preferred_language == "fa"
    assert saved.timezone == "Asia/Tehran"
    page = client.get("/account/profile")
    assert ("success", translated("Your profile has been saved.", "fa")) in flashes(page)
    assert 'lang="fa" dir="rtl"' in text_of(page)


def test_profile_ignores_fields_a_participant_may_not_set(client, db, login):
    user = make_user()
    login(user)
    response = client.post(
        "/account/profile",
        data=profile_data(
            user, email="someone.else@attacker.example", is_admin="y", is_enabled="", id="1"
        ),
    )
    assert response.status_code == 302
    saved = get_user(user.email)
    assert saved is not None
    assert not saved.is_admin
    assert saved.is_enabled
    assert get_user("someone.else@attacker.example") is None


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("full_name", "", "Enter your full name."),
        ("full_name", "z" * 201, "Use at most 200 characters."),
        ("job_title", "", "Enter your job title."),
        ("member_city_id", "99999", "Choose your member city or organisation"),
        ("member_city_id", "abc", "Choose your member city or organisation"),
        ("preferred_language", "xx", "Choose a language from the list."),
        ("timezone", "Mars/Olympus", "Choose a time zone from the list."),
    ],
)
def test_invalid_profile_field_is_refused(client, db, login, name, value, message):
    user = make_user(full_name="Unchanged Name")
    login(user)
    response = client.post("/account/profile", data=profile_data(user, **{name: value}))
    assert response.status_code == 200
    assert message in field_errors(response)[name]
    assert get_user(user.email).full_name == "Unchanged Name"


def test_profile_with_hostile_strings_never_500_and_is_escaped(client, db, login):
    user = make_user(full_name="Original Name")
    login(user)
    stored = refused = 0
    for value in hostile_strings():
        response = client.post(
            "/account/profile", data=profile_data(user, full_name=value, job_title=value)
        )
        assert response.status_code in (200, 302), (value, response.status_code)
        if response.status_code == 200:
            errors = field_errors(response)
            assert errors, value
            assert any(
                "Remove the control characters" in e or "Use at most 200 characters" in e
                for e in errors.values()
            ), (value, errors)
            refused += 1
        else:
            saved = get_user(user.email)
            assert saved.full_name == value.strip()
            assert saved.job_title == value.strip()
            page = text_of(client.get("/account/profile"))
            assert "<script>" not in page
            assert "<img src=x" not in page
            stored += 1
    assert stored > 20
    assert refused >= 2  # the over-long line and the control characters


def test_template_syntax_in_a_name_is_not_evaluated(client, db, login):
    user = make_user()
    login(user)
    client.post("/account/profile", data=profile_data(user, full_name="{{ 7*7 }}"))
    page = text_of(client.get("/account/profile"))
    assert "{{ 7*7 }}" in page
    assert get_user(user.email).full_name == "{{ 7*7 }}"


# CSRF ---------------------------------------------------------------------------------


def csrf_token_from(response) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text_of(response))
    if match is None:
        match = re.search(r'name="csrf_token" value="([^"]+)"', text_of(response))
    assert match, "no CSRF token in the page"
    return match.group(1)


def test_login_needs_a_csrf_token(client, app, db, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = make_user()

    response = client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    page = text_of(response)
    assert "Your form expired or was sent from elsewhere." in page
    assert "<h1>Bad request</h1>" in page
    assert not is_logged_in(client)

    token = csrf_token_from(client.get("/account/login"))
    response = client.post(
        "/account/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    assert is_logged_in(client)


def test_logout_and_profile_need_a_csrf_token(client, app, db, login, monkeypatch):
    user = make_user(full_name="Kept Name")
    login(user)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    assert client.post("/account/logout").status_code == 400
    assert is_logged_in(client)
    bad = client.post("/account/profile", data=profile_data(user, full_name="Changed"))
    assert bad.status_code == 400
    assert get_user(user.email).full_name == "Kept Name"
    wrong = client.post("/account/logout", data={"csrf_token": "forged"})
    assert wrong.status_code == 400

    token = csrf_token_from(client.get("/account/profile"))
    ok = client.post(
        "/account/profile", data=profile_data(user, full_name="Changed", csrf_token=token)
    )
    assert ok.status_code == 302
    assert get_user(user.email).full_name == "Changed"
    assert client.post("/account/logout", data={"csrf_token": token}).status_code == 302
    assert not is_logged_in(client)


def test_signup_with_csrf_on_works_with_the_token(client, app, city, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post("/account/signup", data=signup_data(city)).status_code == 400
    assert user_count() == 0
    token = csrf_token_from(client.get("/account/signup"))
    response = client.post("/account/signup", data=signup_data(city, csrf_token=token))
    assert response.status_code == 302
    assert user_count() == 1
