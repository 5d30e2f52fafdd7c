"""Participants: a personal calendar feed of their sessions, at a secret address they control."""

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from miti_training.accounts import calendar_feed as feed
from miti_training.extensions import db
from miti_training.forms.common import ActionForm
from miti_training.web.downloads import no_store
from miti_training.web.limits import registrations_per_account
from miti_training.web.registrations.blueprint import bp


def _to_feed_link():
    return redirect(url_for("registrations.mine") + "#calendar-feed")


@bp.route("/my/calendar-link", methods=["POST"])
@login_required
@registrations_per_account
def calendar_token_create():
    if ActionForm().validate_on_submit():
        if current_user.calendar_token:
            flash(_("You already have a calendar link: it is shown below."), "info")
        else:
            feed.new_calendar_token(current_user)
            db.session.commit()
            flash(
                _("Your calendar link is ready. Add it to your calendar app as a subscription."),
                "success",
            )
    return _to_feed_link()


@bp.route("/my/calendar-link/revoke", methods=["POST"])
@login_required
@registrations_per_account
def calendar_token_revoke():
    if ActionForm().validate_on_submit():
        feed.new_calendar_token(current_user)
        db.session.commit()
        flash(
            _(
                "The old calendar link no longer works. Here is a new one: replace the old "
                "subscription in your calendar app."
            ),
            "success",
        )
    return _to_feed_link()


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
    # The URL is a secret and no login loads the user: no cache may keep the personal schedule.
    response.headers["Referrer-Policy"] = "no-referrer"
    return no_store(response)
