"""Who may manage what: checks and decorators used by every management route."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from miti_training.extensions import db
from miti_training.models import Centre, MembershipRole
from miti_training.slugs import looks_like_slug

#: Roles that may act for a centre, by the minimum role an action needs.
_ROLES_AT_LEAST = {
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
    """Centre ids user may manage; None means every centre (admins)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_admin:
        return None
    return {m.centre_id for m in user.memberships}


def admin_required(view):
    """Only admins; everyone else gets 403 (anonymous users are sent to log in)."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def staff_required(view):
    """Admins and anyone holding a centre role."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_staff:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def centre_role_required(role: MembershipRole = MembershipRole.COORDINATOR):
    """Load the centre named by the route's centre_slug and require role in it.

    The view receives the Centre as `centre` instead of `centre_slug`.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, centre_slug: str, **kwargs):
            if not looks_like_slug(centre_slug, max_length=60):
                abort(404)
            centre = db.session.scalar(db.select(Centre).filter_by(slug=centre_slug))
            if centre is None:
                abort(404)
            if not can_manage(current_user, centre, role):
                abort(403)
            return view(*args, centre=centre, **kwargs)

        return wrapper

    return decorator
