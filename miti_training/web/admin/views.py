"""Administration pages: centres, member cities, users and their roles (admins only)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, fresh_login_required, login_fresh

from miti_training.extensions import db
from miti_training.formatting import label
from miti_training.forms.network import (
    CentreForm,
    GrantRoleForm,
    MemberCityForm,
    SearchForm,
    UserSearchForm,
)
from miti_training.forms.nominations import FocalPointForm
from miti_training.models import NETWORK_LANGUAGE, Centre, MemberCity, User
from miti_training.network import centres, member_cities, network_dashboard, users
from miti_training.nominations.focal_points import focal_point_of
from miti_training.permissions import admin_required
from miti_training.web import audit_sentences
from miti_training.web.admin.blueprint import bp
from miti_training.web.admin.granting import back_to, grant_from_form
from miti_training.web.refusals import REFUSED, attempt, check_action_form


def _page_number() -> int:
    return request.args.get("page", 1, type=int)


# Overview ------------------------------------------------------------------------------


@bp.route("/")
@admin_required
def index():
    return render_template(
        "admin/index.html",
        counts=network_dashboard.network_counts(),
        recent=users.recent_changes(),
        **_sentences(),
    )


def _sentences() -> dict:
    """What pages showing the audit trail need: its sentences and the zone times are in."""
    return {
        "audit_sentence": audit_sentences.sentence,
        "viewer_zone": current_user.timezone or "UTC",
    }


# Centres -------------------------------------------------------------------------------


@bp.route("/centres")
@admin_required
def list_centres():
    return render_template("admin/centres.html", centres=centres.list_centres())


@bp.route("/centres/new", methods=["GET", "POST"])
@admin_required
def create_centre():
    form = CentreForm()
    if request.method == "GET":
        form.timezone.data = "UTC"
    if form.validate_on_submit():
        centre = attempt(form, lambda: centres.create_centre(actor=current_user, **form.values()))
        if centre is not REFUSED:
            flash(_("The centre “%(name)s” has been created.", name=centre.name), "success")
            return redirect(url_for("admin.list_centres"))
    return _centre_form(form, None)


@bp.route("/centres/<int:centre_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_centre(centre_id: int):
    centre = db.get_or_404(Centre, centre_id)
    form = CentreForm(obj=centre, data=CentreForm.translation_data(centre))
    if form.validate_on_submit():
        saved = attempt(
            form, lambda: centres.update_centre(centre, actor=current_user, **form.values())
        )
        if saved is not REFUSED:
            flash(_("The centre “%(name)s” has been saved.", name=centre.name), "success")
            return redirect(url_for("admin.list_centres"))
    return _centre_form(form, centre)


def _centre_form(form: CentreForm, centre: Centre | None):
    """The centre's form, with a translation fieldset for every language but English."""
    return render_template(
        "admin/centre_form.html",
        form=form,
        centre=centre,
        translation_languages=form.translation_languages(NETWORK_LANGUAGE),
    )


# Member cities -------------------------------------------------------------------------


@bp.route("/member-cities")
@admin_required
def list_member_cities():
    form = SearchForm(formdata=request.args)
    query = form.q.data if form.validate() else ""
    page = member_cities.search_member_cities(query or "", _page_number())
    return render_template("admin/member_cities.html", form=form, page=page, query=query)


@bp.route("/member-cities/new", methods=["GET", "POST"])
@admin_required
def create_member_city():
    form = MemberCityForm()
    if form.validate_on_submit():
        city = attempt(
            form, lambda: member_cities.create_member_city(actor=current_user, **form.values())
        )
        if city is not REFUSED:
            flash(_("“%(name)s” has been added to the member cities.", name=city.name), "success")
            return redirect(url_for("admin.list_member_cities"))
    return _member_city_form(form, None)


