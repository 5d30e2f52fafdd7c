"""A participant's consent to photos in which they appear being published: given on the
registration form or later from their registration's page, withdrawn there at any time.

Only the owner of a registration gives or withdraws it. Withdrawing is always allowed, whatever
the registration's status: nobody can be held to a consent. Giving it is allowed for every
registration but a cancelled one: a withdrawn or declined participant may still appear in
photos of the sessions they attended, while a cancelled registration went with its cancelled
programme. Both are idempotent: a consent already given (or already withdrawn) changes nothing
and records nothing. Staff see who has not agreed on each album's page; the audit trail
records each moment. A withdrawal while the programme's albums show photos is mailed to the
centre's coordinators and directors (albums.notifications).
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from miti_training import audit
from miti_training.albums import notifications
from miti_training.errors import DomainError, PermissionDenied
from miti_training.extensions import db
from miti_training.models import Registration, RegistrationStatus, User, utcnow

GIVEN = "registration.photo_consent_given"
WITHDRAWN = "registration.photo_consent_withdrawn"

CANCELLED = _l(
    "This registration was cancelled with its programme: consent to photos can no longer be given."
)


def may_give_photo_consent(registration: Registration) -> bool:
    """Whether the registration's status allows giving the consent (see the module)."""
    return registration.status != RegistrationStatus.CANCELLED


def give_photo_consent(registration: Registration, user: User) -> bool:
    """The owner gives it; False when it was already given. Refused on a cancelled
    registration."""
    if registration.user_id != user.id:
        raise PermissionDenied()
    if registration.consent_photos_at is not None:
        return False
    if not may_give_photo_consent(registration):
        raise DomainError(CANCELLED)
    given = _change(
        registration,
        True,
        Registration.consent_photos_at.is_(None),
        Registration.status != RegistrationStatus.CANCELLED,
    )
    if not given and not may_give_photo_consent(registration):
        raise DomainError(CANCELLED)  # cancelled with its programme in the meantime
    if given:
        audit.record(GIVEN, actor=user, programme=registration.programme, registration=registration)
    return given


def withdraw_photo_consent(registration: Registration, user: User) -> bool:
    """The owner withdraws it; False when it was not given."""
    if registration.user_id != user.id:
        raise PermissionDenied()
    if registration.consent_photos_at is None:
        return False
    withdrawn = _change(registration, False, Registration.consent_photos_at.is_not(None))
    if withdrawn:
        audit.record(
            WITHDRAWN, actor=user, programme=registration.programme, registration=registration
        )
        notifications.tell_staff_of_withdrawal(registration)
    return withdrawn


def _change(registration: Registration, agree: bool, *unless_changed) -> bool:
    """Set the consent in one conditional statement: of two requests at once (a double click),
    only one changes it and is audited."""
    now = utcnow()
    changed = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id, *unless_changed)
        .values(consent_photos_at=now if agree else None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(registration, ["consent_photos_at", "updated_at", "status"])
    return changed.rowcount == 1
