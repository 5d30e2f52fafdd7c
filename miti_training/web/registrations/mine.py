"""Participants: their own registrations, to see, change and withdraw.

Another person's registration id is a 404, as if it did not exist.
"""

from flask import flash, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from miti_training import formatting
from miti_training.albums import consent as photo_consent
from miti_training.attendance import certificates
from miti_training.errors import DomainError, FieldError
from miti_training.extensions import db
from miti_training.forms.common import ActionForm
from miti_training.forms.registration import registration_form_class
from miti_training.models import (
    ACTIVE_STATUSES,
    Programme,
    ProgrammeStatus,
    QuestionKind,
    Registration,
)
from miti_training.programmes.calendar_links import calendar_links
from miti_training.registrations import decisions, enrolment, queries, states, window
from miti_training.registrations.answers import stored_answer
from miti_training.urls import external_url
from miti_training.web.loaders import own_registration_or_404, to_own_registration
from miti_training.web.refusals import REFUSED, attempt, show_refusal
from miti_training.web.registrations.blueprint import bp
from miti_training.web.templating import registration_status_badge


def _viewer_zone(programme: Programme) -> str | None:
    """The participant's own zone, when it shows the sessions at other times than the centre's."""
    zone = current_user.timezone
    if formatting.zones_differ(programme.sessions, programme.centre.timezone, zone):
        return zone
    return None


def _answer_rows(registration: Registration) -> list[tuple[str, str]]:
    """(question, answer in words) for each current question of the programme."""
    rows = []
    answers = registration.answers or {}
    for question in registration.programme.questions:
        value = stored_answer(answers, question)
        if question.kind == QuestionKind.YES_NO:
            text = {True: _("Yes"), False: _("No"), "yes": _("Yes"), "no": _("No")}.get(value, "")
        elif isinstance(value, list | tuple):
            text = ", ".join(str(v) for v in value)
        else:
            text = "" if value is None else str(value)
        rows.append((question.label, text))
    return rows


def _render(template: str, registration: Registration, **context):
    """A page of the participant's registration, with its programme and the programme's text."""
    programme = registration.programme
    return render_template(
        template,
        registration=registration,
        programme=programme,
        text=formatting.programme_text(programme),
        **context,
    )


def _calendar_links(registrations) -> dict:
    """Google and Outlook links, by registration id, for programmes the participant may attend."""
    links = {}
    for registration in registrations:
        programme = registration.programme
        if registration.status in ACTIVE_STATUSES and programme.status == ProgrammeStatus.PUBLISHED:
            links[registration.id] = calendar_links(
                programme,
                text=formatting.programme_text(programme),
                url=external_url("catalogue.programme_detail", slug=programme.slug),
            )
    return links


@bp.route("/my/registrations")
@login_required
def mine():
    registrations = queries.registrations_of_user(current_user)
    token = current_user.calendar_token
    return render_template(
        "registrations/mine.html",
        registrations=registrations,
        calendar=_calendar_links(registrations),
        issued_certificates=certificates.valid_certificates(registrations),
        user_zone=current_user.timezone,
        feed_url=external_url("registrations.calendar_feed", token=token) if token else None,
        form=ActionForm(),
    )


@bp.route("/my/registrations/<int:registration_id>")
@login_required
def detail(registration_id: int):
    registration = own_registration_or_404(registration_id)
    actions = states.participant_actions(registration)
    return _render(
        "registrations/detail.html",
        registration,
        badge=registration_status_badge(registration.status),
        answers=_answer_rows(registration),
        viewer_zone=_viewer_zone(registration.programme),
        user_zone=current_user.timezone,
        can_edit="edit" in actions,
        # With a seat offered, declining the offer is how they give it up.
        can_withdraw="withdraw" in actions and "decline_offer" not in actions,
        can_accept="accept" in actions,
        can_decline_offer="decline_offer" in actions,
        can_give_photo_consent=photo_consent.may_give_photo_consent(registration),
        form=ActionForm(),
        certificate=certificates.valid_certificate(registration),
    )


@bp.route("/my/registrations/<int:registration_id>/edit", methods=["GET", "POST"])
@login_required
def edit(registration_id: int):
    registration = own_registration_or_404(registration_id)
    programme = registration.programme
    if "edit" not in states.participant_actions(registration):
        flash(_("The answers of this registration can no longer be changed."), "error")
        return to_own_registration(registration)
    form_class = registration_form_class(programme, editing=True)
    form = form_class(data=form_class.initial_data(registration))
    if form.validate_on_submit():
        try:
            enrolment.update_answers(registration, current_user, **form.details())
        except FieldError as error:
            show_refusal(form, error)
        except DomainError as error:
            show_refusal(None, error)
            return to_own_registration(registration)
        else:
            db.session.commit()
            flash(_("Your answers have been saved."), "success")
            return to_own_registration(registration)
    return _render("registrations/edit.html", registration, form=form)


@bp.route("/my/registrations/<int:registration_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(registration_id: int):
    registration = own_registration_or_404(registration_id)
    programme = registration.programme
    title = formatting.programme_text(programme).title
    if "withdraw" not in states.participant_actions(registration):
        flash(_("This registration cannot be withdrawn."), "error")
        return to_own_registration(registration)
    form = ActionForm()
    if form.validate_on_submit():
        withdrawn = attempt(None, lambda: decisions.withdraw(registration, actor=current_user))
        if withdrawn is not REFUSED:
            flash(_("You have withdrawn from “%(title)s”.", title=title), "success")
        return to_own_registration(registration)
    return _render(
        "registrations/withdraw.html",
        registration,
        badge=registration_status_badge(registration.status),
        form=form,
        registration_open=window.is_window_open(programme),
    )
