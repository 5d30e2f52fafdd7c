"""Coordinator tools: attendee lists of a programme as CSV or XLSX.

Coordinators and directors of the programme's centre (and admins) may export; the programme
is loaded by id *and* centre, so another centre's id is a 404. Downloads are rate-limited per
user (config EXPORT_RATE_LIMIT, default 30 a minute for CSV and XLSX together) and never
cached; every download is audited and listed on the export page. The files themselves are
built by registrations/exports.py.
"""

import tempfile
from collections.abc import Iterator

from flask import Flask, Response, current_app, flash, render_template, request, send_file
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from miti_training import spreadsheets
from miti_training.db_setup import sqlite_write_transaction
from miti_training.errors import DomainError
from miti_training.extensions import limiter
from miti_training.formatting import labels
from miti_training.forms.common import ListChoiceField
from miti_training.models import AttendanceStatus, MembershipRole, RegistrationStatus, utcnow
from miti_training.permissions import centre_role_required
from miti_training.registrations import exports, queries
from miti_training.timezones import to_local
from miti_training.web.auth.limits import account_key
from miti_training.web.manage.blueprint import bp
from miti_training.web.manage.registration_forms import STATUS_FILTER_LABELS
from miti_training.web.manage.views import _programme_or_404

COORDINATOR = MembershipRole.COORDINATOR
#: An XLSX up to this size is built in memory; a larger one spills to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


def _export_limit() -> str:
    return current_app.config.get("EXPORT_RATE_LIMIT", exports.DEFAULT_RATE_LIMIT)


#: One budget for CSV and XLSX downloads together.
export_limit = limiter.shared_limit(
    _export_limit, scope="exports", key_func=lambda: account_key("export")
)


class ExportForm(FlaskForm):
    """Which registrations to export, read from the query string (a GET form, no CSRF)."""

    class Meta:
        csrf = False

    status = ListChoiceField(
        _l("Registrations to export"), choices=[], message=exports.CHOOSE_STATUS
    )


def _wording(zone: str) -> exports.ExportWording:
    """The export's words in the user's language; times are in the centre's zone."""
    return exports.ExportWording(
        name=_("Name"),
        email=_("Email address"),
        organisation=_("Organisation"),
        member_city=_("Member city"),
        country=_("Country"),
        job_title=_("Job title"),
        status=_("Status"),
        registered_at=_("Registered at (%(zone)s)", zone=zone),
        consent_data=_("Consent to data processing (%(zone)s)", zone=zone),
        consent_listing=_("Consent to the participant list (%(zone)s)", zone=zone),
        yes=_("Yes"),
        no=_("No"),
        statuses={key: str(text) for key, text in labels(RegistrationStatus).items()},
        attendance={key: str(text) for key, text in labels(AttendanceStatus).items()},
        sheet_title=_("Registrations"),
    )


def _today(zone: str):
    return to_local(utcnow(), zone).date()


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _each_step_in_app_context(app: Flask, steps: Iterator[bytes]) -> Iterator[bytes]:
    """Run each step of steps (a read) in an app context, and so a database session, of its own.

    The request's context is gone while the body is sent; each page of rows is read in a
    fresh context torn down before the page is sent, so a slow download holds no connection
    or transaction, and the stream works in whatever context the server reads it.
    """
    while True:
        with app.app_context():
            token = sqlite_write_transaction.set(False)
            try:
                chunk = next(steps, None)
            finally:
                sqlite_write_transaction.reset(token)
        if chunk is None:
            return
        yield chunk


def _refused(centre, programme, error: DomainError):
    flash(str(error.message), "error")
    return _render_page(centre, programme, status=400)


def _render_page(centre, programme, status: int = 200):
    counts = queries.status_counts(programme)
    form = ExportForm(formdata=request.args if "status" in request.args else None)
    form.status.choices = [
        SelectChoice(
            value,
            _(
                "%(label)s (%(num)d)",
                label=STATUS_FILTER_LABELS[value],
                num=counts.for_filter(value),
            ),
        )
        for value in exports.STATUS_CHOICES
    ]
    if form.status.data not in exports.STATUS_CHOICES:
        form.status.data = exports.DEFAULT_STATUS
    return (
        render_template(
            "manage/export.html",
            centre=centre,
            programme=programme,
            form=form,
            counts=counts,
            with_attendance=exports.has_attendance(programme),
            downloads=exports.recent_downloads(programme),
            status_filter_labels=STATUS_FILTER_LABELS,
        ),
        status,
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/export")
@centre_role_required(COORDINATOR)
def export_registrations(centre, programme_id: int):
    programme = _programme_or_404(centre, programme_id)
    try:
        exports.check_status(request.args.get("status"))
    except DomainError as error:
        return _refused(centre, programme, error)
    return _render_page(centre, programme)


@bp.route("/<centre_slug>/programmes/<int:programme_id>/export.csv")
@centre_role_required(COORDINATOR)
@export_limit
def export_csv(centre, programme_id: int):
    programme = _programme_or_404(centre, programme_id)
    zone = centre.timezone
    try:
        plan = exports.plan_export(programme, request.args.get("status"), zone)
    except DomainError as error:
        return _refused(centre, programme, error)
    exports.record_download(programme, plan, current_user, "CSV")
    chunks = exports.csv_chunks(plan, _wording(zone))
    response = Response(
        _each_step_in_app_context(current_app._get_current_object(), chunks),
        content_type=spreadsheets.CSV_MEDIA_TYPE,
    )
    filename = plan.filename("csv", _today(zone))
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _no_store(response)


@bp.route("/<centre_slug>/programmes/<int:programme_id>/export.xlsx")
@centre_role_required(COORDINATOR)
@export_limit
def export_xlsx(centre, programme_id: int):
    programme = _programme_or_404(centre, programme_id)
    zone = centre.timezone
    try:
        plan = exports.plan_export(programme, request.args.get("status"), zone)
    except DomainError as error:
        return _refused(centre, programme, error)
    exports.record_download(programme, plan, current_user, "XLSX")
    workbook = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 — send_file closes it
    try:
        exports.write_xlsx(plan, _wording(zone), workbook)
        workbook.seek(0)
    except BaseException:
        workbook.close()
        raise
    response = send_file(
        workbook,
        mimetype=spreadsheets.XLSX_MEDIA_TYPE,
        as_attachment=True,
        download_name=plan.filename("xlsx", _today(zone)),
        etag=False,
        conditional=False,
        max_age=0,
    )
    return _no_store(response)
