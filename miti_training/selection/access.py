"""Who may do what in selection: coordinators and directors keep the rubric and decide;
reviewers (and coordinators and directors) score; a reviewer from the applicant's own member
city is recused."""

from miti_training.errors import PermissionDenied
from miti_training.models import MembershipRole, Programme, Registration
from miti_training.network.roles import can_manage
from miti_training.registrations.access import require_staff


def may_score(actor, programme: Programme) -> bool:
    return can_manage(actor, programme.centre, MembershipRole.REVIEWER)


def require_scorer(actor, programme: Programme) -> None:
    if not may_score(actor, programme):
        raise PermissionDenied()


def require_coordinator(actor, programme: Programme) -> None:
    """The centre's coordinators and directors, and admins (actor None is not allowed here)."""
    if actor is None:
        raise PermissionDenied()
    require_staff(actor, programme)


def is_recused(reviewer, registration: Registration) -> bool:
    """The reviewer belongs to the applicant's member city: they may not score the application."""
    city = getattr(reviewer, "member_city_id", None)
    return city is not None and city == registration.member_city_id
