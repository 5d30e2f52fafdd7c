"""Brute force and automation: per-address and per-account limits with a friendly 429."""

import pytest
from limits import parse_many

from tests.support.factories import PASSWORD, make_member_city, make_user
from tests.support.limits import production_limits


@pytest.fixture
def limits_on(app, monkeypatch):
    yield from production_limits(app, monkeypatch)


def _login(client, email, password):
    return client.post("/account/login", data={"email": email, "password": password})


def test_repeated_failures_lock_the_account_for_that_client_even_for_the_right_password(
    client, db, limits_on
):
    user = make_user(email="mona.elsayed@cairo.example")
    for _ in range(5):
        assert _login(client, user.email, "wrong password guess").status_code == 200
    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "too many requests" in html.lower()
    assert "Retry-After" in response.headers


def test_account_lock_does_not_reveal_whether_the_address_exists(client, db, limits_on):
    make_user(email="known@city.example")
    statuses = {}
    for email in ("known@city.example", "unknown@city.example"):
        for _ in range(5):
            _login(client, email, "wrong password guess")
        statuses[email] = _login(client, email, "wrong password guess").status_code
    assert statuses == {"known@city.example": 429, "unknown@city.example": 429}


def test_successful_logins_do_not_count_towards_the_account_lock(client, db, limits_on):
    user = make_user()
    for _ in range(6):
        assert _login(client, user.email, PASSWORD).status_code == 302
        client.post("/account/logout")


def test_another_account_is_not_locked_by_failures_on_the_first(client, db, limits_on):
    first, second = make_user(), make_user()
    for _ in range(5):
        _login(client, first.email, "wrong password guess")
    assert _login(client, second.email, PASSWORD).status_code == 302


def test_per_address_limit_on_login(client, db, limits_on, monkeypatch):
    monkeypatch.setitem(limits_on, "LOGIN_RATE_LIMIT", "3 per minute")
    for n in range(3):
        assert _login(client, f"someone{n}@city.example", "x" * 12).status_code == 200
    assert _login(client, "someone9@city.example", "x" * 12).status_code == 429


def test_signup_is_limited_per_address(client, db, limits_on, monkeypatch):
    monkeypatch.setitem(limits_on, "SIGNUP_RATE_LIMIT", "2 per hour")
    city = make_member_city()
    data = {
        "full_name": "Reza Karimi",
        "password": "tram route 7 to gangnam",
        "password_confirm": "tram route 7 to gangnam",
        "member_city_id": city.id,
        "job_title": "Engineer",
        "preferred_language": "fa",
        "timezone": "Asia/Tehran",
    }
    for n in range(2):
        response = client.post("/account/signup", data={**data, "email": f"r{n}@tehran.example"})
        assert response.status_code == 302
    response = client.post("/account/signup", data={**data, "email": "r9@tehran.example"})
    assert response.status_code == 429
    assert client.get("/account/signup").status_code == 200  # reading the form is not limited


def test_password_reset_is_limited_per_address_and_client(client, db, limits_on, outbox):
    user = make_user()
    for _ in range(3):
        assert (
            client.post("/account/forgot-password", data={"email": user.email}).status_code == 302
        )
    assert client.post("/account/forgot-password", data={"email": user.email}).status_code == 429
    assert len(outbox) == 3


def test_production_limits_are_the_documented_ones():
    import config

    assert config.Config.LOGIN_FAILURE_LIMIT.startswith("5 per 15 minutes")
    assert config.Config.RATELIMIT_ENABLED is True
    # A stranger's failures keep nobody out for longer than a minute.
    for name in ("LOGIN_CLIENT_FAILURE_LIMIT", "LOGIN_ACCOUNT_FAILURE_LIMIT"):
        assert all(item.get_expiry() <= 60 for item in parse_many(getattr(config.Config, name)))
    # While reset mail is capped, the last link sent still works.
    windows = [item.get_expiry() for item in parse_many(config.Config.RESET_MAIL_LIMIT)]
    assert max(windows) <= config.Config.RESET_TOKEN_MAX_AGE


def test_forwarded_for_header_is_not_trusted_without_a_configured_proxy(
    client, db, limits_on, monkeypatch
):
    monkeypatch.setitem(limits_on, "LOGIN_RATE_LIMIT", "2 per minute")
    statuses = [
        client.post(
            "/account/login",
            data={"email": f"x{n}@city.example", "password": "x" * 12},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def _change_password(client, current, new):
    return client.post(
        "/account/password",
        data={"current_password": current, "password": new, "password_confirm": new},
    )


def test_wrong_current_passwords_on_the_password_form_are_counted(client, db, limits_on, login):
    login(make_user())
    new = "another fine passphrase 9"
    statuses = [_change_password(client, "wrong password guess", new).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert _change_password(client, PASSWORD, new).status_code == 429


def test_a_refused_new_password_is_not_counted_as_a_wrong_password(client, db, limits_on, login):
    login(make_user())
    for _ in range(8):
        response = _change_password(client, PASSWORD, "short")
        assert response.status_code == 200
    assert _change_password(client, PASSWORD, "another fine passphrase 9").status_code == 302


def test_the_api_is_limited_per_client_with_its_own_error_body(client, db, limits_on, monkeypatch):
    from miti_training.web.api.schemas import Error

    monkeypatch.setitem(limits_on, "API_RATE_LIMIT", "3 per minute")
    for _ in range(3):
        answered = client.get("/api/v1/programmes")
        assert answered.status_code == 200
        # No counters on answers that pass: reading them back would cost every request.
        assert "X-RateLimit-Limit" not in answered.headers
    refused = client.get("/api/v1/programmes")
    assert refused.status_code == 429
    assert refused.mimetype == "application/json"
    assert 0 < int(refused.headers["Retry-After"]) <= 61  # the minute's window, rounded
    Error.model_validate(refused.get_json())
    assert "public" not in refused.headers.get("Cache-Control", "")
    other = client.get("/api/v1/programmes", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200
