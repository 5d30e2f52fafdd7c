"""Focal points of member cities: granted and revoked by admins on a user's page, all of them
listed on one page."""

from flask import flash, render_template
from flask_babel import gettext as _
from flask_login import current_user, fresh_login_required

from miti_training.extensions import db
from miti_training.forms.common import ActionForm
from miti_training.forms.nominations import FocalPointForm
from miti_training.models import User
from miti_training.network import member_cities
from miti_training.nominations import focal_points
from miti_training.permissions import admin_required
from miti_training.web.admin.blueprint import bp
from miti_training.web.admin.granting import back_to, grant_from_form
from miti_training.web.refusals import REFUSED, attempt, check_action_form


@bp.route("/focal-points")
@admin_required
def list_focal_points():
    return render_template(
        "admin/focal_points.html",
        focal_points=focal_points.all_focal_points(),
        action_form=ActionForm(),
    )


@bp.route("/users/<int:user_id>/focal-point", methods=["POST"])
@admin_required
@fresh_login_required
def grant_focal_point(user_id: int):
    user = db.get_or_404(User, user_id)
    form = FocalPointForm()
    form.set_cities(member_cities.all_member_cities())

    def told(focal_point, created: bool) -> str:
        names = {"name": user.full_name, "city": focal_point.member_city.name}
        if created:
            return _("%(name)s is now focal point of %(city)s.", **names)
        return _("%(name)s is already focal point of %(city)s.", **names)

    return grant_from_form(
        user,
        form,
        lambda: focal_points.grant_focal_point(user, form.member_city_id.data, actor=current_user),
        told,
    )


@bp.route("/users/<int:user_id>/focal-point/revoke", methods=["POST"])
@admin_required
@fresh_login_required
def revoke_focal_point(user_id: int):
    user = db.get_or_404(User, user_id)
    check_action_form()

    def revoke():
        return focal_points.revoke_focal_point(user, actor=current_user).member_city.name

    # A refusal means the role is gone already: what was asked is done.
    city = attempt(None, revoke, category="info")
    if city is not REFUSED:
        flash(
            _("%(name)s is no longer focal point of %(city)s.", name=user.full_name, city=city),
            "success",
        )
    return back_to(user)
