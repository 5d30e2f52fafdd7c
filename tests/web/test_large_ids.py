"""Ids in URLs that no column can hold are a 404; per-account limits outlive a login."""

import pytest

from tests.support.factories import make_admin, make_centre, make_programme, make_staff, make_user

#: Past PostgreSQL's INTEGER, past SQLite's 64-bit integers, and far past both.
TOO_BIG = [str(2**31), str(2**63 - 1), str(2**63), "9" * 40]


@pytest.mark.parametrize("number", TOO_BIG)
@pytest.mark.parametrize(
    "path",
    [
        "/manage/seoul/programmes/{n}",
        "/manage/seoul/registrations/{n}",
        "/manage/seoul/programmes/{p}/sessions/{n}/attendance",
        "/manage/seoul/programmes/{p}/certificates/{n}.pdf",
        "/my/registrations/{n}",
        "/my/registrations/{n}/certificate.pdf",
        "/admin/users/{n}",
        "/admin/centres/{n}/edit",
    ],
)
def test_an_id_too_large_for_the_database_is_not_found(client, login, db, path, number):
    centre = make_centre(slug="seoul")
    programme = make_programme(centre)
    admin = make_admin()
    make_staff(centre, "director")
    make_user()
    login(admin)
    response = client.get(path.format(n=number, p=programme.id))
    assert response.status_code == 404


def test_a_per_account_limit_is_not_reset_by_logging_in_again(app, client, login, db, monkeypatch):
    """Logging out rotates the session token; the account's count must survive it."""
    from miti_training.extensions import limiter

    monkeypatch.setitem(app.config, "REGISTRATION_RATE_LIMIT", "2 per hour")
    limiter.reset()
    user = make_user()
    login(user)
    assert [client.post("/my/calendar-link").status_code for _ in range(2)] == [302, 302]
    client.post("/account/logout")
    login(user)
    assert client.post("/my/calendar-link").status_code == 429
    limiter.reset()
