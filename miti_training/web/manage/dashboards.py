"""Centre dashboard: how full the coming programmes are, what waits for a decision, and
who came to the sessions that have ended (coordinators, directors and admins)."""

from flask import render_template, request

from miti_training.albums import staff as albums
from miti_training.models import MembershipRole
from miti_training.network import centre_dashboard as dashboards
from miti_training.permissions import centre_role_required
from miti_training.web.manage.blueprint import bp


@bp.route("/<centre_slug>/dashboard")
@centre_role_required(MembershipRole.COORDINATOR)
def centre_dashboard(centre):
    return render_template(
        "manage/dashboard.html",
        centre=centre,
        upcoming=dashboards.upcoming_programmes(centre),
        totals=dashboards.centre_totals(centre),
        sessions=dashboards.past_session_attendance(centre, request.args.get("page", 1, type=int)),
        albums=albums.centre_album_figures(centre),
        albums_listed=albums.DASHBOARD_ALBUMS,
    )
