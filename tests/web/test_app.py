"""Application-wide behaviour: configuration, health, errors, headers, language choice."""

import pytest

import config
from miti_training import create_app
from tests.support.factories import make_user


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_unreachable_database(tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/x.db")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_unknown_page_gets_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "We could not find the page" in html
    assert 'href="/"' in html


def test_wrong_method_gets_405_page(client):
    response = client.get("/account/logout")
    assert response.status_code == 405
    assert "does not accept" in response.get_data(as_text=True)


def test_unexpected_error_gets_generic_500_page(app):
    other = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])

    @other.route("/__boom")
    def boom():
        raise RuntimeError("secret detail")

    other.config["PROPAGATE_EXCEPTIONS"] = False
    response = other.test_client().get("/__boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "unexpected error" in html
    assert "secret detail" not in html


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # only in production


def test_pages_have_no_inline_scripts(client):
    html = client.get("/account/signup").get_data(as_text=True)
    assert "<script>" not in html
    assert " onclick=" not in html and " style=" not in html


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config.ProductionConfig()


def test_production_refuses_sqlite_unless_allowed(monkeypatch):
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "x" * 40)
    monkeypatch.setenv("SERVER_BASE_URL", "https://training.miti.example")
    monkeypatch.setattr(config.ProductionConfig, "SQLALCHEMY_DATABASE_URI", "sqlite:///x.db")
    monkeypatch.delenv("ALLOW_SQLITE_IN_PRODUCTION", raising=False)
    with pytest.raises(RuntimeError, match="PostgreSQL"):
        config.ProductionConfig()
    monkeypatch.setenv("ALLOW_SQLITE_IN_PRODUCTION", "1")
    assert config.ProductionConfig().SQLALCHEMY_DATABASE_URI == "sqlite:///x.db"


def test_production_sets_secure_cookies_and_hsts(monkeypatch):
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "x" * 40)
    monkeypatch.setenv("SERVER_BASE_URL", "https://training.miti.example")
    monkeypatch.setattr(
        config.ProductionConfig, "SQLALCHEMY_DATABASE_URI", "postgresql+psycopg://u@h/db"
    )
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["REMEMBER_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not app.debug
    with app.test_request_context("/"):
        response = app.process_response(app.make_response("ok"))
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_development_secret_is_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    monkeypatch.setattr(config.DevelopmentConfig, "SECRET_KEY", None)
    first = config.DevelopmentConfig().SECRET_KEY
    second = config.DevelopmentConfig().SECRET_KEY
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_urls_use_psycopg3(given, expected):
    assert config.normalise_database_url(given) == expected


def test_unknown_environment_name_is_refused():
    with pytest.raises(RuntimeError, match="Unknown MITI_ENV"):
        config.get_config("staging")


def test_language_switch_sets_html_lang_and_dir(client):
    response = client.post("/language", data={"lang": "fa", "next": "/programmes"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/programmes"
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in html


def test_language_switch_refuses_unknown_language_and_foreign_next(client):
    response = client.post("/language", data={"lang": "xx", "next": "//attacker.example/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert '<html lang="en" dir="ltr">' in client.get("/").get_data(as_text=True)


def test_browser_language_is_used_for_visitors(client):
    html = client.get("/", headers={"Accept-Language": "ko-KR,ko;q=0.9"}).get_data(as_text=True)
    assert '<html lang="ko" dir="ltr">' in html


def test_logged_in_language_switch_is_remembered_on_the_account(client, db, login):
    user = make_user(preferred_language="en")
    login(user)
    client.post("/language", data={"lang": "ar", "next": "/"})
    db.session.refresh(user)
    assert user.preferred_language == "ar"
    assert 'dir="rtl"' in client.get("/").get_data(as_text=True)


def test_lazy_error_messages_with_user_text_are_escaped(app):
    """flask_babel's lazy strings claim to be safe HTML; the form macros must not trust them."""
    from flask import render_template_string
    from flask_babel import lazy_gettext
    from flask_wtf import FlaskForm
    from wtforms import StringField

    class Form(FlaskForm):
        name = StringField("Name")

    with app.test_request_context("/"):
        form = Form(meta={"csrf": False})
        form.name.errors = [lazy_gettext("Bad %(v)s", v="<script>alert(1)</script>")]
        html = render_template_string(
            '{% from "_macros.html" import field, form_errors %}{{ form_errors(form) }}'
            "{{ field(form.name) }}",
            form=form,
        )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
