"""The two sign-up forms refuse bad input clearly, never fail, and store nothing refused."""

import re

import pytest
from sqlalchemy import func, select

from miti_training.accounts.tokens import SIGNUP_SALT, make_token
from miti_training.extensions import db as _db
from miti_training.models import User
from tests.accounts.test_auth import csrf_token_from
from tests.support.factories import make_member_city
from tests.support.hostile import one_line
from tests.support.pages import field_errors, is_logged_in, text_of
from tests.support.testdata import hostile_strings

ADDRESS = "minjun.kim@seoul.example"
PASSWORD = "tram route 7 to gangnam"


def user_count() -> int:
    return _db.session.scalar(select(func.count()).select_from(User))


@pytest.fixture
def city(db):
    return make_member_city(name="Seoul Metropolitan Government", country="Republic of Korea")


@pytest.fixture
def link(app, db) -> str:
    """The path a sign-up link for ADDRESS opens."""
    with app.test_request_context():
        return "/account/signup/" + make_token(SIGNUP_SALT, {"email": ADDRESS})


def profile_data(city, **overrides) -> dict:
    data = {
        "full_name": "Kim Min-jun",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "member_city_id": str(city.id),
        "job_title": "Transport policy officer",
        "preferred_language": "ko",
        "timezone": "Asia/Seoul",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter your email address."),
        ("not-an-email", "Enter a valid email address"),
        ("someone@", "Enter a valid email address"),
        ("a" * 64 + "@" + "b" * 190 + ".example", "at most 254 characters"),
    ],
)
def test_a_bad_address_is_refused_and_sends_nothing(client, db, outbox, value, message):
    response = client.post("/account/signup", data={"email": value})
    assert response.status_code == 200
    assert message in field_errors(response)["email"]
    assert outbox == []


def test_the_second_step_shows_the_profile_fields(client, city, link):
    page = text_of(client.get(link))
    assert "Seoul Metropolitan Government (Republic of Korea)" in page
    assert 'name="timezone"' in page and "Asia/Seoul" in page
    assert re.search(r'<input[^>]*autocomplete="new-password"[^>]*name="password"', page)


INVALID = [
    ("full_name", "", "Enter your full name."),
    ("full_name", "    ", "Enter your full name."),
    ("full_name", "x" * 201, "Use at most 200 characters."),
    ("full_name", "Bell\x07 Name", "Remove the control characters"),
    ("password", "", "Choose a password."),
    ("password", "short pass", "Use at least 12 characters."),
    ("password", "qwerty123456", "too common"),
    ("password", "passwordpassword", "simple pattern"),
    ("password", "x" * 300, "Use at most 256 characters."),
    ("password", ADDRESS, "Do not use your name or email address"),
    ("password_confirm", "", "Repeat the password."),
    ("password_confirm", "something else entirely", "do not match"),
    ("member_city_id", "", "Choose your member city or organisation"),
    ("member_city_id", "0", "Choose your member city or organisation"),
    ("member_city_id", "99999", "Choose your member city or organisation"),
    ("member_city_id", "abc", "Choose your member city or organisation"),
    ("member_city_id", "-1", "Choose your member city or organisation"),
    ("member_city_id", "1e309", "Choose your member city or organisation"),
    ("job_title", "", "Enter your job title."),
    ("job_title", "y" * 201, "Use at most 200 characters."),
    ("preferred_language", "xx", "Choose a language from the list."),
    ("preferred_language", "", "Choose a language from the list."),
    ("timezone", "Mars/Olympus", "Choose a time zone from the list."),
    ("timezone", "Africa/Asmera", "Choose a time zone from the list."),
    ("timezone", "Etc/GMT+3", "Choose a time zone from the list."),
    ("timezone", "../../etc/passwd", "Choose a time zone from the list."),
]


@pytest.mark.parametrize(("name", "value", "message"), INVALID)
def test_a_bad_field_is_refused_with_a_clear_message(client, city, link, name, value, message):
    data = profile_data(city, **{name: value})
    if name == "password":
        data["password_confirm"] = value
    response = client.post(link, data=data)
    assert response.status_code == 200
    errors = field_errors(response)
    assert message in errors.get(name, ""), errors
    assert "Please correct the highlighted fields." in text_of(response)
    assert user_count() == 0


def test_a_password_equal_to_the_name_is_refused(client, city, link):
    name = "Maria Fernanda Lopez"
    data = profile_data(city, full_name=name, password=name.lower(), password_confirm=name.lower())
    response = client.post(link, data=data)
    assert "Do not use your name" in field_errors(response)["password"]
    assert user_count() == 0


def test_error_messages_are_not_duplicated(client, city, link):
    response = client.post(link, data=profile_data(city, member_city_id="abc"))
    error = field_errors(response)["member_city_id"]
    assert error.count("Choose your member city") == 1
    assert "coerce" not in error


def test_a_member_city_deleted_meanwhile_is_refused(client, city, link, db):
    gone = make_member_city()
    data = profile_data(city, member_city_id=str(gone.id))
    db.session.delete(gone)
    response = client.post(link, data=data)
    assert response.status_code == 200
    assert user_count() == 0


def test_a_100_character_password_is_accepted(client, city, link):
    password = ("metropolis seoul cairo mashhad mexico paris " * 3)[:100]
    response = client.post(
        link, data=profile_data(city, password=password, password_confirm=password)
    )
    assert response.status_code == 302
    assert is_logged_in(client)


BODIES = [
    {"json": {"email": "a@b.example", "password": PASSWORD}},
    {"data": {"full_name": ["One", "Two"], "member_city_id": ["1", "2", "x"]}},
    {"data": {"email": "x" * 10_000}},
    {"data": b"\xff\xfe\x00garbage", "content_type": "application/x-www-form-urlencoded"},
]


@pytest.mark.parametrize("body", BODIES, ids=["json", "repeated-fields", "huge-field", "binary"])
def test_malformed_posts_never_500(client, city, link, body):
    # A JSON body with a good address is a good request for the first step.
    assert client.post("/account/signup", **body).status_code in (200, 302, 400)
    assert client.post(link, **body).status_code in (200, 400)
    assert user_count() == 0


def test_hostile_names_never_500(app, city):
    for n, value in enumerate(hostile_strings()):
        with app.test_request_context():
            path = "/account/signup/" + make_token(SIGNUP_SALT, {"email": f"h{n}@city.example"})
        data = profile_data(city, full_name=value, job_title=value)
        response = app.test_client().post(path, data=data)
        assert response.status_code in (200, 302), (value, response.status_code)
        if response.status_code == 302:
            _db.session.expire_all()
            user = _db.session.scalar(select(User).where(User.email == f"h{n}@city.example"))
            assert user.full_name == one_line(value)
        assert "<script>alert" not in text_of(response)


def test_both_steps_need_the_csrf_token(client, app, city, link, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post("/account/signup", data={"email": ADDRESS}).status_code == 400
    token = csrf_token_from(client.get("/account/signup"))
    assert (
        client.post("/account/signup", data={"email": ADDRESS, "csrf_token": token}).status_code
        == 302
    )
    assert client.post(link, data=profile_data(city)).status_code == 400
    response = client.post(link, data=profile_data(city, csrf_token=token))
    assert response.status_code == 302
    assert user_count() == 1
