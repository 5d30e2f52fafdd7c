"""What every request and response goes through: the SQLite transaction mode, security headers,
no caching of anything a signed-in person was shown, and public caching of anonymous public
pages only while they set no cookie (web/http_cache.py)."""

from flask import Flask, g, request

from miti_training.db_setup import sqlite_write_transaction
from miti_training.web import http_cache
from miti_training.web.downloads import no_store

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

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


def _shown_to_a_signed_in_user() -> bool:
    """Whether this request loaded a signed-in user (Flask-Login keeps it in g once loaded).

    A response that never loaded the user cannot hold their data; and loading it here could
    query a database that has just failed, turning a 503 into a 500.
    """
    user = g.get("_login_user")
    return user is not None and user.is_authenticated


def register(app: Flask) -> None:
    http_cache.init_app(app)

    @app.before_request
    def _choose_sqlite_transaction_mode() -> None:
        # A request that may write takes SQLite's write lock when its transaction begins.
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

    @app.after_request
    def _no_store_for_signed_in_users(response):
        # Every page and download of a signed-in person: no browser history or shared cache
        # keeps it (docs/security.md, item 25). Anonymous pages stay cacheable.
        if _shown_to_a_signed_in_user():
            no_store(response)
        return response

    @app.after_request
    def _public_only_without_cookies(response):
        return http_cache.keep_public_only_without_cookies(response)
