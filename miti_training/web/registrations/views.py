"""Participant registration pages: register, see, change and withdraw; the calendar feed."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from miti_training import formatting
from miti_training.accounts import calendar_feed as feed
from miti_training.attendance import certificates
from miti_training.errors import AlreadyRegistered, DomainError, FieldError
from miti_training.extensions import db, limiter
from miti_training.models import (
    Programme,
    QuestionKind,
    Registration,
    RegistrationStatus,
)
from miti_training.programmes import catalogue
from miti_training.registrations import decisions, enrolment, states
from miti_training.registrations.answers import answer_key
from miti_training.urls import external_url
from miti_training.web.auth.limits import account_key
from miti_training.web.registrations.blueprint import bp
from miti_training.web.registrations.forms import ConfirmForm, registration_form_class
from miti_training.web.templating import registration_status, registration_status_badge

#: Registrations and calendar-link changes one account may send (anti-automation); the
#: setting REGISTRATION_RATE_LIMIT overrides it.
DEFAULT_RATE_LIMIT = "20 per minute; 200 per hour"


per_account = limiter.limit(
    lambda: current_app.config.get("REGISTRATION_RATE_LIMIT", DEFAULT_RATE_LIMIT),
    methods=["POST"],
    key_func=lambda: account_key("registrations"),
)


def outcome_message(registration: Registration, title: str) -> str:
    """What happened to a new registration, in words."""
    if registration.status == RegistrationStatus.CONFIRMED:
        return _("You are registered for “%(title)s”. Your seat is confirmed.", title=title)
    if registration.status == RegistrationStatus.WAITLISTED:
        return _(
            "“%(title)s” is full: you are on the waiting list at position %(position)d. "
            "If a seat becomes free, it is offered to the first person on the list.",
            title=title,
            position=registration.waitlist_position or 0,
        )
    return _(
        "Your application for “%(title)s” has been received. The centre will review it and "
        "let you know by email.",
        title=title,
    )


# Loading -------------------------------------------------------------------------------------


def _programme_or_404(slug: str) -> Programme:
    """A programme the public may see (drafts and impossible slugs are 404)."""
    return catalogue.programme_by_slug(slug) or abort(404)


def _own_registration_or_404(registration_id: int) -> Registration:
    """The current user's registration; anyone else's id is 404, as if it did not exist."""
    registration = db.session.scalar(
        select(Registration)
        .where(Registration.id == registration_id, Registration.user_id == current_user.id)
        .options(
            selectinload(Registration.programme).selectinload(Programme.centre),
            selectinload(Registration.programme).selectinload(Programme.sessions),
            selectinload(Registration.programme).selectinload(Programme.questions),
            selectinload(Registration.programme).selectinload(Programme.translations),
        )
    )
    if registration is None:
        abort(404)
    return registration


def _show_field_error(form, error: FieldError) -> None:
    """A refusal of the service next to its field, or flashed when the form has no such field."""
    if error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error.message)]
    else:
        flash(str(error.message), "error")


def _existing_registration(programme: Programme) -> Registration | None:
    return db.session.scalar(
        select(Registration).where(
            Registration.programme_id == programme.id, Registration.user_id == current_user.id
        )
    )


def _viewer_zone(programme: Programme) -> str | None:
    """The participant's own zone, when it shows the sessions at other times than the centre's."""
    zone = current_user.timezone
    if formatting.zones_differ(programme.sessions, programme.centre.timezone, zone):
        return zone
    return None


def _registration_link(registration: Registration) -> Markup:
    return Markup('<a href="{url}">{text}</a>').format(
        url=url_for("registrations.detail", registration_id=registration.id),
        text=_("See your registration"),
    )


def _to_existing(registration: Registration, message: str):
    """Flash message with a link to the registration, and go there."""
    flash(
        Markup("{message} {link}").format(message=message, link=_registration_link(registration)),
        "info",
    )
    return redirect(url_for("registrations.detail", registration_id=registration.id))


# Register -----------------------------------------------------------------------------------


@bp.route("/programmes/<slug>/register", methods=["GET", "POST"])
@login_required
@per_account
def register(slug: str):
    programme = _programme_or_404(slug)
    title = formatting.programme_text(programme).title
    back = url_for("catalogue.programme_detail", slug=programme.slug)
    existing = _existing_registration(programme)
    if existing is not None and existing.status != RegistrationStatus.WITHDRAWN:
        # Withdrawn participants may register again; anyone else has their registration.
        return _to_existing(
            existing, _("You already have a registration for “%(title)s”.", title=title)
        )

    form_class = registration_form_class(programme)
    # The catalogue's button posts here without the form's fields: that asks for the form.
    filled_in = request.method == "POST" and "submitted" in request.form
    form = form_class() if filled_in else form_class(formdata=None)
    if filled_in and form.validate():
        try:
            registration = enrolment.register(
                programme,
                current_user,
                answers=form.answers(),
                motivation=form.motivation.data or "",
                accessibility_needs=form.accessibility_needs.data or "",
                dietary_needs=form.dietary_needs.data or "",
                consent_data=bool(form.consent_data.data),
                consent_listing=bool(form.consent_listing.data),
            )
        except FieldError as error:
            db.session.rollback()
            _show_field_error(form, error)
        except AlreadyRegistered as error:
            db.session.rollback()
            existing = error.registration or _existing_registration(programme)
            if existing is None:
                flash(str(error.message), "error")
                return redirect(back)
            return _to_existing(existing, str(error.message))
        except DomainError as error:
            # Closed, full without a waiting list, email not confirmed, account deactivated.
            db.session.rollback()
            flash(str(error.message), "error")
            return redirect(back)
        else:
            db.session.commit()
            flash(outcome_message(registration, title), "success")
            return redirect(url_for("registrations.detail", registration_id=registration.id))
    else:
        # Only a shortcut: the service decides when the form is sent.
        try:
            enrolment.check_can_register(programme, current_user)
        except DomainError as error:
            flash(str(error.message), "error")
            return redirect(back)
    return render_template(
        "registrations/register.html",
        programme=programme,
        text=formatting.programme_text(programme),
        status=registration_status(programme),
        form=form,
        user=current_user,
    )


# The participant's own registrations ---------------------------------------------------------


@bp.route("/my/registrations")
@login_required
def mine():
    registrations = list(
        db.session.scalars(
            select(Registration)
            .join(Registration.programme)
            .where(Registration.user_id == current_user.id)
            .options(
                selectinload(Registration.programme).selectinload(Programme.centre),
                selectinload(Registration.programme).selectinload(Programme.sessions),
                selectinload(Registration.programme).selectinload(Programme.translations),
            )
            .order_by(Programme.starts_on.desc(), Programme.id.desc())
        )
    )
    token = current_user.calendar_token
    return render_template(
        "registrations/mine.html",
        registrations=registrations,
        issued_certificates=certificates.valid_certificates(registrations),
        user_zone=current_user.timezone,
        feed_url=external_url("registrations.calendar_feed", token=token) if token else None,
        form=ConfirmForm(),
    )


@bp.route("/my/registrations/<int:registration_id>")
@login_required
def detail(registration_id: int):
    registration = _own_registration_or_404(registration_id)
    programme = registration.programme
    actions = states.participant_actions(registration)
    return render_template(
        "registrations/detail.html",
        registration=registration,
        programme=programme,
        text=formatting.programme_text(programme),
        badge=registration_status_badge(registration.status),
        answers=_answer_rows(registration),
        viewer_zone=_viewer_zone(programme),
        user_zone=current_user.timezone,
        can_edit="edit" in actions,
        can_withdraw="withdraw" in actions,
        certificate=certificates.valid_certificate(registration),
    )


def _answer_rows(registration: Registration) -> list[tuple[str, str]]:
    """(question, answer in words) for each current question of the programme."""
    rows = []
    answers = registration.answers or {}
    for question in registration.programme.questions:
        value = _stored_answer(answers, question)
        if question.kind == QuestionKind.YES_NO:
            text = {True: _("Yes"), False: _("No"), "yes": _("Yes"), "no": _("No")}.get(value, "")
        elif isinstance(value, list | tuple):
            text = ", ".join(str(v) for v in value)
        else:
            text = "" if value is None else str(value)
        rows.append((question.label, text))
    return rows


def _stored_answer(answers: dict, question):
    """An answer as stored, whether keyed by question id or by form field name."""
    for key in (str(question.id), answer_key(question)):
        if key in answers:
            return answers[key]
    return None


def _form_data_from(registration: Registration) -> dict:
    """The registration's current values, as the edit form's initial data."""
    data = {
        "motivation": registration.motivation,
        "accessibility_needs": registration.accessibility_needs,
        "dietary_needs": registration.dietary_needs,
        "consent_listing": registration.consent_listing_at is not None,
    }
    answers = registration.answers or {}
    for question in registration.programme.questions:
        value = _stored_answer(answers, question)
        if question.kind == QuestionKind.YES_NO and isinstance(value, bool):
            value = "yes" if value else "no"
        data[answer_key(question)] = value
    return data


@bp.route("/my/registrations/<int:registration_id>/edit", methods=["GET", "POST"])
@login_required
def edit(registration_id: int):
    registration = _own_registration_or_404(registration_id)
    programme = registration.programme
    detail_url = url_for("registrations.detail", registration_id=registration.id)
    if "edit" not in states.participant_actions(registration):
        flash(_("The answers of this registration can no longer be changed."), "error")
        return redirect(detail_url)
    form_class = registration_form_class(programme, editing=True)
    form = form_class(data=_form_data_from(registration))
    if form.validate_on_submit():
        try:
            enrolment.update_answers(
                registration,
                current_user,
                answers=form.answers(),
                motivation=form.motivation.data or "",
                accessibility_needs=form.accessibility_needs.data or "",
                dietary_needs=form.dietary_needs.data or "",
                consent_listing=bool(form.consent_listing.data),
            )
        except FieldError as error:
            db.session.rollback()
            _show_field_error(form, error)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
            return redirect(detail_url)
        else:
            db.session.commit()
            flash(_("Your answers have been saved."), "success")
            return redirect(detail_url)
    return render_template(
        "registrations/edit.html",
        registration=registration,
        programme=programme,
        text=formatting.programme_text(programme),
        form=form,
    )


@bp.route("/my/registrations/<int:registration_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(registration_id: int):
    registration = _own_registration_or_404(registration_id)
    programme = registration.programme
    title = formatting.programme_text(programme).title
    detail_url = url_for("registrations.detail", registration_id=registration.id)
    if "withdraw" not in states.participant_actions(registration):
        flash(_("This registration cannot be withdrawn."), "error")
        return redirect(detail_url)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            decisions.withdraw(registration, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("You have withdrawn from “%(title)s”.", title=title), "success")
        return redirect(detail_url)
    return render_template(
        "registrations/withdraw.html",
        registration=registration,
        programme=programme,
        text=formatting.programme_text(programme),
        badge=registration_status_badge(registration.status),
        form=form,
    )


# Personal calendar feed ----------------------------------------------------------------------


@bp.route("/my/calendar-link", methods=["POST"])
@login_required
@per_account
def calendar_token_create():
    form = ConfirmForm()
    if form.validate_on_submit():
        if current_user.calendar_token:
            flash(_("You already have a calendar link: it is shown below."), "info")
        else:
            feed.new_calendar_token(current_user)
            db.session.commit()
            flash(
                _("Your calendar link is ready. Add it to your calendar app as a subscription."),
                "success",
            )
    return redirect(url_for("registrations.mine") + "#calendar-feed")


@bp.route("/my/calendar-link/revoke", methods=["POST"])
@login_required
@per_account
def calendar_token_revoke():
    form = ConfirmForm()
    if form.validate_on_submit():
        feed.new_calendar_token(current_user)
        db.session.commit()
        flash(
            _(
                "The old calendar link no longer works. Here is a new one: replace the old "
                "subscription in your calendar app."
            ),
            "success",
        )
    return redirect(url_for("registrations.mine") + "#calendar-feed")


@bp.route("/calendar/<token>.ics")
def calendar_feed(token: str):
    user = feed.user_for_token(token)
    if user is None:
        abort(404)
    with force_locale(user.preferred_language or "en"):
        name = _("MITI Training: %(name)s", name=user.full_name)
    body = feed.personal_calendar(user, name=name)
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="miti-training.ics"'
    # The URL is a secret: no shared cache may keep the personal schedule.
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
