"""Centre management pages: programmes, their sessions and their life cycle.

Every route names the centre in its address and checks the user's role in it
(permissions.centre_role_required); programmes and sessions are always loaded by id *and*
centre, so an id of another centre is a 404. Coordinators may create and edit drafts;
publishing, cancelling, completing, duplicating and changing published programmes need the
centre's director (or an admin).
"""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from miti_training.errors import DomainError
from miti_training.extensions import db
from miti_training.formatting import label
from miti_training.models import (
    MembershipRole,
    Programme,
    ProgrammeSession,
    ProgrammeStatus,
    utcnow,
)
from miti_training.network import centres as centre_admin
from miti_training.network.roles import can_manage
from miti_training.permissions import centre_role_required, staff_required
from miti_training.programmes import drafts, editing, editions, lifecycle, rules, sessions
from miti_training.web.manage.blueprint import bp
from miti_training.web.manage.forms import (
    ActionForm,
    CancelForm,
    DuplicateForm,
    ProgrammeForm,
    SessionForm,
)

DIRECTOR = MembershipRole.DIRECTOR
COORDINATOR = MembershipRole.COORDINATOR


# Helpers -----------------------------------------------------------------------------------


def _programme_or_404(centre, programme_id: int) -> Programme:
    """The programme with this id in this centre; any other centre's id is a 404."""
    return db.first_or_404(
        select(Programme)
        .where(Programme.id == programme_id, Programme.centre_id == centre.id)
        .options(selectinload(Programme.sessions), selectinload(Programme.translations))
    )


def _session_or_404(programme: Programme, session_id: int) -> ProgrammeSession:
    """One of the programme's own sessions (loaded with it); any other id is a 404."""
    for session in programme.sessions:
        if session.id == session_id:
            return session
    abort(404)


def _editable_or_403(centre, programme: Programme):
    """Coordinators may change drafts only; a final programme sends the user back with a note.

    Returns a redirect when the programme can no longer be changed, else None.
    """
    if programme.status != ProgrammeStatus.DRAFT and not can_manage(current_user, centre, DIRECTOR):
        abort(403)
    if not editing.can_edit(current_user, programme):
        flash(
            _(
                "This programme is %(status)s; it can no longer be changed.",
                status=_status(programme),
            ),
            "info",
        )
        return _to_detail(programme)
    return None


def _status(programme: Programme) -> str:
    return label(programme.status).lower()


def _to_detail(programme: Programme):
    return redirect(
        url_for(
            "manage.programme_detail",
            centre_slug=programme.centre.slug,
            programme_id=programme.id,
        )
    )


def _show_error(form, error: DomainError) -> None:
    """A refused value goes beside its field; other refusals (and their problems) are flashed."""
    db.session.rollback()
    name = getattr(error, "field", None)
    target = form[name] if form is not None and name and name in form else None
    if target is not None:
        target.errors = [*target.errors, str(error.message)]
        return
    flash(str(error.message), "error")
    for problem in getattr(error, "problems", ()):
        flash(str(problem), "error")


def _check_action_form() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


# Overview ----------------------------------------------------------------------------------


@bp.route("/")
@staff_required
def index():
    return render_template(
        "manage/index.html", centres=centre_admin.centres_managed_by(current_user)
    )


@bp.route("/<centre_slug>/")
@centre_role_required(COORDINATOR)
def centre_overview(centre):
    is_director = can_manage(current_user, centre, DIRECTOR)
    return render_template(
        "manage/centre.html",
        centre=centre,
        programmes=centre_admin.centre_programmes(centre),
        staff=centre_admin.centre_staff(centre),
        is_director=is_director,
        can_import=is_director and "manage.import_calendar" in current_app.view_functions,
    )


# Programmes --------------------------------------------------------------------------------


