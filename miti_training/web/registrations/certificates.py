"""Participants: download their own certificate of attendance.

Another person's registration id is a 404, as if it did not exist; so is a registration
without a valid certificate. The certificate is in the participant's preferred language.
"""

from flask import abort
from flask_login import login_required

from miti_training.attendance import certificates
from miti_training.web.downloads import certificate_pdf_response
from miti_training.web.loaders import own_registration_or_404
from miti_training.web.registrations.blueprint import bp


@bp.route("/my/registrations/<int:registration_id>/certificate.pdf")
@login_required
def certificate_pdf(registration_id: int):
    registration = own_registration_or_404(registration_id)
    certificate = certificates.valid_certificate(registration)
    if certificate is None:
        abort(404)
    return certificate_pdf_response(certificate, certificates.participant_language(certificate))
