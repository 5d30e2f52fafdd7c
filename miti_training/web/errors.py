"""Friendly error pages (HTML, or JSON for API and health routes)."""

import logging

from flask import current_app, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException, InternalServerError

from miti_training.extensions import db, login_manager

log = logging.getLogger(__name__)

TITLES = {
    400: lambda: _("Bad request"),
    403: lambda: _("Access denied"),
    404: lambda: _("Page not found"),
    405: lambda: _("Method not allowed"),
    413: lambda: _("File too large"),
    429: lambda: _("Too many requests"),
    500: lambda: _("Something went wrong"),
}

MESSAGES = {
    400: lambda: _("The request could not be understood. Please go back and try again."),
    403: lambda: _("You do not have permission to see this page."),
    404: lambda: _("We could not find the page you were looking for."),
    405: lambda: _("This address does not accept that kind of request."),
    413: lambda: _("The file you sent is too large."),
    429: lambda: _("You have made too many requests. Please wait a moment and try again."),
    500: lambda: _("An unexpected error occurred. It has been logged; please try again later."),
}


def _wants_json() -> bool:
    return request.path.startswith(("/api/", "/healthz", "/readyz"))


def render_error(code: int, message: str | None = None):
    """Render the error page for code, with an optional more specific message."""
    title = TITLES.get(code, TITLES[500])()
    message = message or MESSAGES.get(code, MESSAGES[500])()
    if _wants_json():
        return jsonify(error=title, message=message), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def is_database_unavailable(error: BaseException | None) -> bool:
    """The database could not be reached or dropped the connection (restart, failover, a
    full pool): worth a retry, unlike a query's own error."""
    if isinstance(error, OperationalError | InterfaceError | PoolTimeoutError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def database_unavailable(error: BaseException):
    """503 with Retry-After; nothing of the request was stored (docs/security.md, item 26).

    The transaction is rolled back and the page is rendered for an anonymous visitor, so
    rendering it asks nothing more of the database.
    """
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[:1]
    log.warning("Database unavailable on %s %s: %s", request.method, request.path, *reason or [""])
    try:
        db.session.rollback()
    except Exception:  # the connection is gone already; the pool replaces it
        log.debug("Rollback after a database error failed", exc_info=True)
    g._login_user = login_manager.anonymous_user()
    title = _("Service temporarily unavailable")
    if request.method == "POST":
        message = _(
            "We could not save what you sent: our database is not answering. Please use your "
            "browser's Back button (your form is still filled in there) and send it again in "
            "a minute."
        )
    else:
        message = _("Our database is not answering at the moment. Please try again in a minute.")
    if _wants_json():
        response = jsonify(error=title, message=message, field=None)
    else:
        response = current_app.make_response(
            render_template("errors/unavailable.html", title=title, message=message)
        )
    response.status_code = 503
    response.headers["Retry-After"] = str(current_app.config["DATABASE_RETRY_AFTER"])
    response.headers["Cache-Control"] = "no-store"
    return response


def register(app) -> None:
    @app.teardown_appcontext
    def _release_session(_error) -> None:
        # Runs before Flask-SQLAlchemy's own teardown: the rollback of a connection the server
        # has just closed (a restart) raises, and would turn an answered request into a 500.
        try:
            db.session.remove()
        except SQLAlchemyError as error:
            if not is_database_unavailable(error):
                raise
            log.warning("Connection lost while ending the request: %s", error)

    # Raised in a view, a before_request hook or the login loader: the database is down.
    for error_class in (OperationalError, InterfaceError, PoolTimeoutError, DBAPIError):
        app.register_error_handler(error_class, _database_error)

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        return render_error(
            400,
            _(
                "Your form expired or was sent from elsewhere. Please reload the page and try again."
            ),
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        response = make_response(render_error(error.code))
        # The exception's own headers belong to the answer: Allow on a 405 (RFC 9110),
        # Retry-After when it has one; the error page brings its own Content-Type.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(InternalServerError)
    def _server_error(error):
        if is_database_unavailable(error.original_exception):
            # Raised where no handler is consulted (an after_request hook): still a 503.
            return database_unavailable(error.original_exception)
        log.error(
            "Unhandled error on %s %s",
            request.method,
            request.path,
            exc_info=error.original_exception,
        )
        return render_error(500)


def _database_error(error: DBAPIError | PoolTimeoutError):
    if is_database_unavailable(error):
        return database_unavailable(error)
    raise error  # a query's own error: the 500 handler logs it, as any other bug
