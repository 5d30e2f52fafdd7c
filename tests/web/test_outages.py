"""Outages: a database that cannot be reached answers 503 (never a 500) and recovers by
itself; Redis down leaves the site up (docs/security.md, item 26)."""

import pytest
from sqlalchemy import func, select

from miti_training import create_app
from miti_training.extensions import db as _db
from miti_training.extensions import limiter
from miti_training.mail import sending
from miti_training.models import OutboxMessage, Registration
from miti_training.web.api import schemas
from tests.conftest import IsolatedClient
from tests.support.factories import PASSWORD, make_programme, make_user
from tests.support.servers import closed_port, throwaway_postgres, throwaway_redis


def _app(**settings):
    application = create_app("testing", **settings)
    application.test_client_class = IsolatedClient
    return application


@pytest.fixture
def unreachable_database():
    """An app whose database URL points at a port nothing listens on."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/miti"
    application = _app(SQLALCHEMY_DATABASE_URI=url)
    with application.app_context():
        yield application


def _assert_unavailable(response):
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Cache-Control"] == "no-store"


def test_a_page_is_a_friendly_503_when_the_database_is_unreachable(unreachable_database):
    client = unreachable_database.test_client()
    for path in ("/", "/programmes", "/programmes/peer-review"):
        response = client.get(path)
        _assert_unavailable(response)
        page = response.get_data(as_text=True)
        assert "Service temporarily unavailable" in page
        assert "try again in a minute" in page
        assert "unexpected error" not in page


def test_the_api_answers_its_own_error_shape_with_503(unreachable_database):
    response = unreachable_database.test_client().get("/api/v1/programmes")
    _assert_unavailable(response)
    body = schemas.Error.model_validate(response.get_json())
    assert body.error == "Service temporarily unavailable"
    assert set(response.get_json()) == set(schemas.Error.model_fields)


def test_a_registration_posted_while_the_database_is_unreachable_is_503(
    unreachable_database, app, login
):
    """A logged-in participant's POST: the login loader itself cannot reach the database."""
    with app.app_context():
        response = login(make_user())
    session_cookie = app.config["SESSION_COOKIE_NAME"] + "="
    (cookie,) = (
        header.partition(";")[0].partition("=")
        for header in response.headers.getlist("Set-Cookie")
        if header.startswith(session_cookie)
    )
    client = unreachable_database.test_client()
    client.set_cookie(cookie[0], cookie[2])
    response = client.post(
        "/programmes/peer-review/register", data={"submitted": "1", "consent_data": "y"}
    )
    _assert_unavailable(response)
    page = response.get_data(as_text=True)
    assert "Back button" in page and "send it again" in page


@pytest.fixture
def restartable_postgres():
    """An app on a PostgreSQL cluster of its own, which the test restarts and stops."""
    with throwaway_postgres() as server:
        application = _app(SQLALCHEMY_DATABASE_URI=server.url)
        with application.app_context():
            _db.create_all()
            yield application, server
            _db.session.remove()
            _db.engine.dispose()


def test_pages_work_again_after_a_real_postgresql_restart(restartable_postgres, outbox):
    application, server = restartable_postgres
    client = application.test_client()
    user = make_user()
    programme = make_programme()
    _db.session.commit()
    page = f"/programmes/{programme.slug}"
    register = f"{page}/register"
    login = {"email": user.email, "password": PASSWORD}
    assert client.post("/account/login", data=login).status_code == 302
    assert client.get(page).status_code == 200

    # The pooled connections die with the server; pre-ping replaces them, no request fails.
    server.restart()
    assert client.get(page).status_code == 200

    # Down: every request is a 503, the registration stores nothing and sends nothing.
    server.stop()
    _assert_unavailable(client.get(page))
    _assert_unavailable(client.post(register, data={"submitted": "1", "consent_data": "y"}))

    server.start()
    assert client.get(page).status_code == 200
    assert _db.session.scalar(select(func.count()).select_from(Registration)) == 0
    assert _db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0

    # Sent again, the same form registers once and mails once.
    response = client.post(register, data={"submitted": "1", "consent_data": "y"})
    assert response.status_code == 302
    assert _db.session.scalar(select(func.count()).select_from(Registration)) == 1
    assert [message.to for message in outbox] == [user.email]


def test_a_connection_the_server_ends_after_the_answer_is_no_500(restartable_postgres):
    """The server ends the request's connection (as a restart does) before the request's
    rollback: the answer stands."""
    application, _server = restartable_postgres

    def ended_by_the_server():
        pid = _db.session.scalar(select(func.pg_backend_pid()))
        with _db.engine.connect() as other:
            other.execute(select(func.pg_terminate_backend(pid)))
        return "answered"

    application.add_url_rule("/ended-by-the-server", view_func=ended_by_the_server)
    client = application.test_client()
    response = client.get("/ended-by-the-server")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "answered"
    assert client.get("/programmes").status_code == 200


@pytest.fixture
def redis_app(app, tmp_path):
    """An app whose rate limits and mail queue live on a Redis the test stops and starts."""
    with throwaway_redis() as redis:
        application = _app(
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'redis-outage.db'}",
            REDIS_URL=redis.url,
            RATELIMIT_STORAGE_URI=redis.url,
            LOGIN_RATE_LIMIT="3 per minute",
            RESET_RATE_LIMIT="100 per minute",
            RESET_CLIENT_LIMIT="100 per minute",
        )
        try:
            with application.app_context():
                _db.create_all()
                yield application, redis
                _db.session.remove()
                _db.engine.dispose()
        finally:
            # The limiter is one object: give it back the suite's memory storage.
            limiter.init_app(app)
            limiter._storage_dead = False


def test_the_site_stays_up_and_limited_while_redis_is_down(redis_app):
    application, redis = redis_app
    client = application.test_client()
    assert client.get("/").status_code == 200
    assert client.post("/account/login", data={"email": "a@b.example"}).status_code == 200

    redis.stop()
    assert client.get("/").status_code == 200
    assert client.get("/programmes").status_code == 200
    # Limits are still counted, in this process's memory.
    statuses = [
        client.post("/account/login", data={"email": "a@b.example"}).status_code for _ in range(4)
    ]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3] == 429


def test_mail_waits_in_the_outbox_while_redis_is_down_then_goes_once(redis_app, outbox):
    application, redis = redis_app
    client = application.test_client()
    user = make_user()
    _db.session.commit()

    redis.stop()
    for _ in range(3):
        response = client.post("/account/forgot-password", data={"email": user.email})
        assert response.status_code == 302
    assert outbox == []
    assert sending.unsent_count() == 3

    # The worker's sweep sends what waited, once, whether Redis is back or not.
    redis.start()
    runner = application.test_cli_runner()
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert len(outbox) == 3
    assert len({message.id for message in outbox}) == 3
    assert sending.unsent_count() == 0
    assert runner.invoke(args=["worker", "--burst"]).exit_code == 0
    assert len(outbox) == 3
