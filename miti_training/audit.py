"""Audit trail: every state change of a registration, programme or role is recorded."""

from miti_training.extensions import db
from miti_training.models import AuditEntry

#: A download of a programme's attendee list: it changes nothing but the file holds personal data.
LIST_DOWNLOAD = "programme.export"


def record(
    action: str,
    *,
    actor=None,
    centre=None,
    programme=None,
    registration=None,
    subject_user=None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
) -> AuditEntry:
    """Add an audit entry to the current transaction (the centre defaults to the programme's)."""
    if centre is None and programme is not None:
        centre = programme.centre
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor is not None else None,
        centre_id=centre.id if centre is not None else None,
        programme_id=programme.id if programme is not None else None,
        registration_id=registration.id if registration is not None else None,
        subject_user_id=subject_user.id if subject_user is not None else None,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        reason=reason or "",
    )
    db.session.add(entry)
    return entry
