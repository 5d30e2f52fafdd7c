"""Who may act for a centre: roles held in it, or admin rights over the whole network."""

from miti_training.models import Centre, MembershipRole

#: Roles that may act for a centre, by the minimum role an action needs.
_ROLES_AT_LEAST = {
    MembershipRole.REVIEWER: {
        MembershipRole.REVIEWER,
        MembershipRole.COORDINATOR,
        MembershipRole.DIRECTOR,
    },
    MembershipRole.COORDINATOR: {MembershipRole.COORDINATOR, MembershipRole.DIRECTOR},
    MembershipRole.DIRECTOR: {MembershipRole.DIRECTOR},
}


def centre_roles(user, centre: Centre) -> set[MembershipRole]:
    """The roles user holds in centre."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {m.role for m in user.memberships if m.centre_id == centre.id}


def can_manage(user, centre: Centre, role: MembershipRole = MembershipRole.COORDINATOR) -> bool:
    """True when user is an admin or holds role (or a higher one) in centre."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_admin:
        return True
    return bool(centre_roles(user, centre) & _ROLES_AT_LEAST[role])


def managed_centre_ids(user) -> set[int] | None:
    """Centre ids user may manage (coordinator or director); None means every centre (admins).

    A reviewer's centres are not among them: reviewing is not managing."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_admin:
        return None
    managing = _ROLES_AT_LEAST[MembershipRole.COORDINATOR]
    return {m.centre_id for m in user.memberships if m.role in managing}
