"""Participants: accept or decline a seat offered to them from the waiting list.

Another person's registration id is a 404, as if it did not exist; the forms carry the CSRF
token (check_action_form).
"""

from flask import flash
from flask_babel import gettext as _
from flask_login import current_user, login_required

from miti_training import formatting
from miti_training.registrations import offers
from miti_training.web.loaders import own_registration_or_404, to_own_registration
from miti_training.web.refusals import REFUSED, attempt, check_action_form
from miti_training.web.registrations.blueprint import bp


@bp.route("/my/registrations/<int:registration_id>/accept-offer", methods=["POST"])
@login_required
def accept_offer(registration_id: int):
    registration = own_registration_or_404(registration_id)
    check_action_form()
    title = formatting.programme_text(registration.programme).title
    accepted = attempt(None, lambda: offers.accept(registration, actor=current_user))
    if accepted is not REFUSED:
        flash(
            _("You have accepted the seat: your place in “%(title)s” is confirmed.", title=title),
            "success",
        )
    return to_own_registration(registration)


@bp.route("/my/registrations/<int:registration_id>/decline-offer", methods=["POST"])
@login_required
def decline_offer(registration_id: int):
    registration = own_registration_or_404(registration_id)
    check_action_form()
    title = formatting.programme_text(registration.programme).title
    declined = attempt(None, lambda: offers.decline(registration, actor=current_user))
    if declined is not REFUSED:
        flash(
            _(
                "You have declined the seat in “%(title)s”; it goes to the next person.",
                title=title,
            ),
            "success",
        )
    return to_own_registration(registration)