@bp.route("/<centre_slug>/programmes/new", methods=["GET", "POST"])
@centre_role_required(COORDINATOR)
def new_programme(centre):
    form = ProgrammeForm()
    original = rules.DEFAULT_LANGUAGE  # the translation fieldsets shown are the other languages
    if form.validate_on_submit():
        try:
            programme = drafts.create_draft(
                centre, form.values(), actor=current_user, translations=form.translations(original)
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "The draft “%(title)s” has been created. Add its sessions next.",
                    title=programme.title,
                ),
                "success",
            )
            return _to_detail(programme)
    return render_template(
        "manage/programme_form.html",
        centre=centre,
        programme=None,
        form=form,
        translation_languages=form.translation_languages(original),
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>")
@centre_role_required(COORDINATOR)
def programme_detail(centre, programme_id: int):
    programme = _programme_or_404(centre, programme_id)
    is_director = can_manage(current_user, centre, DIRECTOR)
    is_draft = programme.status == ProgrammeStatus.DRAFT
    now = utcnow()
    return render_template(
        "manage/programme.html",
        centre=centre,
        programme=programme,
        is_director=is_director,
        can_edit=editing.can_edit(current_user, programme),
        problems=rules.publish_problems(programme) if is_draft else [],
        can_complete=(
            programme.status == ProgrammeStatus.PUBLISHED
            and bool(programme.sessions)
            and max(s.ends_at for s in programme.sessions) <= now
        ),
        active_registrations=lifecycle.active_registration_count(programme),
        history=lifecycle.programme_history(programme),
        edition_of=(
            db.session.get(Programme, programme.edition_of_id) if programme.edition_of_id else None
        ),
        action_form=ActionForm(),
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@centre_role_required(COORDINATOR)
def edit_programme(centre, programme_id: int):
    programme = _programme_or_404(centre, programme_id)
    back = _editable_or_403(centre, programme)
    if back is not None:
        return back
    # The fieldsets shown are those of the languages other than the saved original language.
    original = programme.original_language
    form = ProgrammeForm(data=ProgrammeForm.initial_data(programme))
    if form.validate_on_submit():
        try:
            changed = drafts.update_programme(
                programme,
                form.values(),
                actor=current_user,
                translations=form.translations(original),
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            if changed:
                flash(_("“%(title)s” has been saved.", title=programme.title), "success")
            else:
                flash(_("Nothing to save: no value was changed."), "info")
            return _to_detail(programme)
    return render_template(
        "manage/programme_form.html",
        centre=centre,
        programme=programme,
        form=form,
        translation_languages=form.translation_languages(original),
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/publish", methods=["POST"])
@centre_role_required(DIRECTOR)
def publish_programme(centre, programme_id: int):
    programme = _programme_or_404(centre, programme_id)
    _check_action_form()
    try:
        lifecycle.publish(programme, actor=current_user)
    except DomainError as error:
        _show_error(None, error)
        return _to_detail(programme)
    db.session.commit()
    flash(
        _(
            "“%(title)s” is published: it is in the public catalogue and open to registration from the opening time.",
            title=programme.title,
        ),
        "success",
    )
    return _to_detail(programme)


@bp.route("/<centre_slug>/programmes/<int:programme_id>/cancel", methods=["GET", "POST"])
@centre_role_required(DIRECTOR)
def cancel_programme(centre, programme_id: int):
    programme = _programme_or_404(centre, programme_id)
    if programme.status != ProgrammeStatus.PUBLISHED:
        flash(_("Only a published programme can be cancelled."), "info")
        return _to_detail(programme)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            cancelled = lifecycle.cancel_programme(programme, form.reason.data, actor=current_user)
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(
                ngettext(
                    "“%(title)s” has been cancelled. %(num)d participant has been emailed.",
                    "“%(title)s” has been cancelled. %(num)d participants have been emailed.",
                    len(cancelled),
                    title=programme.title,
                ),
                "success",
            )
            return _to_detail(programme)
    return render_template(
        "manage/cancel.html",
        centre=centre,
        programme=programme,
        form=form,
        active_registrations=lifecycle.active_registration_count(programme),
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/complete", methods=["POST"])
@centre_role_required(DIRECTOR)
def complete_programme(centre, programme_id: int):
    programme = _programme_or_404(centre, programme_id)
    _check_action_form()
    try:
        lifecycle.mark_completed(programme, actor=current_user)
    except DomainError as error:
        _show_error(None, error)
        return _to_detail(programme)
    db.session.commit()
    flash(_("“%(title)s” is marked completed.", title=programme.title), "success")
    return _to_detail(programme)


@bp.route("/<centre_slug>/programmes/<int:programme_id>/duplicate", methods=["GET", "POST"])
@centre_role_required(DIRECTOR)
def duplicate_programme(centre, programme_id: int):
    programme = _programme_or_404(centre, programme_id)
    form = DuplicateForm(data={"title": programme.title})
    if form.validate_on_submit():
        try:
            edition = editions.duplicate_as_new_edition(
                programme,
                actor=current_user,
                shift_days=form.shift_days.data,
                new_starts_on=form.new_starts_on.data,
                title=form.title.data,
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "A new edition of “%(title)s” has been created as a draft. Check it before publishing.",
                    title=programme.title,
                ),
                "success",
            )
            return _to_detail(edition)
    return render_template("manage/duplicate.html", centre=centre, programme=programme, form=form)


# Sessions ----------------------------------------------------------------------------------


@bp.route("/<centre_slug>/programmes/<int:programme_id>/sessions/new", methods=["GET", "POST"])
@centre_role_required(COORDINATOR)
def add_session(centre, programme_id: int):
    programme = _programme_or_404(centre, programme_id)
    back = _editable_or_403(centre, programme)
    if back is not None:
        return back
    form = SessionForm()
    if form.validate_on_submit():
        try:
            session = sessions.add_session(programme, actor=current_user, **form.values())
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("The session “%(title)s” has been added.", title=session.title), "success")
            return _to_detail(programme)
    return render_template(
        "manage/session_form.html", centre=centre, programme=programme, session=None, form=form
    )


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/sessions/<int:session_id>/edit",
    methods=["GET", "POST"],
)
@centre_role_required(COORDINATOR)
def edit_session(centre, programme_id: int, session_id: int):
    programme = _programme_or_404(centre, programme_id)
    session = _session_or_404(programme, session_id)
    back = _editable_or_403(centre, programme)
    if back is not None:
        return back
    form = SessionForm(data=SessionForm.initial_data(session, centre.timezone))
    if form.validate_on_submit():
        try:
            changed = sessions.update_session(session, actor=current_user, **form.values())
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            if changed:
                flash(_("The session “%(title)s” has been saved.", title=session.title), "success")
            else:
                flash(_("Nothing to save: no value was changed."), "info")
            return _to_detail(programme)
    return render_template(
        "manage/session_form.html",
        centre=centre,
        programme=programme,
        session=session,
        form=form,
    )


@bp.route(
    "/<centre_slug>/programmes/<int:programme_id>/sessions/<int:session_id>/delete",
    methods=["POST"],
)
@centre_role_required(COORDINATOR)
def delete_session(centre, programme_id: int, session_id: int):
    programme = _programme_or_404(centre, programme_id)
    session = _session_or_404(programme, session_id)
    back = _editable_or_403(centre, programme)
    if back is not None:
        return back
    _check_action_form()
    title = session.title
    try:
        sessions.remove_session(session, actor=current_user)
    except DomainError as error:
        _show_error(None, error)
        return _to_detail(programme)
    db.session.commit()
    flash(_("The session “%(title)s” has been removed.", title=title), "success")
    return _to_detail(programme)
