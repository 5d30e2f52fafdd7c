"""SERVER_BASE_URL, the base of every link in an email: production refuses to start without
it; development derives it from the port `make run` serves on."""

import re

import pytest

import config
from miti_training import create_app
from miti_training import mail as notifications
from miti_training.extensions import db
from tests.support.factories import make_user


@pytest.fixture
def production(monkeypatch):
    """Everything production needs, but SERVER_BASE_URL."""
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "x" * 40)
    monkeypatch.setattr(
        config.ProductionConfig, "SQLALCHEMY_DATABASE_URI", "postgresql+psycopg://u@h/db"
    )
    monkeypatch.delenv("SERVER_BASE_URL", raising=False)


def test_production_refuses_to_start_without_server_base_url(production):
    with pytest.raises(RuntimeError, match="SERVER_BASE_URL must be set in production"):
        create_app("production")


@pytest.mark.parametrize("value", ["training.miti.example", "ftp://miti.example", "https://"])
def test_production_refuses_a_server_base_url_that_is_not_an_address(
    production, monkeypatch, value
):
    monkeypatch.setenv("SERVER_BASE_URL", value)
    with pytest.raises(RuntimeError, match="SERVER_BASE_URL must be an absolute http"):
        create_app("production")


def test_production_takes_server_base_url_from_the_environment(production, monkeypatch):
    monkeypatch.setenv("SERVER_BASE_URL", " https://training.miti.example ")
    app = create_app("production")
    assert app.config["SERVER_BASE_URL"] == "https://training.miti.example"


@pytest.fixture
def development(monkeypatch):
    monkeypatch.setattr(config.DevelopmentConfig, "SECRET_KEY", "x" * 40)
    for name in ("SERVER_BASE_URL", "PORT", "FLASK_RUN_PORT"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "http://127.0.0.1:5000"),
        ({"PORT": "8000"}, "http://127.0.0.1:8000"),
        ({"FLASK_RUN_PORT": "8080"}, "http://127.0.0.1:8080"),
        ({"PORT": "8000", "SERVER_BASE_URL": "http://dev.example:9000"}, "http://dev.example:9000"),
    ],
)
def test_development_base_url_follows_the_port(development, monkeypatch, environment, expected):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    base_url = config.get_config("development").SERVER_BASE_URL
    assert base_url == expected


def test_development_mail_links_open_the_port_make_run_serves_on(
    development, monkeypatch, tmp_path
):
    monkeypatch.setenv("PORT", "8000")
    app = create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'dev.db'}",
        MAIL_BACKEND="memory",
        WTF_CSRF_ENABLED=False,
    )
    with app.app_context():
        db.create_all()
        user = make_user()
        db.session.commit()
        email = user.email

        response = app.test_client().post("/account/forgot-password", data={"email": email})

        assert response.status_code == 302
        [message] = notifications.outbox()
        links = re.findall(r"https?://\S+", message.body)
        assert links
        assert all(link.startswith("http://127.0.0.1:8000/") for link in links), links
        db.session.remove()
        db.engine.dispose()
