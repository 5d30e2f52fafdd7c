"""The programmes a programme requires: listed, added and removed by whoever may edit it."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from miti_training.extensions import db
from miti_training.formatting import programme_dates, programme_text, translated
from miti_training.forms.prerequisites import PrerequisiteForm
from miti_training.models import MembershipRole, Programme
from miti_training.permissions import centre_role_required
from miti_training.programmes import editing
from miti_training.programmes import prerequisites as requiring
from miti_training.registrations.prerequisites import required_programmes
from miti_training.web.loaders import programme_in_centre_or_404
from miti_training.web.manage.blueprint import bp
from miti_training.web.manage.programmes import unchangeable_redirect
from miti_training.web.refusals import REFUSED, attempt, check_action_form

COORDINATOR = MembershipRole.COORDINATOR


def _choice_name(programme: Programme) -> str:
    """“Title — Centre, dates”: enough to tell editions and centres apart in the list."""
    dates = programme_dates(programme.starts_on, programme.ends_on)
    where = translated(programme.centre).name
    return f"{programme_text(programme).title} — {where}" + (f", {dates}" if dates else "")


def _page(centre, programme_id: int):
    return redirect(
        url_for(
            "manage.programme_prerequisites", centre_slug=centre.slug, programme_id=programme_id
        )
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/prerequisites", methods=["GET", "POST"])
@centre_role_required(COORDINATOR)
def programme_prerequisites(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    can_change = editing.can_edit(current_user, programme)
    form = PrerequisiteForm()
    form.set_choices(requiring.choices(programme) if can_change else [], _choice_name)
    if form.is_submitted():
        back = unchangeable_redirect(centre, programme)
        if back is not None:
            return back
    if form.validate_on_submit():
        required = db.session.get(Programme, form.required.data)
        added = attempt(form, lambda: requiring.add(programme, required, actor=current_user))
        if added is not REFUSED:
            flash(
                _(
                    "Applicants now need to have completed “%(title)s” first.",
                    title=programme_text(required).title,
                ),
                "success",
            )
            return _page(centre, programme.id)
    return render_template(
        "manage/prerequisites.html",
        centre=centre,
        programme=programme,
        required=required_programmes(programme),
        can_change=can_change,
        form=form,
        name_of=_choice_name,
    )


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/prerequisites/<int:required_id>/remove",
    methods=["POST"],
)
@centre_role_required(COORDINATOR)
def remove_prerequisite(centre, programme_id: int, required_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    back = unchangeable_redirect(centre, programme)
    if back is not None:
        return back
    check_action_form()
    removed = attempt(None, lambda: requiring.remove(programme, required_id, actor=current_user))
    if removed is not REFUSED:
        flash(
            _(
                "“%(title)s” is no longer required.",
                title=programme_text(removed).title,
            ),
            "success",
        )
    return _page(centre, programme.id)
