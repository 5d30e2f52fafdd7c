"""A focal point's pages: their city's nominations and the programmes open for nomination.

Every route needs the focal-point role (403 otherwise); a nomination is loaded by id *and*
the focal point's city, so another city's id is a 404.
"""

from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from miti_training.forms.common import ActionForm
from miti_training.forms.nominations import NominateForm
from miti_training.nominations import invitations, nominating, queries, withdrawing
from miti_training.nominations.allocations import places_of
from miti_training.nominations.focal_points import focal_point_of
from miti_training.nominations.window import nomination_state
from miti_training.web.nominations.blueprint import bp
from miti_training.web.refusals import REFUSED, attempt, check_action_form


def focal_point_required(view):
    """Logged-in focal points only; the view receives their role as `focal_point`."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        focal_point = focal_point_of(current_user)
        if focal_point is None:
            abort(403)
        return view(*args, focal_point=focal_point, **kwargs)

    return wrapper


@bp.route("/nominations")
@focal_point_required
def index(focal_point):
    city = focal_point.member_city
    page = queries.city_nominations(city, request.args.get("page", 1, type=int))
    return render_template(
        "nominations/index.html",
        city=city,
        programmes=queries.programmes_for_nomination(city),
        page=page,
        invites=queries.invitations_of(page.items),
        action_form=ActionForm(),
        viewer_zone=current_user.timezone or "UTC",
    )


def _programme_or_404(programme_id: int):
    return queries.nomination_programme(programme_id) or abort(404)


@bp.route("/nominations/programmes/<int:programme_id>", methods=["GET", "POST"])
@focal_point_required
def nominate(programme_id: int, focal_point):
    programme = _programme_or_404(programme_id)
    city = focal_point.member_city
    form = NominateForm()
    if form.validate_on_submit():
        nominated = attempt(
            form,
            lambda: nominating.nominate(
                programme,
                form.email.data,
                actor=current_user,
                full_name=form.full_name.data or "",
                language=form.language.data,
            ),
        )
        if nominated is not REFUSED:
            if nominated.invited:
                flash(
                    _(
                        "%(email)s is nominated. The address has no account yet: an invitation to create one and apply has been emailed.",
                        email=form.email.data.strip().lower(),
                    ),
                    "success",
                )
            else:
                flash(
                    _(
                        "%(name)s is nominated and has been emailed a link to the application form.",
                        name=nominated.nomination.full_name,
                    ),
                    "success",
                )
            return redirect(url_for("nominations.nominate", programme_id=programme.id))
    page = queries.city_nominations(
        city, request.args.get("page", 1, type=int), programme_id=programme.id
    )
    return render_template(
        "nominations/nominate.html",
        programme=programme,
        city=city,
        state=nomination_state(programme),
        places=places_of(programme, city),
        form=form,
        page=page,
        invites=queries.invitations_of(page.items),
        action_form=ActionForm(),
        viewer_zone=current_user.timezone or "UTC",
    )


def _back(programme_id: int):
    if request.form.get("back") == "programme":
        return redirect(url_for("nominations.nominate", programme_id=programme_id))
    return redirect(url_for("nominations.index"))


@bp.route("/nominations/<int:nomination_id>/resend", methods=["POST"])
@focal_point_required
def resend_invitation(nomination_id: int, focal_point):
    nomination = queries.nomination_of_city(focal_point.member_city, nomination_id) or abort(404)
    check_action_form()
    email, programme_id = nomination.email, nomination.programme_id
    done = attempt(None, lambda: invitations.resend(nomination, actor=current_user))
    if done is not REFUSED:
        flash(
            _(
                "A new invitation has been emailed to %(email)s; the old link no longer works.",
                email=email,
            ),
            "success",
        )
    return _back(programme_id)


@bp.route("/nominations/<int:nomination_id>/withdraw", methods=["POST"])
@focal_point_required
def withdraw(nomination_id: int, focal_point):
    nomination = queries.nomination_of_city(focal_point.member_city, nomination_id) or abort(404)
    check_action_form()
    name = nomination.full_name or nomination.email
    programme_id = nomination.programme_id
    done = attempt(None, lambda: withdrawing.withdraw(nomination, actor=current_user))
    if done is not REFUSED:
        flash(
            _("The nomination of %(name)s is withdrawn; its place is free again.", name=name),
            "success",
        )
    return _back(programme_id)
