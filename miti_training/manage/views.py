"""Staff landing page and centre overview, scoped to the user's centres."""

from flask import render_template
from flask_login import current_user

from ..models import MembershipRole
from ..permissions import can_manage, centre_role_required, staff_required
from ..services import centre_admin
from . import bp


@bp.route("/")
@staff_required
def index():
    return render_template(
        "manage/index.html", centres=centre_admin.centres_managed_by(current_user)
    )


@bp.route("/<centre_slug>/")
@centre_role_required(MembershipRole.COORDINATOR)
def centre_overview(centre):
    return render_template(
        "manage/centre.html",
        centre=centre,
        programmes=centre_admin.centre_programmes(centre),
        staff=centre_admin.centre_staff(centre),
        is_director=can_manage(current_user, centre, MembershipRole.DIRECTOR),
    )
