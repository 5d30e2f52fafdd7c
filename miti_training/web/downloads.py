"""Files to download that only their reader may keep, and the header that says so."""

from collections.abc import Iterator

from flask import Flask, Response

from miti_training.attendance.certificate_pdf import pdf_filename, render_pdf
from miti_training.db_setup import sqlite_write_transaction


def certificate_pdf_response(certificate, locale: str) -> Response:
    """The certificate as a PDF download in locale (only signed-in people download one, so
    request_hooks marks it no-store)."""
    response = Response(render_pdf(certificate, locale), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{pdf_filename(certificate)}"'
    return response


def no_store(response: Response) -> Response:
    """The response is kept by no cache at all (docs/security.md, item 25)."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


def each_step_in_app_context(app: Flask, steps: Iterator[bytes]) -> Iterator[bytes]:
    """Run each step of steps (a read) in an app context, and so a database session, of its own.

    The request's context is gone while the body is sent; each part is read in a fresh
    context torn down before the part is sent, so a slow download holds no connection or
    transaction, and the stream works in whatever context the server reads it.
    """
    while True:
        with app.app_context():
            token = sqlite_write_transaction.set(False)
            try:
                chunk = next(steps, None)
            finally:
                sqlite_write_transaction.reset(token)
        if chunk is None:
            return
        yield chunk
