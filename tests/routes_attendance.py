"""Routes of the attendance, for the access matrices (tests/feature_routes.py)."""

from sqlalchemy import select

from miti_training.extensions import db
from miti_training.models import Registration, RegistrationStatus

COORDINATOR_ROUTES = [
    ("GET", "manage.session_attendance"),
    ("POST", "manage.session_attendance"),
    ("POST", "manage.mark_all_present"),
    ("GET", "manage.session_check_in_code"),
]

#: GET /check-in shows the form (the QR code opens it); POST checks in.
ACCOUNT_ROUTES = [
    ("GET", "registrations.check_in"),
    ("POST", "registrations.check_in"),
]


def manage_request(endpoint: str, world: dict) -> tuple[dict, dict] | None:
    """Requests on the published programme's first session (it has one confirmed participant)."""
    if endpoint not in {route[1] for route in COORDINATOR_ROUTES}:
        return None
    published = world["published"]
    values = {
        "centre_slug": world["centre"].slug,
        "programme_id": published.id,
        "session_id": published.sessions[0].id,
    }
    if endpoint == "manage.session_attendance":
        confirmed = db.session.scalars(
            select(Registration.id).where(
                Registration.programme_id == published.id,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
        ).all()
        return values, {f"status-{registration_id}": "excused" for registration_id in confirmed}
    return values, {}
