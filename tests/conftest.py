"""Fixtures: app, db, client, login helpers. The database is real: SQLite file or PostgreSQL."""

import contextvars
import os
import re

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import normalise_database_url
from miti_training import create_app
from miti_training import mail as notifications
from miti_training.extensions import db as _db
from miti_training.web import http_cache
from tests.support import factories

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_configure(config):
    """Compile stale message catalogs, so a bare `pytest` tests the current translations."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    translations = Path(__file__).resolve().parent.parent / "miti_training" / "translations"
    for po in translations.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with mo.open("wb") as target:
                write_mo(target, catalog)


def postgres_server_url() -> str | None:
    """The PostgreSQL URL tests may use, from TEST_DATABASE_URL."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    return normalise_database_url(url) if url.startswith(("postgres", "postgresql")) else None


def require_postgres() -> str:
    """Skip without PostgreSQL on a laptop; fail in CI, where it must be there."""
    url = postgres_server_url()
    if url is None:
        if IN_CI:
            pytest.fail("CI=true but TEST_DATABASE_URL does not point at PostgreSQL")
        pytest.skip("PostgreSQL not configured: set TEST_DATABASE_URL=postgresql://...")
    return url


def _test_database_url(tmp_path_factory) -> str:
    if os.environ.get("MITI_TEST_BACKEND") == "postgresql":
        return _worker_database(require_postgres())
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def _worker_database(url: str) -> str:
    """Under pytest-xdist, a database of the worker's own next to TEST_DATABASE_URL's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    server = make_url(url)
    name = f"{server.database or 'miti'}_{worker}"
    _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    return server.set(database=name).render_as_string(hide_password=False)


def _drop_worker_database(url: str) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER") and url.startswith("postgresql"):
        server = make_url(url)
        _admin(server, f'DROP DATABASE IF EXISTS "{server.database}" WITH (FORCE)')


def _admin(server, *statements: str) -> None:
    """Run statements (CREATE/DROP DATABASE) on the server's maintenance database."""
    engine = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs like a real one: its own app context, db session and `g`.

    The test's own session is committed first (so the request sees the test's rows and
    SQLite's write lock is free) and sees the request's changes afterwards.
    """

    def open(self, *args, **kwargs):
        if not has_app_context():  # a redirect being followed inside the isolated context
            return super().open(*args, **kwargs)
        _db.session.commit()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        _db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = _test_database_url(tmp_path_factory)
    application = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        MAIL_OUTBOX_DIR=str(tmp_path_factory.mktemp("outbox")),
    )
    application.test_client_class = IsolatedClient
    with application.app_context():
        _db.drop_all()
        _db.create_all()
    yield application
    with application.app_context():
        _db.drop_all()
        _db.engine.dispose()
    _drop_worker_database(url)


@pytest.fixture(autouse=True)
def db(app):
    """An app context for the test; every table emptied afterwards."""
    with app.app_context():
        notifications.outbox().clear()
        http_cache.forget_pages(app)
        yield _db
        empty_every_table()


def empty_every_table() -> None:
    """Forget the session and delete every row (also between hypothesis examples)."""
    _db.session.rollback()
    _db.session.remove()
    with _db.engine.begin() as connection:
        for table in reversed(_db.metadata.sorted_tables):
            connection.execute(table.delete())
    notifications.outbox().clear()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def outbox(app):
    return notifications.outbox()


@pytest.fixture
def login(client):
    """Log a user in through the real login form."""

    def _login(user, password=factories.PASSWORD, remember=False, target_client=None):
        c = target_client or client
        response = c.post(
            "/account/login",
            data={"email": user.email, "password": password, "remember": "y" if remember else ""},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return _login


@pytest.fixture
def sign_in(client, login):
    """Log in and show the welcome message, so the next page's messages are the action's."""

    def _sign_in(user):
        login(user)
        client.get("/")
        return user

    return _sign_in


def link_from(message, path_prefix: str) -> str:
    """Extract the first link to path_prefix from an email body, as a path."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"\S+)", message.body)
    assert match, f"no link to {path_prefix} in: {message.body}"
    return match.group(1)


@pytest.fixture
def fresh_postgres_database():
    """Create an empty throwaway PostgreSQL database; yield its URL; drop it afterwards."""
    server = make_url(require_postgres())
    name = f"{server.database or 'miti'}_scratch_{os.getpid()}"
    admin_engine = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin_engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()
