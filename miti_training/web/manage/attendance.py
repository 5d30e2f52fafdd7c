"""Coordinator pages for attendance: the roll call of a session and its self check-in code.

Coordinators and directors of the programme's centre (and admins) use them. The session is
looked up among the sessions of a programme loaded by id *and* centre, so another centre's or
another programme's session is a 404. Attendance is taken on published and completed
programmes only; on a draft or a cancelled one these pages send the user back to the
programme with the reason.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from miti_training.attendance import check_in, codes
from miti_training.attendance import roll_call as attendance
from miti_training.db_setup import MAX_ID
from miti_training.errors import DomainError
from miti_training.extensions import db
from miti_training.formatting import labels
from miti_training.models import (
    AttendanceStatus,
    MembershipRole,
    Programme,
    ProgrammeSession,
    utcnow,
)
from miti_training.permissions import centre_role_required
from miti_training.urls import external_url
from miti_training.web.manage.blueprint import bp
from miti_training.web.manage.forms import ActionForm
from miti_training.web.manage.views import _programme_or_404, _session_or_404, _to_detail

COORDINATOR = MembershipRole.COORDINATOR
#: The roll-call form names each row's radio group "status-<registration id>".
FIELD_PREFIX = "status-"
#: More rows than any programme's capacity: a bigger form is not one of ours.
MAX_ROWS = 5000


# Helpers -----------------------------------------------------------------------------------


def _load(centre, programme_id: int, session_id: int):
    """(programme, session, None), or a redirect when attendance cannot be taken."""
    programme = _programme_or_404(centre, programme_id)
    session = _session_or_404(programme, session_id)
    try:
        attendance.require_attendance_taken(programme)
    except DomainError as error:
        flash(str(error.message), "error")
        return programme, session, _to_detail(programme)
    return programme, session, None


def _to_roll_call(centre, programme: Programme, session: ProgrammeSession):
    return redirect(
        url_for(
            "manage.session_attendance",
            centre_slug=centre.slug,
            programme_id=programme.id,
            session_id=session.id,
        )
    )


def _check_action_form() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


def _statuses_from(form) -> dict[int, AttendanceStatus]:
    """The roll call as posted; a malformed row is a 400 (our form never sends one)."""
    statuses = {}
    for key, value in form.items(multi=False):
        if not key.startswith(FIELD_PREFIX):
            continue
        raw_id = key.removeprefix(FIELD_PREFIX)
        if not raw_id.isascii() or not raw_id.isdigit() or len(raw_id) > 18:
            abort(400)
        if int(raw_id) > MAX_ID:
            abort(400)
        try:
            statuses[int(raw_id)] = AttendanceStatus(value)
        except ValueError:
            abort(400)
        if len(statuses) > MAX_ROWS:
            abort(400)
    return statuses


def _saved_message(summary: attendance.Summary) -> str:
    message = _(
        "Attendance saved: %(present)d present, %(absent)d absent, %(excused)d excused.",
        present=summary.present,
        absent=summary.absent,
        excused=summary.excused,
    )
    if summary.unmarked:
        message += " " + ngettext(
            "%(num)d participant is not recorded yet.",
            "%(num)d participants are not recorded yet.",
            summary.unmarked,
        )
    return message


def _neighbours(programme: Programme, session: ProgrammeSession):
    """The sessions before and after this one in the timetable (None at either end)."""
    sessions = programme.sessions
    index = sessions.index(session)
    previous = sessions[index - 1] if index > 0 else None
    following = sessions[index + 1] if index + 1 < len(sessions) else None
    return previous, following


# The roll call -----------------------------------------------------------------------------


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/sessions/<int:session_id>/attendance",
    methods=["GET", "POST"],
)
@centre_role_required(COORDINATOR)
def session_attendance(centre, programme_id: int, session_id: int):
    programme, session, back = _load(centre, programme_id, session_id)
    if back is not None:
        return back
    if request.method == "POST":
        _check_action_form()
        statuses = _statuses_from(request.form)
        try:
            result = attendance.record_many(session, statuses, current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
            return _to_roll_call(centre, programme, session)
        db.session.commit()
        flash(_saved_message(attendance.summary(session)), "success")
        if result.skipped:
            flash(
                ngettext(
                    "%(num)d participant is no longer confirmed and was left out.",
                    "%(num)d participants are no longer confirmed and were left out.",
                    result.skipped,
                ),
                "info",
            )
        return _to_roll_call(centre, programme, session)

    previous, following = _neighbours(programme, session)
    return render_template(
        "manage/attendance.html",
        centre=centre,
        programme=programme,
        session=session,
        rows=attendance.roll_call(session),
        summary=attendance.summary(session),
        previous=previous,
        following=following,
        status_labels=labels(AttendanceStatus),
        statuses=list(AttendanceStatus),
        field_prefix=FIELD_PREFIX,
        check_in_open=check_in.is_window_open(session, utcnow()),
    )


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/sessions/<int:session_id>/attendance/all-present",
    methods=["POST"],
)
@centre_role_required(COORDINATOR)
def mark_all_present(centre, programme_id: int, session_id: int):
    programme, session, back = _load(centre, programme_id, session_id)
    if back is not None:
        return back
    _check_action_form()
    try:
        marked = attendance.mark_all_present(session, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return _to_roll_call(centre, programme, session)
    db.session.commit()
    if marked:
        flash(
            ngettext(
                "%(num)d participant marked present; those already recorded kept their status.",
                "%(num)d participants marked present; those already recorded kept their status.",
                marked,
            ),
            "success",
        )
    else:
        flash(_("Everybody already has a status; nothing was changed."), "info")
    return _to_roll_call(centre, programme, session)


# The check-in code -------------------------------------------------------------------------


@bp.route("/<centre_slug>/programmes/<int:programme_id>/sessions/<int:session_id>/check-in-code")
@centre_role_required(COORDINATOR)
def session_check_in_code(centre, programme_id: int, session_id: int):
    programme, session, back = _load(centre, programme_id, session_id)
    if back is not None:
        return back
    code = check_in.check_in_code(session)
    check_in_url = external_url("registrations.check_in", code=code)
    opens, closes = check_in.window(session)
    return render_template(
        "manage/check_in_code.html",
        centre=centre,
        programme=programme,
        session=session,
        code=check_in.display_code(code),
        check_in_url=check_in_url,
        qr_uri=codes.qr_data_uri(check_in_url, scale=8, border=4, dark="#000", light="#fff"),
        opens=opens,
        closes=closes,
        is_open=check_in.is_window_open(session, utcnow()),
        summary=attendance.summary(session),
    )
