"""Routes of the certificates, for the access matrices (tests/feature_routes.py)."""

from miti_training.attendance.certificates import new_code
from miti_training.extensions import db
from miti_training.models import Attendance, AttendanceStatus, Certificate, RegistrationStatus
from tests.support.factories import make_registration

COORDINATOR_ROUTES = [
    ("GET", "manage.programme_certificates"),
    ("POST", "manage.issue_certificates"),
    ("POST", "manage.issue_certificate"),
    ("GET", "manage.revoke_certificate"),
    ("POST", "manage.revoke_certificate"),
    ("GET", "manage.certificate_pdf"),
]
DOWNLOADS = {"manage.certificate_pdf"}
PUBLIC_ROUTES = [("GET", "certificates.lookup"), ("GET", "certificates.verify")]
OWN_REGISTRATION_ROUTES = [("GET", "registrations.certificate_pdf")]


def _completer(programme):
    """A confirmed participant present at every session of programme."""
    registration = make_registration(programme, status=RegistrationStatus.CONFIRMED)
    for session in programme.sessions:
        db.session.add(
            Attendance(registration=registration, session=session, status=AttendanceStatus.PRESENT)
        )
    db.session.flush()
    return registration


def _certificate(programme) -> Certificate:
    registration = _completer(programme)
    certificate = Certificate(
        registration=registration,
        code=new_code(),
        full_name=registration.full_name,
        attendance_percent=100,
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


def manage_request(endpoint: str, world: dict) -> tuple[dict, dict] | None:
    if endpoint not in {route for _method, route in COORDINATOR_ROUTES}:
        return None
    finished = world["finished"]
    on_programme = {"centre_slug": world["centre"].slug, "programme_id": finished.id}
    if endpoint == "manage.programme_certificates":
        _completer(finished)
        return on_programme, {}
    if endpoint == "manage.issue_certificates":
        _completer(finished)
        return on_programme, {}
    if endpoint == "manage.issue_certificate":
        return {**on_programme, "registration_id": _completer(finished).id}, {}
    if endpoint == "manage.revoke_certificate":
        certificate = _certificate(finished)
        return {**on_programme, "certificate_id": certificate.id}, {"reason": "Issued by mistake."}
    certificate = _certificate(finished)
    return {**on_programme, "certificate_id": certificate.id}, {}
