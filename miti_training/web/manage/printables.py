"""Coordinator tools: print-ready pages of a programme's confirmed participants.

A sign-in sheet per session and name badges per programme. Both are plain HTML pages with a
print stylesheet (static/css/print.css): the browser prints them, or saves them as PDF.
"""

from flask import render_template

from miti_training.attendance.roll_call import confirmed_registrations
from miti_training.models import MembershipRole
from miti_training.permissions import centre_role_required
from miti_training.web.loaders import programme_in_centre_or_404, session_of_programme_or_404
from miti_training.web.manage.blueprint import bp

#: Name badges on one printed A4 page (2 columns x 4 rows).
BADGES_PER_PAGE = 8


@bp.route("/<centre_slug>/programmes/<int:programme_id>/sessions/<int:session_id>/sign-in-sheet")
@centre_role_required(MembershipRole.COORDINATOR)
def sign_in_sheet(centre, programme_id: int, session_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    session = session_of_programme_or_404(programme, session_id)
    return render_template(
        "manage/sign_in_sheet.html",
        centre=centre,
        programme=programme,
        session=session,
        participants=confirmed_registrations(programme),
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/badges")
@centre_role_required(MembershipRole.COORDINATOR)
def programme_badges(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    return render_template(
        "manage/badges.html",
        centre=centre,
        programme=programme,
        participants=confirmed_registrations(programme),
        per_page=BADGES_PER_PAGE,
    )
