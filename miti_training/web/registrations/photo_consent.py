"""Participants give or withdraw their consent to photos in which they appear being published,
after a confirmation; another person's registration is a 404. The rule is albums.consent's."""

from flask import flash, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from miti_training import formatting
from miti_training.albums import consent
from miti_training.forms.common import ActionForm
from miti_training.web.loaders import own_registration_or_404, to_own_registration
from miti_training.web.refusals import REFUSED, attempt
from miti_training.web.registrations.blueprint import bp


def _confirmation(template: str, registration, form: ActionForm):
    return render_template(
        template,
        registration=registration,
        programme=registration.programme,
        text=formatting.programme_text(registration.programme),
        form=form,
    )


def _already_given() -> None:
    flash(_("You have already agreed to the publication of photos in which you appear."), "info")


def _not_given() -> None:
    flash(_("You have not agreed to the publication of photos in which you appear."), "info")


@bp.route("/my/registrations/<int:registration_id>/photo-consent/give", methods=["GET", "POST"])
@login_required
def give_photo_consent(registration_id: int):
    registration = own_registration_or_404(registration_id)
    if registration.consent_photos_at is not None:
        _already_given()
        return to_own_registration(registration)
    if not consent.may_give_photo_consent(registration):
        flash(str(consent.CANCELLED), "error")
        return to_own_registration(registration)
    form = ActionForm()
    if form.validate_on_submit():
        done = attempt(None, lambda: consent.give_photo_consent(registration, current_user))
        if done is True:
            flash(
                _(
                    "Thank you: the centre may publish photos in which you appear. You can withdraw this at any time."
                ),
                "success",
            )
        elif done is not REFUSED:
            _already_given()
        return to_own_registration(registration)
    return _confirmation("registrations/photo_consent_give.html", registration, form)


@bp.route("/my/registrations/<int:registration_id>/photo-consent", methods=["GET", "POST"])
@login_required
def withdraw_photo_consent(registration_id: int):
    registration = own_registration_or_404(registration_id)
    if registration.consent_photos_at is None:
        _not_given()
        return to_own_registration(registration)
    form = ActionForm()
    if form.validate_on_submit():
        done = attempt(None, lambda: consent.withdraw_photo_consent(registration, current_user))
        if done is True:
            flash(
                _(
                    "You have withdrawn your consent: the centre will no longer publish photos in which you appear."
                ),
                "success",
            )
        elif done is not REFUSED:
            _not_given()
        return to_own_registration(registration)
    return _confirmation("registrations/photo_consent.html", registration, form)
