"""Reviewers' pages: the programmes of a centre to score, the applications of one, and the score
sheet of one application. Reviewers, coordinators and directors of the centre may use them; a
reviewer sees only what scoring needs (no other page of the centre)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from miti_training.forms.selection import sheet_form
from miti_training.models import MembershipRole
from miti_training.network import centres as centre_admin
from miti_training.permissions import centre_role_required, staff_required
from miti_training.selection import rubric, scoring
from miti_training.selection.access import is_recused
from miti_training.web.loaders import application_of_programme_or_404, programme_in_centre_or_404
from miti_training.web.manage.blueprint import bp
from miti_training.web.refusals import REFUSED, attempt

REVIEWER = MembershipRole.REVIEWER


@bp.route("/scoring")
@staff_required
def scoring_home():
    """The centres whose applications the user may score; with one, its list at once."""
    scored = centre_admin.centres_scored_by(current_user)
    if len(scored) == 1 and not current_user.is_admin:
        return redirect(url_for("manage.scoring_index", centre_slug=scored[0].slug))
    return render_template("manage/scoring_home.html", centres=scored)


@bp.route("/<centre_slug>/scoring")
@centre_role_required(REVIEWER)
def scoring_index(centre):
    return render_template(
        "manage/scoring_index.html",
        centre=centre,
        programmes=scoring.programmes_to_score(centre),
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/scoring")
@centre_role_required(REVIEWER)
def scoring_list(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    return render_template(
        "manage/scoring_list.html",
        centre=centre,
        programme=programme,
        applications=scoring.applications_for(programme, current_user),
        has_rubric=bool(rubric.criteria(programme)),
        states=scoring.SheetState,
    )


def _to_list(programme):
    return redirect(
        url_for("manage.scoring_list", centre_slug=programme.centre.slug, programme_id=programme.id)
    )


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/scoring/<int:registration_id>",
    methods=["GET", "POST"],
)
@centre_role_required(REVIEWER)
def score_sheet(centre, programme_id: int, registration_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    registration = application_of_programme_or_404(programme, registration_id)
    if is_recused(current_user, registration):
        flash(
            _("You are recused from this application: the applicant is from your member city."),
            "error",
        )
        return _to_list(programme)
    criteria = rubric.criteria(programme)
    sheet = scoring.own_sheet(registration, current_user)
    # A posted sheet is read from the post alone: a value left out is not the draft's.
    form = sheet_form(criteria, None if request.method == "POST" else sheet)
    status = 200
    if form.is_submitted() and (sheet is None or sheet.submitted_at is None):
        # Two buttons: keep a draft, or submit (final).
        submit = request.form.get("action") == "submit"
        if form.validate():
            saved = attempt(
                form,
                lambda: scoring.save_sheet(
                    registration,
                    current_user,
                    values=form.values(criteria),
                    comment=form.comment.data or "",
                    submit=submit,
                ),
            )
            if saved is not REFUSED:
                if submit:
                    flash(
                        _("Your sheet is submitted; the other reviewers’ scores are shown."),
                        "success",
                    )
                else:
                    flash(_("Your draft is saved; submit it when you are done."), "success")
                return redirect(
                    url_for(
                        "manage.score_sheet",
                        centre_slug=centre.slug,
                        programme_id=programme.id,
                        registration_id=registration.id,
                    )
                )
        status = 422
    elif form.is_submitted():
        flash(_("Your sheet is already submitted; it can no longer change."), "error")
        status = 422
    others, summary = scoring.visible_sheets(registration, current_user)
    return (
        render_template(
            "manage/score_sheet.html",
            centre=centre,
            programme=programme,
            registration=registration,
            criteria=criteria,
            sheet=sheet,
            form=form,
            others=others,
            summary=summary,
        ),
        status,
    )
