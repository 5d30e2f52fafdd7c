"""A programme's nominations settings: the window, the places per city (default and
overrides, with what each city has used) and the caps per world region. The centre's
coordinators and directors change them."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from miti_training.formatting import label
from miti_training.forms.nominations import CityPlacesForm, NominationSettingsForm, RegionCapForm
from miti_training.models import MembershipRole
from miti_training.network import member_cities
from miti_training.nominations import allocations, settings
from miti_training.nominations.window import nomination_state
from miti_training.permissions import centre_role_required
from miti_training.web.loaders import programme_in_centre_or_404
from miti_training.web.manage.blueprint import bp
from miti_training.web.refusals import REFUSED, attempt

COORDINATOR = MembershipRole.COORDINATOR


def _to_page(centre, programme):
    return redirect(
        url_for("manage.nomination_settings", centre_slug=centre.slug, programme_id=programme.id)
    )


def _page(centre, programme, *, form=None, city_form=None, region_form=None, status=200):
    city_form = city_form or CityPlacesForm(formdata=None)
    city_form.set_cities(member_cities.all_member_cities())
    return render_template(
        "manage/nominations.html",
        centre=centre,
        programme=programme,
        state=nomination_state(programme),
        form=form or NominationSettingsForm.for_programme(programme, formdata=None),
        city_form=city_form,
        region_form=region_form or RegionCapForm(formdata=None),
        allocations=allocations.allocation_table(programme),
        region_caps=settings.region_caps(programme),
        viewer_zone=current_user.timezone or "UTC",
    ), status


@bp.route("/<centre_slug>/programmes/<int:programme_id>/nominations", methods=["GET", "POST"])
@centre_role_required(COORDINATOR)
def nomination_settings(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    form = NominationSettingsForm.for_programme(programme)
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: settings.update_settings(
                programme,
                opens_at=form.opens_at.data,
                closes_at=form.closes_at.data,
                default_allocation=form.default_allocation.data,
                actor=current_user,
            ),
        )
        if done is not REFUSED:
            flash(_("The nomination settings are saved."), "success")
            return _to_page(centre, programme)
    return _page(centre, programme, form=form)


@bp.route("/<centre_slug>/programmes/<int:programme_id>/nominations/cities", methods=["POST"])
@centre_role_required(COORDINATOR)
def set_city_places(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    form = CityPlacesForm()
    form.set_cities(member_cities.all_member_cities())
    if form.validate_on_submit():
        city = attempt(
            form,
            lambda: settings.set_city_places(
                programme, form.member_city_id.data, form.places.data, actor=current_user
            ),
        )
        if city is not REFUSED:
            if form.places.data is None:
                message = _("%(city)s follows the default allocation again.", city=city.name)
            else:
                message = _(
                    "%(city)s may now nominate %(places)d officials.",
                    city=city.name,
                    places=form.places.data,
                )
            flash(message, "success")
            return _to_page(centre, programme)
    return _page(centre, programme, city_form=form, status=422)


@bp.route("/<centre_slug>/programmes/<int:programme_id>/nominations/regions", methods=["POST"])
@centre_role_required(COORDINATOR)
def set_region_cap(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    form = RegionCapForm()
    if form.validate_on_submit():
        region = attempt(
            form,
            lambda: settings.set_region_cap(
                programme, form.world_region.data, form.places.data, actor=current_user
            ),
        )
        if region is not REFUSED:
            if form.places.data is None:
                message = _("%(region)s has no cap any more.", region=label(region))
            else:
                message = _(
                    "At most %(places)d participants will be selected from %(region)s.",
                    places=form.places.data,
                    region=label(region),
                )
            flash(message, "success")
            return _to_page(centre, programme)
    return _page(centre, programme, region_form=form, status=422)
