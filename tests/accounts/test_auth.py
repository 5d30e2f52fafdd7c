"""Accounts over HTTP: log in/out, profile, CSRF, anonymous access.

Sign-up is in test_signup.py; password reset and change in test_auth_passwords.py.
"""

import re
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from miti_training.models import User
from tests.support.factories import PASSWORD, make_member_city, make_user
from tests.support.hostile import one_line
from tests.support.pages import field_errors, flashes, is_logged_in, text_of, translated
from tests.support.testdata import hostile_strings

# Helpers ------------------------------------------------------------------------------


def user_count() -> int:
    from miti_training.extensions import db

    return db.session.scalar(select(func.count()).select_from(User))


def get_user(email: str) -> User | None:
    from miti_training.extensions import db

    return db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def other_client(app):
    return app.test_client()


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
            assert saved.full_name == one_line(value)
            assert saved.job_title == one_line(value)
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
