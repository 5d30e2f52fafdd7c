"""The director's page of the centre's reviewers: who scores its applications, naming one by the
address of their account, and taking the role back (the rules are in network.reviewers).

Changing someone's role needs a recent login (docs/security.md, item 8), as on the
administrators' pages."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, fresh_login_required, login_fresh

from miti_training.formatting import label
from miti_training.forms.network import ReviewerForm
from miti_training.models import MembershipRole
from miti_training.network import reviewers
from miti_training.permissions import centre_role_required
from miti_training.web.manage.blueprint import bp
from miti_training.web.refusals import REFUSED, attempt, check_action_form

DIRECTOR = MembershipRole.DIRECTOR
REVIEWER = MembershipRole.REVIEWER


def _render(centre, form: ReviewerForm, status: int = 200):
    return (
        render_template(
            "manage/reviewers.html",
            centre=centre,
            reviewers=reviewers.centre_reviewers(centre),
            form=form,
            login_is_fresh=login_fresh(),
            viewer_zone=current_user.timezone or "UTC",
        ),
        status,
    )


def _back(centre):
    return redirect(url_for("manage.centre_reviewers", centre_slug=centre.slug))


@bp.route("/<centre_slug>/reviewers")
@centre_role_required(DIRECTOR)
def centre_reviewers(centre):
    return _render(centre, ReviewerForm(formdata=None))


@bp.route("/<centre_slug>/reviewers", methods=["POST"])
@centre_role_required(DIRECTOR)
@fresh_login_required
def add_reviewer(centre):
    form = ReviewerForm()
    if form.validate_on_submit():
        added = attempt(
            form, lambda: reviewers.add_reviewer(centre, form.email.data, actor=current_user)
        )
        if added is not REFUSED:
            membership, created = added
            name = membership.user.full_name
            if created:
                flash(
                    _("%(name)s is now %(role)s of %(centre)s.", **_words(name, centre)), "success"
                )
            else:
                flash(
                    _("%(name)s is already %(role)s of %(centre)s.", **_words(name, centre)), "info"
                )
            return _back(centre)
    return _render(centre, form, 422)


@bp.route("/<centre_slug>/reviewers/<int:membership_id>/revoke", methods=["POST"])
@centre_role_required(DIRECTOR)
@fresh_login_required
def revoke_reviewer(centre, membership_id: int):
    check_action_form()

    def revoke():
        membership = reviewers.remove_reviewer(centre, membership_id, actor=current_user)
        return membership.user.full_name  # read before the commit

    # A refusal means the role is gone already (or never was this centre's): nothing to do.
    revoked = attempt(None, revoke, category="info")
    if revoked is not REFUSED:
        flash(
            _("%(name)s is no longer %(role)s of %(centre)s.", **_words(revoked, centre)), "success"
        )
    return _back(centre)


def _words(name: str, centre) -> dict:
    """The names the grant and revocation sentences hold (the administrators' sentences)."""
    return {"name": name, "role": label(REVIEWER), "centre": centre.name}
