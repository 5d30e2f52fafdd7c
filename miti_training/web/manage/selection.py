"""The coordinators' selection page: the ranked applications with their balance indicators, a
proposed balanced group they adjust, and confirming it in one action (the rules are in
selection.ranking, selection.proposal and selection.confirming)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from miti_training.formatting import labels
from miti_training.forms.selection import PlacesForm, SelectionForm
from miti_training.models import MembershipRole, WorldRegion
from miti_training.network import reviewers
from miti_training.permissions import centre_role_required
from miti_training.selection import confirming, proposal, ranking, rubric
from miti_training.selection.confirming import Others
from miti_training.selection.scoring import is_scored
from miti_training.web.loaders import programme_in_centre_or_404
from miti_training.web.manage.blueprint import bp
from miti_training.web.refusals import REFUSED, attempt

COORDINATOR = MembershipRole.COORDINATOR
#: The most places a proposal fills (more than any programme's capacity).
MAX_PLACES = 10_000


def _render(centre, programme, form: SelectionForm, places: int, *, adjusted=None, status=200):
    ranked = ranking.ranked_applications(programme)
    caps = proposal.caps_of(programme)
    choices = proposal.propose(ranked, places, caps)
    form.set_applicants(r.registration.id for r in ranked)
    ticked = (
        set(adjusted)
        if adjusted is not None
        else {c.ranked.registration.id for c in choices if c.taken}
    )
    return (
        render_template(
            "manage/selection.html",
            centre=centre,
            programme=programme,
            choices=choices,
            ticked=ticked,
            caps=caps,
            places=places,
            seats_left=proposal.seats_left(programme),
            places_form=PlacesForm(formdata=None, data={"places": places}),
            form=form,
            region_labels=labels(WorldRegion),
            has_rubric=bool(rubric.criteria(programme)),
            is_scored=is_scored(programme),
            reviewer_count=reviewers.reviewer_count(centre),
            may_name_reviewers=reviewers.may_name_reviewers(current_user, centre),
        ),
        status,
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/selection")
@centre_role_required(COORDINATOR)
def programme_selection(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    places_form = PlacesForm(request.args)
    places = proposal.seats_left(programme)
    if places_form.validate() and places_form.places.data is not None:
        places = min(places_form.places.data, MAX_PLACES)
    # Without a waiting list the others can only be declined: say so from the start.
    others = Others.WAITLIST if programme.is_waitlist_enabled else Others.DECLINE
    return _render(centre, programme, SelectionForm(data={"others": others.value}), places)


@bp.route("/<centre_slug>/programmes/<int:programme_id>/selection", methods=["POST"])
@centre_role_required(COORDINATOR)
def confirm_selection(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    form = SelectionForm()
    form.set_applicants(r.registration.id for r in ranking.ranked_applications(programme))
    places = proposal.seats_left(programme)
    if not form.validate_on_submit():
        flash(_("The selection was not confirmed: look at the highlighted fields."), "error")
        ticked = [int(v) for v in form.chosen.data or () if str(v).isdigit()]
        return _render(centre, programme, form, places, adjusted=ticked, status=422)
    chosen = form.chosen_ids()
    decided = attempt(
        form,
        lambda: confirming.confirm_selection(
            programme,
            chosen,
            others=Others(form.others.data),
            reason=form.reason.data or "",
            actor=current_user,
        ),
    )
    if decided is REFUSED:
        return _render(centre, programme, form, places, adjusted=chosen, status=422)
    others = len(decided) - len(chosen)
    flash(
        ngettext(
            "%(num)d applicant is confirmed.", "%(num)d applicants are confirmed.", len(chosen)
        )
        + " "
        + (
            ngettext(
                "%(num)d other is on the waiting list.",
                "%(num)d others are on the waiting list.",
                others,
            )
            if form.others.data == Others.WAITLIST
            else ngettext("%(num)d other is declined.", "%(num)d others are declined.", others)
        ),
        "success",
    )
    return redirect(
        url_for(
            "manage.programme_registrations", centre_slug=centre.slug, programme_id=programme.id
        )
    )
