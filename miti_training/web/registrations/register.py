"""Participants: register for a programme."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from miti_training import formatting
from miti_training.errors import AlreadyRegistered, DomainError, FieldError
from miti_training.extensions import db
from miti_training.forms.registration import registration_form_class
from miti_training.models import Registration, RegistrationStatus
from miti_training.registrations import enrolment
from miti_training.registrations.prerequisites import PrerequisitesMissing
from miti_training.web.catalogue_links import programme_links
from miti_training.web.limits import registrations_per_account
from miti_training.web.loaders import public_programme_or_404, to_own_registration
from miti_training.web.refusals import show_refusal
from miti_training.web.registrations.blueprint import bp
from miti_training.web.templating import registration_status


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


def _to_existing(registration: Registration, message: str):
    """Flash message with a link to the registration, and go there."""
    link = Markup('<a href="{url}">{text}</a>').format(
        url=url_for("registrations.detail", registration_id=registration.id),
        text=_("See your registration"),
    )
    flash(Markup("{message} {link}").format(message=message, link=link), "info")
    return to_own_registration(registration)


def _refuse(error: DomainError) -> None:
    """Show why registering was refused; missing prerequisites link to their pages."""
    if not isinstance(error, PrerequisitesMissing):
        show_refusal(None, error)
        return
    db.session.rollback()
    links = programme_links(error.missing)
    if links:
        flash(Markup("{message} {links}").format(message=error.message, links=links), "error")
    else:
        flash(str(error.message), "error")


def _commit_keeping_what_was_written() -> None:
    """Commit without expiring the session's objects: the answer shows the registration as
    this transaction wrote it and the user it was loaded with, so nothing is read again
    after the COMMIT (a busy programme's burst is all such answers)."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


@bp.route("/programmes/<slug>/register", methods=["GET", "POST"])
@login_required
@registrations_per_account
def register(slug: str):
    programme = public_programme_or_404(slug)
    title = formatting.programme_text(programme).title
    back = url_for("catalogue.programme_detail", slug=programme.slug)
    existing = enrolment.existing_registration(programme, current_user)
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
                consent_data=bool(form.consent_data.data),
                consent_photos=bool(form.consent_photos.data),
                existing=existing,
                **form.details(),
            )
        except FieldError as error:
            show_refusal(form, error)
        except AlreadyRegistered as error:
            db.session.rollback()
            existing = error.registration or enrolment.existing_registration(
                programme, current_user
            )
            if existing is None:
                flash(str(error.message), "error")
                return redirect(back)
            return _to_existing(existing, str(error.message))
        except DomainError as error:
            # Closed, full without a waiting list, email not confirmed, account deactivated,
            # a prerequisite not completed.
            _refuse(error)
            return redirect(back)
        else:
            _commit_keeping_what_was_written()
            flash(outcome_message(registration, title), "success")
            return to_own_registration(registration)
    else:
        # Only a shortcut: the service decides when the form is sent.
        try:
            enrolment.check_can_register(programme, current_user)
        except DomainError as error:
            _refuse(error)
            return redirect(back)
    return render_template(
        "registrations/register.html",
        programme=programme,
        text=formatting.programme_text(programme),
        status=registration_status(programme),
        form=form,
        user=current_user,
    )
