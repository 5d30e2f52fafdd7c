"""Who may act on a registration: its participant, or the centre's coordinators and directors
and admins (staff); actor None is the system, which may do what staff do."""

from miti_training.errors import PermissionDenied
from miti_training.models import MembershipRole, Programme, Registration
from miti_training.network.roles import can_manage


def is_staff(actor, programme: Programme) -> bool:
    return actor is None or can_manage(actor, programme.centre, MembershipRole.COORDINATOR)


def require_staff(actor, programme: Programme) -> None:
    if not is_staff(actor, programme):
        raise PermissionDenied()


def is_owner(actor, registration: Registration) -> bool:
    """actor is the participant the registration belongs to."""
    return (
        actor is not None
        and registration.user_id is not None
        and getattr(actor, "id", None) == registration.user_id
    )
