"""MITI Training: registration system of the Metropolis International Training Institute."""

import logging
from pathlib import Path

from flask import Flask

from config import get_config
from miti_training import cli, mail, text_search, web
from miti_training.db_setup import DatabaseIdConverter, configure_engine, render_migration_item
from miti_training.extensions import babel, csrf, db, limiter, migrate
from miti_training.web.locale import select_locale, select_timezone

REPO_ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the application: configuration, extensions, the web layer, CLI commands."""
    app = Flask(
        __name__,
        template_folder=str(REPO_ROOT / "templates"),
        instance_path=str(REPO_ROOT / "instance"),
    )
    app.config.from_object(get_config(config_name))
    app.config.update(overrides)
    app.url_map.converters["int"] = DatabaseIdConverter
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    register_extensions(app)
    web.init_app(app)
    cli.register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions of extensions.py (and the mail package) to app."""
    db.init_app(app)
    # create_all() (the tests' schema) builds the search indexes as migration 0012 does.
    text_search.schema.attach(db.metadata)
    with app.app_context():
        for engine in db.engines.values():
            configure_engine(engine)
    migrate.init_app(
        app,
        db,
        directory=str(REPO_ROOT / "migrations"),
        compare_type=True,
        render_item=render_migration_item,
        include_name=text_search.schema.include_name,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    if app.config["TRUSTED_PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0)
    mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
