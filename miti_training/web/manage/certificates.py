"""Coordinator pages for certificates of attendance: who completed, issue, revoke, download.

Coordinators and directors of the programme's centre (and admins) use them. The programme is
loaded by id *and* centre, registrations and certificates by id *and* programme, so another
centre's (or programme's) id is a 404. The rules live in the attendance package (completion, certificates).
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from miti_training.attendance import certificates
from miti_training.attendance.completion import completion_for
from miti_training.forms.attendance import RevokeForm
from miti_training.forms.common import ActionForm
from miti_training.models import MembershipRole
from miti_training.permissions import centre_role_required
from miti_training.web.downloads import certificate_pdf_response
from miti_training.web.loaders import (
    certificate_in_programme_or_404,
    programme_in_centre_or_404,
    registration_in_programme_or_404,
)
from miti_training.web.manage.blueprint import bp
from miti_training.web.refusals import REFUSED, attempt, check_action_form

COORDINATOR = MembershipRole.COORDINATOR


def _to_list(centre, programme):
    return redirect(
        url_for("manage.programme_certificates", centre_slug=centre.slug, programme_id=programme.id)
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/certificates")
@centre_role_required(COORDINATOR)
def programme_certificates(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    rows = completion_for(programme)
    return render_template(
        "manage/certificates.html",
        centre=centre,
        programme=programme,
        rows=rows,
        completed=sum(1 for row in rows if row.completed),
        due=sum(1 for row in rows if row.completed and row.certificate is None),
        not_issuable=certificates.not_issuable_reason(programme),
        action_form=ActionForm(),
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/certificates/issue-all", methods=["POST"])
@centre_role_required(COORDINATOR)
def issue_certificates(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    check_action_form()
    count = attempt(None, lambda: certificates.bulk_issue(programme, actor=current_user))
    if count is REFUSED:
        return _to_list(centre, programme)
    if count:
        flash(
            ngettext("%(num)d certificate issued.", "%(num)d certificates issued.", count),
            "success",
        )
    else:
        flash(_("Every participant who completed the programme already has a certificate."), "info")
    return _to_list(centre, programme)


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/registrations/<int:registration_id>/certificate",
    methods=["POST"],
)
@centre_role_required(COORDINATOR)
def issue_certificate(centre, programme_id: int, registration_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    check_action_form()
    registration = registration_in_programme_or_404(programme, registration_id)
    certificate = attempt(None, lambda: certificates.issue(registration, actor=current_user))
    if certificate is not REFUSED:
        flash(
            _(
                "Certificate %(code)s issued to %(name)s.",
                code=certificate.code,
                name=certificate.full_name,
            ),
            "success",
        )
    return _to_list(centre, programme)


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/certificates/<int:certificate_id>/revoke",
    methods=["GET", "POST"],
)
@centre_role_required(COORDINATOR)
def revoke_certificate(centre, programme_id: int, certificate_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    certificate = certificate_in_programme_or_404(programme, certificate_id)
    if certificate.is_revoked:
        flash(_("This certificate has already been revoked."), "info")
        return _to_list(centre, programme)
    form = RevokeForm()
    if form.validate_on_submit():
        revoked = attempt(
            form,
            lambda: certificates.revoke(certificate, actor=current_user, reason=form.reason.data),
        )
        if revoked is not REFUSED:
            flash(
                _(
                    "Certificate %(code)s of %(name)s has been revoked.",
                    code=certificate.code,
                    name=certificate.full_name,
                ),
                "success",
            )
            return _to_list(centre, programme)
    return render_template(
        "certificates/revoke.html",
        centre=centre,
        programme=programme,
        certificate=certificate,
        form=form,
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/certificates/<int:certificate_id>.pdf")
@centre_role_required(COORDINATOR)
def certificate_pdf(centre, programme_id: int, certificate_id: int):
    """The certificate in its participant's language, whoever downloads it (a revoked
    certificate is not printed)."""
    programme = programme_in_centre_or_404(centre, programme_id)
    certificate = certificate_in_programme_or_404(programme, certificate_id)
    if certificate.is_revoked:
        abort(404)
    return certificate_pdf_response(certificate, certificates.participant_language(certificate))
