"""Coordinator pages for attendance: the roll call of a session and its self check-in code.

Coordinators and directors of the programme's centre (and admins) use them. The session is
looked up among the sessions of a programme loaded by id *and* centre, so another centre's or
another programme's session is a 404. Attendance is taken on published and completed
programmes only; on a draft or a cancelled one these pages send the user back to the
programme with the reason.
"""

import math

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from miti_training.attendance import check_in, codes
from miti_training.attendance import roll_call as attendance
from miti_training.errors import DomainError
from miti_training.formatting import labels
from miti_training.forms.attendance import FIELD_PREFIX, roll_call_statuses
from miti_training.models import (
    AttendanceStatus,
    MembershipRole,
    Programme,
    ProgrammeSession,
    utcnow,
)
from miti_training.permissions import centre_role_required
from miti_training.urls import external_url
from miti_training.web.loaders import (
    programme_in_centre_or_404,
    session_of_programme_or_404,
    to_programme_page,
)
from miti_training.web.manage.blueprint import bp
from miti_training.web.refusals import REFUSED, attempt, check_action_form, show_refusal

COORDINATOR = MembershipRole.COORDINATOR


# Helpers -----------------------------------------------------------------------------------


def _load(centre, programme_id: int, session_id: int):
    """(programme, session, None), or a redirect when attendance cannot be taken."""
    programme = programme_in_centre_or_404(centre, programme_id)
    session = session_of_programme_or_404(programme, session_id)
    try:
        attendance.require_attendance_taken(programme)
    except DomainError as error:
        show_refusal(None, error)
        return programme, session, to_programme_page(programme)
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


def _confirm_early(centre, programme: Programme, session: ProgrammeSession, endpoint: str):
    """For a session more than a day away: None once the coordinator has confirmed recording
    now, else the page asking them, which posts what they chose again (no JavaScript needed)."""
    if request.form.get("confirmed") == "yes" or not attendance.is_far_ahead(session):
        return None
    kept = [
        (key, value)
        for key, value in request.form.items(multi=True)
        if key.startswith(FIELD_PREFIX)
    ]
    return render_template(
        "manage/attendance_confirm.html",
        centre=centre,
        programme=programme,
        session=session,
        action=url_for(
            endpoint,
            centre_slug=centre.slug,
            programme_id=programme.id,
            session_id=session.id,
        ),
        kept=kept,
    )


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
        check_action_form()
        statuses = roll_call_statuses(request.form)
        if statuses is None:
            abort(400)
        early = _confirm_early(centre, programme, session, "manage.session_attendance")
        if early is not None:
            return early
        result = attempt(None, lambda: attendance.record_many(session, statuses, current_user))
        if result is REFUSED:
            return _to_roll_call(centre, programme, session)
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
    check_action_form()
    early = _confirm_early(centre, programme, session, "manage.mark_all_present")
    if early is not None:
        return early
    marked = attempt(None, lambda: attendance.mark_all_present(session, current_user))
    if marked is REFUSED:
        return _to_roll_call(centre, programme, session)
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
    now = utcnow()
    code = check_in.check_in_code(session, now)
    check_in_url = external_url("registrations.check_in", code=code)
    opens, closes = check_in.window(session)
    # Until check-in closes the page reloads itself when the code changes (a second late, to
    # land in the next step); people may turn that off (WCAG 2.2.1).
    rotating = now <= closes
    seconds_left = (check_in.next_code_at(now) - now).total_seconds()
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
        is_open=check_in.is_window_open(session, now),
        summary=attendance.summary(session),
        rotating=rotating,
        auto_refresh=rotating and request.args.get("refresh") != "off",
        refresh_after=math.ceil(seconds_left) + 1,
        minutes_left=math.ceil(seconds_left / 60),
    )
