"""Friendly error pages (HTML, or JSON for API and health routes)."""

import logging

from flask import jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

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


def register(app) -> None:
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
        log.error(
            "Unhandled error on %s %s",
            request.method,
            request.path,
            exc_info=error.original_exception,
        )
        return render_error(500)
