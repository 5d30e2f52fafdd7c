"""Coordinator tools: attendee lists of a programme as CSV or XLSX, and its catering and
access summary.

Coordinators and directors of the programme's centre (and admins) may export; the programme
is loaded by id *and* centre, so another centre's id is a 404. Downloads are rate-limited per
user (EXPORT_RATE_LIMIT, for CSV and XLSX together) and never cached; every download is
audited and listed on the export page. The export page posts its form (status and columns)
to the download, which remembers the columns for the user; a GET of a download uses the
remembered columns. The files themselves are built by registrations/export_files.py.
"""

import tempfile

from flask import Response, current_app, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from miti_training import spreadsheets
from miti_training.errors import DomainError
from miti_training.formatting import labels, zone_name
from miti_training.forms.exports import ExportForm
from miti_training.forms.review import STATUS_FILTER_LABELS
from miti_training.models import AttendanceStatus, MembershipRole, RegistrationStatus, utcnow
from miti_training.permissions import centre_role_required
from miti_training.registrations import export_files, exports, needs, queries
from miti_training.registrations.export_columns import remembered_columns
from miti_training.timezones import to_local
from miti_training.web.downloads import each_step_in_app_context
from miti_training.web.limits import exports_per_account
from miti_training.web.loaders import programme_in_centre_or_404
from miti_training.web.manage.blueprint import bp
from miti_training.web.refusals import show_refusal

COORDINATOR = MembershipRole.COORDINATOR
#: An XLSX up to this size is built in memory; a larger one spills to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


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
        registered_at=_("Registered at (%(zone)s)", zone=zone_name(zone)),
        motivation=_("Motivation"),
        accessibility_needs=_("Accessibility needs"),
        dietary_needs=_("Dietary needs"),
        consent_data=_("Consent to data processing (%(zone)s)", zone=zone_name(zone)),
        consent_listing=_("Consent to the participant list (%(zone)s)", zone=zone_name(zone)),
        consent_photos=_("Consent to photos being published (%(zone)s)", zone=zone_name(zone)),
        yes=_("Yes"),
        no=_("No"),
        statuses={key: str(text) for key, text in labels(RegistrationStatus).items()},
        attendance={key: str(text) for key, text in labels(AttendanceStatus).items()},
        sheet_title=_("Registrations"),
    )


def _today(zone: str):
    return to_local(utcnow(), zone).date()


def _refused(centre, programme, error: DomainError, form: ExportForm | None = None):
    show_refusal(form, error)
    return _render_page(centre, programme, form=form, status=400)


def _render_page(centre, programme, form: ExportForm | None = None, status: int = 200):
    counts = queries.status_counts(programme)
    if form is None:
        status_asked = request.args.get("status")
        chosen = {
            "status": status_asked
            if status_asked in exports.STATUS_CHOICES
            else exports.DEFAULT_STATUS,
            "columns": list(remembered_columns(current_user.id)),
        }
        form = ExportForm(formdata=None, data=chosen, counts=counts)
    return (
        render_template(
            "manage/export.html",
            centre=centre,
            programme=programme,
            form=form,
            counts=counts,
            with_attendance=exports.has_attendance(programme),
            needs=needs.needs_summary(programme),
            downloads=exports.recent_downloads(programme),
            status_filter_labels=STATUS_FILTER_LABELS,
        ),
        status,
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/export")
@centre_role_required(COORDINATOR)
def export_registrations(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    try:
        exports.check_status(request.args.get("status"))
    except DomainError as error:
        return _refused(centre, programme, error)
    return _render_page(centre, programme)


def _planned_download(centre, programme_id: int, file_format: str):
    """(the export asked for, None) with its download recorded; else (None, the page saying why).

    A POST is the export page's form: its columns are checked and remembered. A GET takes the
    status from the query string and the user's remembered columns.
    """
    programme = programme_in_centre_or_404(centre, programme_id)
    form = None
    if request.method == "POST":
        form = ExportForm(counts=queries.status_counts(programme))
        if not form.validate_on_submit():
            return None, _render_page(centre, programme, form=form, status=400)
        status, columns = form.status.data, tuple(form.columns.data or ())
    else:
        status, columns = request.args.get("status"), remembered_columns(current_user.id)
    try:
        plan = exports.plan_export(programme, status, centre.timezone, columns)
    except DomainError as error:
        return None, _refused(centre, programme, error, form)
    exports.record_download(programme, plan, current_user, file_format, remember=form is not None)
    return plan, None


@bp.route("/<centre_slug>/programmes/<int:programme_id>/export.csv", methods=["GET", "POST"])
@centre_role_required(COORDINATOR)
@exports_per_account
def export_csv(centre, programme_id: int):
    plan, refused = _planned_download(centre, programme_id, "CSV")
    if refused is not None:
        return refused
    zone = plan.zone
    chunks = export_files.csv_chunks(plan, _wording(zone))
    response = Response(
        each_step_in_app_context(current_app._get_current_object(), chunks),
        content_type=spreadsheets.CSV_MEDIA_TYPE,
    )
    filename = plan.filename("csv", _today(zone))
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/<centre_slug>/programmes/<int:programme_id>/export.xlsx", methods=["GET", "POST"])
@centre_role_required(COORDINATOR)
@exports_per_account
def export_xlsx(centre, programme_id: int):
    plan, refused = _planned_download(centre, programme_id, "XLSX")
    if refused is not None:
        return refused
    zone = plan.zone
    workbook = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 — send_file closes it
    try:
        export_files.write_xlsx(plan, _wording(zone), workbook)
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
    return response
