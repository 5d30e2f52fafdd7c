"""Files to download that only their reader may keep, and the header that says so."""

from flask import Response

from miti_training.attendance.certificate_pdf import pdf_filename, render_pdf


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
