"""The web layer: one blueprint per audience, and what every request shares."""

from flask import Flask

from miti_training.web import (
    errors,
    limits,
    observability,
    request_hooks,
    sessions,
    templating,
    uploads,
)
from miti_training.web.admin import bp as admin_bp
from miti_training.web.api import bp as api_bp
from miti_training.web.auth import bp as auth_bp
from miti_training.web.catalogue import bp as catalogue_bp
from miti_training.web.certificates import bp as certificates_bp
from miti_training.web.main import bp as main_bp
from miti_training.web.manage import bp as manage_bp
from miti_training.web.nominations import bp as nominations_bp
from miti_training.web.registrations import bp as registrations_bp

#: Blueprint and URL prefix, in the order their routes are matched.
BLUEPRINTS = (
    (main_bp, None),
    (auth_bp, "/account"),
    (catalogue_bp, None),
    (registrations_bp, None),
    (nominations_bp, None),
    (certificates_bp, "/certificates"),
    (manage_bp, "/manage"),
    (admin_bp, "/admin"),
    (api_bp, "/api/v1"),
)


def init_app(app: Flask) -> None:
    """Sessions, metrics and logs, blueprints, request hooks, error pages, template helpers."""
    app.request_class = uploads.UploadRequest
    sessions.init_app(app)
    observability.init_app(app)
    for blueprint, prefix in BLUEPRINTS:
        app.register_blueprint(blueprint, url_prefix=prefix)
    request_hooks.register(app)
    limits.register(app)
    errors.register(app)
    templating.register(app)
