"""Participants: download their own certificate of attendance.

Another person's registration id is a 404, as if it did not exist; so is a registration
without a valid certificate. The certificate is in the participant's preferred language.
"""

from flask import Response, abort, current_app
from flask_babel import get_locale
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Programme, Registration
from ..services import certificates
from . import bp


def pdf_response(certificate, locale: str) -> Response:
    """The certificate as a PDF download; never cached by shared caches."""
    response = Response(certificates.render_pdf(certificate, locale), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{certificates.pdf_filename(certificate)}"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/my/registrations/<int:registration_id>/certificate.pdf")
@login_required
def certificate_pdf(registration_id: int):
    registration = db.session.scalar(
        select(Registration)
        .where(Registration.id == registration_id, Registration.user_id == current_user.id)
        .options(
            selectinload(Registration.programme).selectinload(Programme.centre),
            selectinload(Registration.programme).selectinload(Programme.sessions),
            selectinload(Registration.programme).selectinload(Programme.translations),
        )
    )
    if registration is None:
        abort(404)
    certificate = certificates.valid_certificate(registration)
    if certificate is None:
        abort(404)
    language = current_user.preferred_language
    if language not in current_app.config["LANGUAGES"]:
        language = str(get_locale() or "en")
    return pdf_response(certificate, language)


@bp.app_template_global("valid_certificate")
def _valid_certificate(registration):
    """The registration's valid certificate, for the participant's registration page."""
    return certificates.valid_certificate(registration)


@bp.app_template_global("valid_certificates")
def _valid_certificates(registrations):
    """registration id -> valid certificate, in one query, for the list of registrations."""
    return certificates.valid_certificates(registrations)
