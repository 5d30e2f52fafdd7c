"""Calendar import routes: upload a centre's calendar (CSV/XLSX), download the template."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from miti_training import spreadsheets
from miti_training.extensions import db
from miti_training.forms.programmes import CalendarImportForm
from miti_training.models import MembershipRole
from miti_training.permissions import centre_role_required
from miti_training.programmes import calendar_import
from miti_training.programmes.calendar_import import CalendarImportError
from miti_training.web.manage.blueprint import bp

#: Problems listed on the page; a file wrong throughout would otherwise list thousands.
MAX_SHOWN_PROBLEMS = 200

TEMPLATE_FORMATS = {
    "csv": (calendar_import.template_csv, "text/csv; charset=utf-8"),
    "xlsx": (calendar_import.template_xlsx, spreadsheets.XLSX_MEDIA_TYPE),
}


@bp.route("/<centre_slug>/import", methods=["GET", "POST"])
@centre_role_required(MembershipRole.DIRECTOR)
def import_calendar(centre):
    form = CalendarImportForm()
    problems = None
    status = 200
    if request.method == "POST" and not form.validate_on_submit():
        status = 422
    elif request.method == "POST":
        upload = form.file.data
        data = upload.stream.read(calendar_import.MAX_FILE_BYTES + 1)
        try:
            result = calendar_import.import_calendar(
                data, upload.filename or "", centre=centre, actor=current_user
            )
        except CalendarImportError as error:
            db.session.rollback()
            problems = error.problems
            status = 422  # the file was read and refused: the page says why
        else:
            try:
                db.session.commit()
            except IntegrityError:  # another import took a slug at the same moment
                db.session.rollback()
                flash(
                    _("Programmes were changed at the same time. Please upload the file again."),
                    "error",
                )
            else:
                flash(_imported_message(len(result.programmes), result.session_count), "success")
                return redirect(url_for("manage.centre_overview", centre_slug=centre.slug))
    return render_template(
        "manage/import.html",
        centre=centre,
        form=form,
        problems=problems[:MAX_SHOWN_PROBLEMS] if problems else problems,
        hidden_problems=max(len(problems or ()) - MAX_SHOWN_PROBLEMS, 0),
        columns=calendar_import.COLUMNS,
        max_rows=format_decimal(calendar_import.MAX_ROWS),
    ), status


@bp.route("/<centre_slug>/import/template.<fmt>")
@centre_role_required(MembershipRole.DIRECTOR)
def import_template(centre, fmt: str):
    if fmt not in TEMPLATE_FORMATS:
        abort(404)
    build, media_type = TEMPLATE_FORMATS[fmt]
    response = Response(build(centre), mimetype=media_type.split(";")[0])
    response.headers["Content-Type"] = media_type
    response.headers["Content-Disposition"] = (
        f"attachment; filename=miti-calendar-{centre.slug}.{fmt}"
    )
    return response


def _imported_message(programmes: int, sessions: int) -> str:
    return _(
        "Imported %(programmes)s with %(sessions)s as drafts.",
        programmes=ngettext("%(num)d programme", "%(num)d programmes", programmes),
        sessions=ngettext("%(num)d session", "%(num)d sessions", sessions),
    )
