"""A participant's consent to photos in which they appear being published: given on the
registration form, withdrawn from their registration's page at any time."""

from miti_training import audit
from miti_training.errors import PermissionDenied
from miti_training.extensions import db
from miti_training.models import Registration, User


def withdraw_photo_consent(registration: Registration, user: User) -> bool:
    """The owner withdraws it; False when it was not given. Staff see who has not agreed on
    each album's page; the audit trail records the moment."""
    if registration.user_id != user.id:
        raise PermissionDenied()
    if registration.consent_photos_at is None:
        return False
    registration.consent_photos_at = None
    db.session.flush()
    audit.record(
        "registration.photo_consent_withdrawn",
        actor=user,
        programme=registration.programme,
        registration=registration,
    )
    return True
