"""Coordinator pages for one registration: its details and history, and the decisions on it.

Registrations are loaded by id *and* centre, so an id of another centre is a 404. Every
decision goes through the registrations package; a status never comes from a form: the action
is the address posted to.
"""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from miti_training.formatting import labels
from miti_training.forms.common import ActionForm
from miti_training.forms.review import DeclineForm, MoveOnWaitlistForm
from miti_training.models import (
    AttendanceStatus,
    MembershipRole,
    Registration,
    RegistrationStatus,
)
from miti_training.permissions import centre_role_required
from miti_training.registrations import decisions, queries, states
from miti_training.registrations.answers import answer_key
from miti_training.training_record.history import record_of
from miti_training.web.loaders import registration_in_centre_or_404, to_registration_page
from miti_training.web.manage.blueprint import bp
from miti_training.web.manage.registrations import announce_promotions, participant_name
from miti_training.web.refusals import REFUSED, attempt, check_action_form

COORDINATOR = MembershipRole.COORDINATOR


def _status_sentence(registration: Registration) -> str:
    """Where a registration stands now, as a sentence about the participant."""
    name = participant_name(registration)
    status = registration.status
    if status == RegistrationStatus.CONFIRMED:
        return _("%(name)s is confirmed.", name=name)
    if status == RegistrationStatus.WAITLISTED:
        if registration.waitlist_position:
            return _(
                "%(name)s is on the waiting list at position %(position)d.",
                name=name,
                position=registration.waitlist_position,
            )
        return _("%(name)s is on the waiting list.", name=name)
    if status == RegistrationStatus.APPLIED:
        return _("%(name)s has applied; the application waits for review.", name=name)
    if status == RegistrationStatus.DECLINED:
        return _("The registration of %(name)s is declined.", name=name)
    if status == RegistrationStatus.WITHDRAWN:
        return _("The registration of %(name)s is withdrawn.", name=name)
    return _("The registration of %(name)s is cancelled.", name=name)


def _render_detail(centre, registration, *, decline_form=None, move_form=None, status=200):
    programme = registration.programme
    answers = registration.answers or {}
    answered = [(question, answers.get(answer_key(question))) for question in programme.questions]
    return (
        render_template(
            "manage/registration.html",
            centre=centre,
            programme=programme,
            registration=registration,
            name=participant_name(registration),
            answered=answered,
            history=queries.registration_history(registration),
            # The applicant's other registrations, in every centre: their previous training.
            previous=(
                record_of(registration.user, leave_out=registration)
                if registration.user is not None
                else []
            ),
            actions=states.staff_actions(registration),
            action_form=ActionForm(),
            decline_form=decline_form or DeclineForm(),
            move_form=move_form
            or MoveOnWaitlistForm(data={"position": registration.waitlist_position or 1}),
            # The history also shows attendance changes (present, absent, excused).
            status_labels=labels(RegistrationStatus) | labels(AttendanceStatus),
        ),
        status,
    )


def _decided(centre, registration: Registration, decide, message=None):
    """Run decide(); on success commit, say where the registration stands (or message) and who
    took a freed seat, then go on: a decided application leads to the programme's next one."""
    was_pending = registration.status == RegistrationStatus.APPLIED
    outcome = attempt(None, decide)
    if outcome is REFUSED:
        return to_registration_page(registration)
    flash(message or _status_sentence(registration), "success")
    announce_promotions(getattr(outcome, "promoted", ()))
    if not was_pending:
        return to_registration_page(registration)
    programme = registration.programme
    following = queries.next_pending(programme)
    if following is None:
        flash(_("No application of this programme is left to review."), "info")
        return redirect(
            url_for(
                "manage.programme_registrations",
                centre_slug=centre.slug,
                programme_id=programme.id,
            )
        )
    flash(
        _("Next application to review: %(name)s.", name=participant_name(following)),
        "info",
    )
    return to_registration_page(following)


@bp.route("/<centre_slug>/registrations/<int:registration_id>")
@centre_role_required(COORDINATOR)
def registration_detail(centre, registration_id: int):
    return _render_detail(centre, registration_in_centre_or_404(centre, registration_id))


def _decide(centre, registration_id: int, decision):
    registration = registration_in_centre_or_404(centre, registration_id)
    check_action_form()
    return _decided(centre, registration, lambda: decision(registration, actor=current_user))


@bp.route("/<centre_slug>/registrations/<int:registration_id>/confirm", methods=["POST"])
@centre_role_required(COORDINATOR)
def confirm_registration(centre, registration_id: int):
    return _decide(centre, registration_id, decisions.confirm)


@bp.route("/<centre_slug>/registrations/<int:registration_id>/waitlist", methods=["POST"])
@centre_role_required(COORDINATOR)
def waitlist_registration(centre, registration_id: int):
    return _decide(centre, registration_id, decisions.waitlist)


@bp.route("/<centre_slug>/registrations/<int:registration_id>/reinstate", methods=["POST"])
@centre_role_required(COORDINATOR)
def reinstate_registration(centre, registration_id: int):
    return _decide(centre, registration_id, decisions.reinstate)


@bp.route("/<centre_slug>/registrations/<int:registration_id>/decline", methods=["POST"])
@centre_role_required(COORDINATOR)
def decline_registration(centre, registration_id: int):
    registration = registration_in_centre_or_404(centre, registration_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _render_detail(centre, registration, decline_form=form, status=422)
    reason = form.reason.data or ""
    name = participant_name(registration)
    if registration.status == RegistrationStatus.CONFIRMED:
        if reason:
            message = _(
                "The registration of %(name)s is cancelled; your reason was sent with the email.",
                name=name,
            )
        else:
            message = _("The registration of %(name)s is cancelled.", name=name)
    elif reason:
        message = _(
            "The registration of %(name)s is declined; your reason was sent with the email.",
            name=name,
        )
    else:
        message = None
    return _decided(
        centre,
        registration,
        lambda: decisions.decline(registration, actor=current_user, reason=reason),
        message,
    )


@bp.route("/<centre_slug>/registrations/<int:registration_id>/move", methods=["POST"])
@centre_role_required(COORDINATOR)
def move_registration(centre, registration_id: int):
    registration = registration_in_centre_or_404(centre, registration_id)
    form = MoveOnWaitlistForm()
    if not form.validate_on_submit():
        return _render_detail(centre, registration, move_form=form, status=422)
    return _decided(
        centre,
        registration,
        lambda: decisions.move_on_waitlist(registration, form.position.data, actor=current_user),
    )
