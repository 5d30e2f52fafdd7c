"""Centre management pages: the sessions of a programme's timetable.

Sessions are looked up among the sessions of a programme loaded by id *and* centre, so another
centre's or another programme's session is a 404. Who may change them is who may change the
programme (web.manage.programmes.unchangeable_redirect).
"""

from flask import flash, render_template
from flask_babel import gettext as _
from flask_login import current_user

from miti_training.forms.programmes import SessionForm
from miti_training.models import MembershipRole
from miti_training.permissions import centre_role_required
from miti_training.programmes import sessions
from miti_training.web.loaders import (
    programme_in_centre_or_404,
    session_of_programme_or_404,
    to_programme_page,
)
from miti_training.web.manage.blueprint import bp
from miti_training.web.manage.programmes import unchangeable_redirect
from miti_training.web.refusals import REFUSED, attempt, check_action_form

COORDINATOR = MembershipRole.COORDINATOR


def _timetable(centre, programme_id: int, session_id: int | None = None):
    """(programme, session or None, None) when the user may change the timetable now; else
    (programme, session, the way back)."""
    programme = programme_in_centre_or_404(centre, programme_id)
    session = None if session_id is None else session_of_programme_or_404(programme, session_id)
    return programme, session, unchangeable_redirect(centre, programme)


def _render_form(centre, programme, session, form):
    return render_template(
        "manage/session_form.html",
        centre=centre,
        programme=programme,
        session=session,
        form=form,
        translation_languages=form.translation_languages(programme.original_language),
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/sessions/new", methods=["GET", "POST"])
@centre_role_required(COORDINATOR)
def add_session(centre, programme_id: int):
    programme, _session, back = _timetable(centre, programme_id)
    if back is not None:
        return back
    form = SessionForm()
    if form.validate_on_submit():
        session = attempt(
            form,
            lambda: sessions.add_session(
                programme, actor=current_user, **form.values(programme.original_language)
            ),
        )
        if session is not REFUSED:
            flash(_("The session “%(title)s” has been added.", title=session.title), "success")
            return to_programme_page(programme)
    return _render_form(centre, programme, None, form)


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/sessions/<int:session_id>/edit",
    methods=["GET", "POST"],
)
@centre_role_required(COORDINATOR)
def edit_session(centre, programme_id: int, session_id: int):
    programme, session, back = _timetable(centre, programme_id, session_id)
    if back is not None:
        return back
    form = SessionForm(data=SessionForm.initial_data(session, centre.timezone))
    if form.validate_on_submit():
        changed = attempt(
            form,
            lambda: sessions.update_session(
                session, actor=current_user, **form.values(programme.original_language)
            ),
        )
        if changed is not REFUSED:
            if changed:
                flash(_("The session “%(title)s” has been saved.", title=session.title), "success")
            else:
                flash(_("Nothing to save: no value was changed."), "info")
            return to_programme_page(programme)
    return _render_form(centre, programme, session, form)


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/sessions/<int:session_id>/delete",
    methods=["POST"],
)
@centre_role_required(COORDINATOR)
def delete_session(centre, programme_id: int, session_id: int):
    programme, session, back = _timetable(centre, programme_id, session_id)
    if back is not None:
        return back
    check_action_form()
    title = session.title
    removed = attempt(None, lambda: sessions.remove_session(session, actor=current_user))
    if removed is not REFUSED:
        flash(_("The session “%(title)s” has been removed.", title=title), "success")
    return to_programme_page(programme)
