"""Sign-up mails are limited per address typed and per client address."""

import pytest

from miti_training.extensions import limiter
from tests.support.factories import make_user


@pytest.fixture
def limits_on(app, monkeypatch):
    """The production sign-up limits, with fresh counters, for one test."""
    import config

    for name in ("SIGNUP_RATE_LIMIT", "SIGNUP_PER_EMAIL_LIMIT"):
        monkeypatch.setitem(app.config, name, getattr(config.Config, name))
    limiter.reset()
    yield app.config
    limiter.reset()


def ask(app, email: str, client_address: str = "192.0.2.1"):
    client = app.test_client()
    return client.post(
        "/account/signup", data={"email": email}, environ_base={"REMOTE_ADDR": client_address}
    )


@pytest.mark.parametrize("taken", [False, True], ids=["free", "taken"])
def test_the_fourth_request_for_one_address_sends_nothing(app, db, outbox, limits_on, taken):
    email = "reza.karimi@tehran.example"
    if taken:
        make_user(email=email)
        db.session.commit()
    for n in range(3):
        assert ask(app, email, f"192.0.2.{n + 1}").status_code == 302
    assert len(outbox) == 3
    # From yet another client, and typed differently: the same address, the same budget.
    response = ask(app, "  Reza.Karimi@TEHRAN.example ", "198.51.100.7")
    assert response.status_code == 429
    assert "too many requests" in response.get_data(as_text=True).lower()
    assert len(outbox) == 3
    assert ask(app, "someone.else@tehran.example", "198.51.100.7").status_code == 302


def test_a_refused_form_does_not_count(app, db, outbox, limits_on):
    for _ in range(5):
        assert ask(app, "not-an-address").status_code == 200
    assert outbox == []


def test_each_client_address_has_its_own_budget(app, db, outbox, limits_on, monkeypatch):
    monkeypatch.setitem(limits_on, "SIGNUP_RATE_LIMIT", "2 per hour")
    for n in range(2):
        assert ask(app, f"r{n}@tehran.example", "192.0.2.1").status_code == 302
    assert ask(app, "r9@tehran.example", "192.0.2.1").status_code == 429
    assert ask(app, "r9@tehran.example", "192.0.2.2").status_code == 302
    assert len(outbox) == 3
    assert app.test_client().get("/account/signup").status_code == 200  # reading is not limited
