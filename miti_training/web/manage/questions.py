"""The director's form builder for a programme's custom questions.

Only the centre's director (or an admin) may change the registration form; coordinators get
403. Questions are loaded by id *and* programme, the programme by id *and* centre, so any id
of another programme or centre is a 404. The rules live in registrations.questions.
"""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from miti_training.formatting import LANGUAGES, labels
from miti_training.forms.common import ActionForm
from miti_training.forms.questions import MoveQuestionForm, QuestionForm
from miti_training.models import MembershipRole, QuestionKind
from miti_training.permissions import centre_role_required
from miti_training.registrations import questions as question_service
from miti_training.web.loaders import programme_in_centre_or_404, question_of_programme_or_404
from miti_training.web.manage.blueprint import bp
from miti_training.web.refusals import REFUSED, attempt, check_action_form

DIRECTOR = MembershipRole.DIRECTOR


def _to_list(programme):
    return redirect(
        url_for(
            "manage.programme_questions",
            centre_slug=programme.centre.slug,
            programme_id=programme.id,
        )
    )


def _changeable(centre, programme_id: int, question_id: int | None = None):
    """(programme, question or None, None) while the programme's form may change; a final
    programme keeps its form as it is: (programme, question, back to the list with a note)."""
    programme = programme_in_centre_or_404(centre, programme_id)
    question = None if question_id is None else question_of_programme_or_404(programme, question_id)
    if not question_service.form_is_final(programme):
        return programme, question, None
    flash(
        _("The questions of a cancelled or completed programme can no longer be changed."), "info"
    )
    return programme, question, _to_list(programme)


def _render_question(template: str, centre, programme, question, form):
    """The page of question (None: a new one) with its form and the answers it has."""
    answers = 0
    if question is not None:
        answers = question_service.answer_counts(programme).get(question.id, 0)
    return render_template(
        template,
        centre=centre,
        programme=programme,
        question=question,
        form=form,
        answers=answers,
        translation_languages=[code for code in LANGUAGES if code != programme.original_language],
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/questions")
@centre_role_required(DIRECTOR)
def programme_questions(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    return render_template(
        "manage/questions.html",
        centre=centre,
        programme=programme,
        questions=programme.questions,
        answer_counts=question_service.answer_counts(programme),
        kind_labels=labels(QuestionKind),
        can_change=not question_service.form_is_final(programme),
        action_form=ActionForm(),
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/questions/new", methods=["GET", "POST"])
@centre_role_required(DIRECTOR)
def add_question(centre, programme_id: int):
    programme, _question, back = _changeable(centre, programme_id)
    if back is not None:
        return back
    form = QuestionForm(data={"kind": "short_text"})
    if form.validate_on_submit():
        question = attempt(
            form,
            lambda: question_service.add_question(
                programme, form.values(programme.original_language), actor=current_user
            ),
        )
        if question is not REFUSED:
            flash(
                _(
                    "The question “%(label)s” has been added at position %(position)d.",
                    label=question.label,
                    position=question.position,
                ),
                "success",
            )
            return _to_list(programme)
    return _render_question("manage/question_form.html", centre, programme, None, form)


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/questions/<int:question_id>/edit",
    methods=["GET", "POST"],
)
@centre_role_required(DIRECTOR)
def edit_question(centre, programme_id: int, question_id: int):
    programme, question, back = _changeable(centre, programme_id, question_id)
    if back is not None:
        return back
    form = QuestionForm(data=QuestionForm.initial_data(question))
    if form.validate_on_submit():
        changed = attempt(
            form,
            lambda: question_service.update_question(
                question, form.values(programme.original_language), actor=current_user
            ),
        )
        if changed is not REFUSED:
            if changed:
                flash(
                    _("The question “%(label)s” has been saved.", label=question.label), "success"
                )
            else:
                flash(_("Nothing to save: no value was changed."), "info")
            return _to_list(programme)
    return _render_question("manage/question_form.html", centre, programme, question, form)


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/questions/<int:question_id>/delete",
    methods=["GET", "POST"],
)
@centre_role_required(DIRECTOR)
def delete_question(centre, programme_id: int, question_id: int):
    programme, question, back = _changeable(centre, programme_id, question_id)
    if back is not None:
        return back
    form = ActionForm()
    if form.validate_on_submit():
        label = question.label
        deleted = attempt(
            None, lambda: question_service.delete_question(question, actor=current_user)
        )
        if deleted is REFUSED:
            return _to_list(programme)
        if deleted:
            message = ngettext(
                "The question “%(label)s” and %(num)d answer to it have been deleted.",
                "The question “%(label)s” and %(num)d answers to it have been deleted.",
                deleted,
                label=label,
            )
        else:
            message = _("The question “%(label)s” has been deleted.", label=label)
        flash(message, "success")
        return _to_list(programme)
    return _render_question("manage/question_delete.html", centre, programme, question, form)


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/questions/<int:question_id>/move",
    methods=["POST"],
)
@centre_role_required(DIRECTOR)
def move_question(centre, programme_id: int, question_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    question = question_of_programme_or_404(programme, question_id)
    form = check_action_form(MoveQuestionForm())
    moved = attempt(
        None,
        lambda: question_service.move_question(question, form.direction.data, actor=current_user),
    )
    if moved is REFUSED:
        return _to_list(programme)
    if moved:
        flash(
            _(
                "“%(label)s” is now question %(position)d.",
                label=question.label,
                position=question.position,
            ),
            "success",
        )
    elif form.direction.data == "up":
        flash(_("“%(label)s” is already the first question.", label=question.label), "info")
    else:
        flash(_("“%(label)s” is already the last question.", label=question.label), "info")
    return _to_list(programme)
