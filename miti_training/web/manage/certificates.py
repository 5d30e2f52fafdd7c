"""Coordinator pages for certificates of attendance: who completed, issue, revoke, download.

Coordinators and directors of the programme's centre (and admins) use them. The programme is
loaded by id *and* centre, registrations and certificates by id *and* programme, so another
centre's (or programme's) id is a 404. The rules live in the attendance package (completion, certificates).
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from miti_training.attendance import certificates
from miti_training.attendance.completion import completion_for
from miti_training.errors import DomainError
from miti_training.extensions import db
from miti_training.forms.common import NoControlCharacters, strip
from miti_training.models import MembershipRole
from miti_training.permissions import centre_role_required
from miti_training.web.manage.blueprint import bp
from miti_training.web.manage.forms import ActionForm
from miti_training.web.manage.views import _programme_or_404, _show_error
from miti_training.web.registrations.certificates import pdf_response

COORDINATOR = MembershipRole.COORDINATOR


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (kept in the history, never shown publicly)"),
        validators=[
            DataRequired(message=_l("Say why the certificate is revoked.")),
            Length(max=certificates.MAX_REASON, message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(allow_newlines=True),
        ],
        filters=[strip],
        render_kw={"rows": 3, "dir": "auto"},
    )


def _to_list(centre, programme):
    return redirect(
        url_for("manage.programme_certificates", centre_slug=centre.slug, programme_id=programme.id)
    )


def _check_action_form() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


def _refused(error: DomainError) -> None:
    db.session.rollback()
    flash(str(error.message), "error")


def _certificate_or_404(programme, certificate_id: int):
    return certificates.certificate_in_programme(programme, certificate_id) or abort(404)


@bp.route("/<centre_slug>/programmes/<int:programme_id>/certificates")
@centre_role_required(COORDINATOR)
def programme_certificates(centre, programme_id: int):
    programme = _programme_or_404(centre, programme_id)
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
    programme = _programme_or_404(centre, programme_id)
    _check_action_form()
    try:
        count = certificates.bulk_issue(programme, actor=current_user)
    except DomainError as error:
        _refused(error)
        return _to_list(centre, programme)
    db.session.commit()
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
    programme = _programme_or_404(centre, programme_id)
    _check_action_form()
    registration = certificates.registration_in_programme(programme, registration_id) or abort(404)
    try:
        certificate = certificates.issue(registration, actor=current_user)
    except DomainError as error:
        _refused(error)
        return _to_list(centre, programme)
    db.session.commit()
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
    programme = _programme_or_404(centre, programme_id)
    certificate = _certificate_or_404(programme, certificate_id)
    if certificate.is_revoked:
        flash(_("This certificate has already been revoked."), "info")
        return _to_list(centre, programme)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            certificates.revoke(certificate, actor=current_user, reason=form.reason.data)
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
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
    """The certificate in the viewer's language (a revoked certificate is not printed)."""
    programme = _programme_or_404(centre, programme_id)
    certificate = _certificate_or_404(programme, certificate_id)
    if certificate.is_revoked:
        abort(404)
    return pdf_response(certificate, str(get_locale() or "en"))
