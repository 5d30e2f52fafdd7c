"""The link in a nomination sent to an address without an account: it proves the address, so
it opens the sign-up form for it at once, which then leads to the application form. An
expired link (nominations/invitations.py) is a 410 and makes nothing."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from miti_training.accounts.addresses import find_user_by_email
from miti_training.accounts.sign_up import SIGNUP_LINK
from miti_training.accounts.tokens import make_token
from miti_training.nominations.invitations import InvitationState, invitation_state
from miti_training.nominations.nominating import nomination_by_token
from miti_training.web.nominations.blueprint import bp


@bp.route("/nominations/invitation/<token>")
def accept(token: str):
    nomination = nomination_by_token(token)
    if nomination is None:
        return render_template("nominations/invitation_invalid.html"), 404
    if invitation_state(nomination) == InvitationState.EXPIRED:
        return render_template("nominations/invitation_expired.html"), 410
    apply_url = url_for("registrations.register", slug=nomination.programme.slug)
    if find_user_by_email(nomination.email) is not None:
        # The address has an account by now: log in (as that account) and apply.
        if current_user.is_authenticated and current_user.email == nomination.email:
            return redirect(apply_url)
        flash(_("Your address has an account: log in to send your application."), "info")
        return redirect(url_for("auth.login", next=apply_url))
    signup_token = make_token(SIGNUP_LINK.salt, {"email": nomination.email, "next": apply_url})
    return redirect(url_for(SIGNUP_LINK.endpoint, token=signup_token))
