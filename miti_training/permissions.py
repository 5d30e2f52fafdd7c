"""Route guards: the decorators every management route uses (the role rules are in network.roles)."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from miti_training.extensions import db
from miti_training.models import Centre, MembershipRole, User
from miti_training.network.roles import can_manage
from miti_training.slugs import looks_like_slug


def _users_who(allowed: Callable[[User], bool]):
    """A guard: logged-in users for whom allowed(user) holds; anyone else gets 403 (anonymous
    users are sent to log in)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not allowed(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


#: Only admins.
admin_required = _users_who(lambda user: user.is_admin)
#: Admins and anyone holding a centre role.
staff_required = _users_who(lambda user: user.is_staff)


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
