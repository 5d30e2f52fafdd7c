"""Participants: download their own certificate of attendance.

Another person's registration id is a 404, as if it did not exist; so is a registration
without a valid certificate. The certificate is in the participant's preferred language.
"""

from flask import Response, abort
from flask_babel import get_locale
from flask_login import current_user, login_required

from miti_training.attendance import certificates
from miti_training.attendance.certificate_pdf import pdf_filename, render_pdf
from miti_training.formatting import LANGUAGES
from miti_training.web.registrations.blueprint import bp
from miti_training.web.registrations.views import _own_registration_or_404


def pdf_response(certificate, locale: str) -> Response:
    """The certificate as a PDF download; never cached by shared caches."""
    response = Response(render_pdf(certificate, locale), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{pdf_filename(certificate)}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/my/registrations/<int:registration_id>/certificate.pdf")
@login_required
def certificate_pdf(registration_id: int):
    registration = _own_registration_or_404(registration_id)
    certificate = certificates.valid_certificate(registration)
    if certificate is None:
        abort(404)
    language = current_user.preferred_language
    if language not in LANGUAGES:
        language = str(get_locale() or "en")
    return pdf_response(certificate, language)
