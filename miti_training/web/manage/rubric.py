"""The rubric of a programme: its coordinators and directors add, edit, reorder and delete
criteria until scoring starts (the rules are in selection.rubric)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from miti_training.forms.common import ActionForm
from miti_training.forms.questions import MoveQuestionForm
from miti_training.forms.selection import CriterionForm
from miti_training.models import MembershipRole
from miti_training.permissions import centre_role_required
from miti_training.selection import rubric
from miti_training.web.loaders import criterion_of_programme_or_404, programme_in_centre_or_404
from miti_training.web.manage.blueprint import bp
from miti_training.web.refusals import REFUSED, attempt, check_action_form

COORDINATOR = MembershipRole.COORDINATOR


def _to_rubric(programme):
    return redirect(
        url_for(
            "manage.programme_rubric", centre_slug=programme.centre.slug, programme_id=programme.id
        )
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/rubric")
@centre_role_required(COORDINATOR)
def programme_rubric(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    criteria = rubric.criteria(programme)
    return render_template(
        "manage/rubric.html",
        centre=centre,
        programme=programme,
        criteria=criteria,
        total_weight=sum(c.weight for c in criteria),
        can_change=not rubric.scoring_started(programme),
        action_form=ActionForm(),
    )


def _render_form(centre, programme, criterion, form, status=200):
    return (
        render_template(
            "manage/criterion_form.html",
            centre=centre,
            programme=programme,
            criterion=criterion,
            form=form,
        ),
        status,
    )


def _refused_when_started(programme):
    if rubric.scoring_started(programme):
        flash(
            _(
                "Scoring has started: the rubric can no longer change, so that every sheet "
                "means the same."
            ),
            "error",
        )
        return _to_rubric(programme)
    return None


@bp.route("/<centre_slug>/programmes/<int:programme_id>/rubric/new", methods=["GET", "POST"])
@centre_role_required(COORDINATOR)
def add_criterion(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    refused = _refused_when_started(programme)
    if refused is not None:
        return refused
    form = CriterionForm()
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: rubric.add_criterion(programme, actor=current_user, **form.values()),
        )
        if done is not REFUSED:
            flash(_("The criterion “%(name)s” is added.", name=done.name), "success")
            return _to_rubric(programme)
    return _render_form(centre, programme, None, form, 422 if form.is_submitted() else 200)


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/rubric/<int:criterion_id>/edit",
    methods=["GET", "POST"],
)
@centre_role_required(COORDINATOR)
def edit_criterion(centre, programme_id: int, criterion_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    criterion = criterion_of_programme_or_404(programme, criterion_id)
    refused = _refused_when_started(programme)
    if refused is not None:
        return refused
    form = CriterionForm(obj=criterion)
    if form.validate_on_submit():
        done = attempt(
            form,
            lambda: rubric.edit_criterion(criterion, actor=current_user, **form.values()),
        )
        if done is not REFUSED:
            flash(_("The criterion “%(name)s” is saved.", name=done.name), "success")
            return _to_rubric(programme)
    return _render_form(centre, programme, criterion, form, 422 if form.is_submitted() else 200)


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/rubric/<int:criterion_id>/delete",
    methods=["POST"],
)
@centre_role_required(COORDINATOR)
def delete_criterion(centre, programme_id: int, criterion_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    criterion = criterion_of_programme_or_404(programme, criterion_id)
    check_action_form()
    name = criterion.name
    if attempt(None, lambda: rubric.delete_criterion(criterion, actor=current_user)) is not REFUSED:
        flash(_("The criterion “%(name)s” is deleted.", name=name), "success")
    return _to_rubric(programme)


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/rubric/<int:criterion_id>/move",
    methods=["POST"],
)
@centre_role_required(COORDINATOR)
def move_criterion(centre, programme_id: int, criterion_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    criterion = criterion_of_programme_or_404(programme, criterion_id)
    form = check_action_form(MoveQuestionForm())
    moved = attempt(
        None, lambda: rubric.move_criterion(criterion, form.direction.data, actor=current_user)
    )
    if moved is not REFUSED:
        flash(_("The criterion “%(name)s” is moved.", name=criterion.name), "success")
    return _to_rubric(programme)
