"""Files to download that only their reader may keep: no shared cache stores them."""

from flask import Response

from miti_training.attendance.certificate_pdf import pdf_filename, render_pdf


def certificate_pdf_response(certificate, locale: str) -> Response:
    """The certificate as a PDF download in locale."""
    response = Response(render_pdf(certificate, locale), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{pdf_filename(certificate)}"'
    return no_store(response)


def no_store(response: Response) -> Response:
    """The response is kept by no cache at all."""
    response.headers["Cache-Control"] = "private, no-store"
    return response
