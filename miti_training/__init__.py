"""MITI Training: registration system of the Metropolis International Training Institute."""

import logging
from pathlib import Path

from flask import Flask, has_request_context, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from config import get_config
from miti_training import mail
from miti_training.db_setup import (
    DatabaseIdConverter,
    configure_engine,
    render_migration_item,
    sqlite_write_transaction,
)
from miti_training.extensions import babel, csrf, db, limiter, login_manager, migrate
from miti_training.formatting import LANGUAGES

REPO_ROOT = Path(__file__).resolve().parent.parent
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the application: configuration, extensions, blueprints, errors, CLI."""
    app = Flask(
        __name__,
        template_folder=str(REPO_ROOT / "templates"),
        instance_path=str(REPO_ROOT / "instance"),
    )
    app.config.from_object(get_config(config_name))
    app.config.update(overrides)
    app.url_map.converters["int"] = DatabaseIdConverter
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    _init_extensions(app)
    from miti_training.web import observability

    observability.init_app(app)
    _register_blueprints(app)
    _register_request_hooks(app)

    from miti_training.cli import register_commands
    from miti_training.web import errors as errors_views

    errors_views.register(app)
    register_commands(app)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            configure_engine(engine)
    migrate.init_app(
        app,
        db,
        directory=str(REPO_ROOT / "migrations"),
        compare_type=True,
        render_item=render_migration_item,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    if app.config["TRUSTED_PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0)
    mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.refresh_view = "auth.login"
    login_manager.needs_refresh_message = _l("Please log in again to confirm it is you.")
    login_manager.needs_refresh_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str):
        from miti_training.models import User

        user_id, _, token = session_id.partition(":")
        if not user_id.isdigit() or not token:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.is_enabled or user.session_token != token:
            return None
        return user


def select_locale() -> str | None:
    """The user's language, else the visitor's choice, else the browser's, else English."""
    if not has_request_context():
        return None  # CLI and background work: the default, or force_locale() by the caller
    languages = LANGUAGES
    user_language = getattr(current_user, "preferred_language", None)
    if getattr(current_user, "is_authenticated", False) and user_language in languages:
        return user_language
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or "en"


def select_timezone() -> str | None:
    if not has_request_context():
        return None
    if current_user and getattr(current_user, "is_authenticated", False):
        return current_user.timezone
    return None


def _register_blueprints(app: Flask) -> None:
    from miti_training.web.admin import bp as admin_bp
    from miti_training.web.api import bp as api_bp
    from miti_training.web.auth import bp as auth_bp
    from miti_training.web.catalogue import bp as catalogue_bp
    from miti_training.web.certificates import bp as certificates_bp
    from miti_training.web.main import bp as main_bp
    from miti_training.web.manage import bp as manage_bp
    from miti_training.web.registrations import bp as registrations_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/account")
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(registrations_bp)
    app.register_blueprint(certificates_bp, url_prefix="/certificates")
    app.register_blueprint(manage_bp, url_prefix="/manage")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


def _register_request_hooks(app: Flask) -> None:
    @app.before_request
    def _choose_sqlite_transaction_mode() -> None:
        sqlite_write_transaction.set(request.method not in SAFE_METHODS)

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response

    from miti_training.web import templating

    templating.register(app)