@bp.route("/member-cities/<int:city_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_member_city(city_id: int):
    city = db.get_or_404(MemberCity, city_id)
    form = MemberCityForm(obj=city, data=MemberCityForm.translation_data(city))
    if form.validate_on_submit():
        saved = attempt(
            form,
            lambda: member_cities.update_member_city(city, actor=current_user, **form.values()),
        )
        if saved is not REFUSED:
            flash(_("“%(name)s” has been saved.", name=city.name), "success")
            return redirect(url_for("admin.list_member_cities"))
    return _member_city_form(form, city)


def _member_city_form(form: MemberCityForm, city: MemberCity | None):
    """The member city's form, with a translation fieldset for every language but English."""
    return render_template(
        "admin/member_city_form.html",
        form=form,
        city=city,
        translation_languages=form.translation_languages(NETWORK_LANGUAGE),
    )


# Users ---------------------------------------------------------------------------------


@bp.route("/users")
@admin_required
def list_users():
    form = UserSearchForm(formdata=request.args)
    valid = form.validate()
    query = form.q.data if valid else ""
    user_filter = form.show.data if valid else ""
    page = users.search_users(query or "", user_filter or "", _page_number())
    return render_template(
        "admin/users.html",
        form=form,
        page=page,
        query=query,
        user_filter=user_filter,
    )


@bp.route("/users/<int:user_id>")
@admin_required
def user_detail(user_id: int):
    user = db.get_or_404(User, user_id)
    every_centre = centres.list_centres()
    grant_form = GrantRoleForm()
    grant_form.set_centres(every_centre)
    return render_template(
        "admin/user.html",
        user=user,
        memberships=users.user_memberships(user),
        history=users.user_history(user),
        grant_form=grant_form,
        focal_point=focal_point_of(user),
        focal_form=_focal_point_form(),
        login_is_fresh=login_fresh(),
        **_sentences(),
    )


def _focal_point_form() -> FocalPointForm:
    form = FocalPointForm()
    form.set_cities(member_cities.all_member_cities())
    return form


def _set_enabled(user_id: int, enabled: bool):
    user = db.get_or_404(User, user_id)
    check_action_form()
    changed = attempt(None, lambda: users.set_enabled(user, enabled, actor=current_user))
    if changed is REFUSED:
        return back_to(user)
    if not changed:
        flash(_("Nothing to change: the account was already in that state."), "info")
    elif enabled:
        flash(_("The account of %(name)s has been enabled.", name=user.full_name), "success")
    else:
        flash(
            _(
                "The account of %(name)s has been disabled and logged out everywhere.",
                name=user.full_name,
            ),
            "success",
        )
    return back_to(user)


@bp.route("/users/<int:user_id>/enable", methods=["POST"])
@admin_required
def enable_user(user_id: int):
    return _set_enabled(user_id, True)


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@admin_required
def disable_user(user_id: int):
    return _set_enabled(user_id, False)


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
@admin_required
@fresh_login_required
def grant_role(user_id: int):
    user = db.get_or_404(User, user_id)
    form = GrantRoleForm()
    form.set_centres(centres.list_centres())

    def told(membership, created: bool) -> str:
        message_args = {
            "name": user.full_name,
            "role": label(membership.role),
            "centre": membership.centre.name,
        }
        if created:
            return _("%(name)s is now %(role)s of %(centre)s.", **message_args)
        return _("%(name)s is already %(role)s of %(centre)s.", **message_args)

    return grant_from_form(
        user,
        form,
        lambda: users.grant_role(user, form.centre_id.data, form.role.data, actor=current_user),
        told,
    )


@bp.route("/users/<int:user_id>/roles/<int:membership_id>/revoke", methods=["POST"])
@admin_required
@fresh_login_required
def revoke_role(user_id: int, membership_id: int):
    user = db.get_or_404(User, user_id)
    check_action_form()

    def revoke():
        membership = users.revoke_role(user, membership_id, actor=current_user)
        return label(membership.role), membership.centre.name  # read before the commit

    # A refusal means the role is gone already: what was asked is done.
    revoked = attempt(None, revoke, category="info")
    if revoked is REFUSED:
        return back_to(user)
    role, centre_name = revoked
    flash(
        _(
            "%(name)s is no longer %(role)s of %(centre)s.",
            name=user.full_name,
            role=role,
            centre=centre_name,
        ),
        "success",
    )
    return back_to(user)


def _set_admin(user_id: int, is_admin: bool):
    user = db.get_or_404(User, user_id)
    check_action_form()
    changed = attempt(None, lambda: users.set_admin(user, is_admin, actor=current_user))
    if changed is REFUSED:
        return back_to(user)
    if not changed:
        flash(_("Nothing to change: the account was already in that state."), "info")
    elif is_admin:
        flash(_("%(name)s is now an administrator.", name=user.full_name), "success")
    else:
        flash(_("%(name)s is no longer an administrator.", name=user.full_name), "success")
    return back_to(user)


@bp.route("/users/<int:user_id>/admin/grant", methods=["POST"])
@admin_required
@fresh_login_required
def grant_admin(user_id: int):
    return _set_admin(user_id, True)


@bp.route("/users/<int:user_id>/admin/revoke", methods=["POST"])
@admin_required
@fresh_login_required
def revoke_admin(user_id: int):
    return _set_admin(user_id, False)
