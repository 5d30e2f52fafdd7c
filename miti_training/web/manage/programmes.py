"""Centre management pages: the centres, their programmes and the programmes' life cycle.

Every route names the centre in its address and checks the user's role in it
(permissions.centre_role_required); programmes are always loaded by id *and* centre, so an id
of another centre is a 404. Coordinators may create and edit drafts; publishing, cancelling,
completing, duplicating and changing published programmes need the centre's director (or an
admin).
"""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from miti_training.formatting import label
from miti_training.forms.common import ActionForm
from miti_training.forms.programmes import CancelForm, DuplicateForm, ProgrammeForm
from miti_training.models import MembershipRole, Programme, ProgrammeStatus
from miti_training.network import centres as centre_admin
from miti_training.network.roles import can_manage
from miti_training.permissions import centre_role_required, staff_required
from miti_training.programmes import drafts, editing, editions, lifecycle, rules
from miti_training.web.loaders import programme_in_centre_or_404, to_programme_page
from miti_training.web.manage.blueprint import bp
from miti_training.web.manage.registrations import announce_promotions
from miti_training.web.refusals import REFUSED, attempt, check_action_form

DIRECTOR = MembershipRole.DIRECTOR
COORDINATOR = MembershipRole.COORDINATOR


def unchangeable_redirect(centre, programme: Programme):
    """None when the user may change the programme now; else the way back to it, with a note.

    Coordinators may change drafts only (403 for the rest).
    """
    if programme.status != ProgrammeStatus.DRAFT and not can_manage(current_user, centre, DIRECTOR):
        abort(403)
    if not editing.can_edit(current_user, programme):
        flash(
            _(
                "This programme is %(status)s; it can no longer be changed.",
                status=label(programme.status).lower(),
            ),
            "info",
        )
        return to_programme_page(programme)
    return None


# Overview ----------------------------------------------------------------------------------


@bp.route("/")
@staff_required
def index():
    managed = centre_admin.centres_managed_by(current_user)
    if not managed and current_user.is_reviewer:
        # A reviewer manages nothing: their work is scoring.
        return redirect(url_for("manage.scoring_home"))
    # Staff of one centre have nothing to choose: their centre is where they work.
    if len(managed) == 1 and not current_user.is_admin:
        return redirect(url_for("manage.centre_overview", centre_slug=managed[0].slug))
    return render_template("manage/index.html", centres=managed)


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


def _render_form(centre, programme, form: ProgrammeForm, original: str):
    """The form of programme (None: a new draft), with a translation fieldset for each
    language other than original."""
    return render_template(
        "manage/programme_form.html",
        centre=centre,
        programme=programme,
        form=form,
        translation_languages=form.translation_languages(original),
    )


@bp.route("/<centre_slug>/programmes/new", methods=["GET", "POST"])
@centre_role_required(COORDINATOR)
def new_programme(centre):
    form = ProgrammeForm()
    original = rules.DEFAULT_LANGUAGE  # the translation fieldsets shown are the other languages
    if form.validate_on_submit():
        programme = attempt(
            form,
            lambda: drafts.create_draft(
                centre, form.values(), actor=current_user, translations=form.translations(original)
            ),
        )
        if programme is not REFUSED:
            flash(
                _(
                    "The draft “%(title)s” has been created. Add its sessions next.",
                    title=programme.title,
                ),
                "success",
            )
            return to_programme_page(programme)
    return _render_form(centre, None, form, original)


@bp.route("/<centre_slug>/programmes/<int:programme_id>")
@centre_role_required(COORDINATOR)
def programme_detail(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    is_draft = programme.status == ProgrammeStatus.DRAFT
    return render_template(
        "manage/programme.html",
        centre=centre,
        programme=programme,
        is_director=can_manage(current_user, centre, DIRECTOR),
        can_edit=editing.can_edit(current_user, programme),
        problems=rules.publish_problems(programme) if is_draft else [],
        can_complete=lifecycle.can_complete(programme),
        active_registrations=lifecycle.active_registration_count(programme),
        unpublish_refusal=lifecycle.unpublish_refusal(programme),
        history=lifecycle.programme_history(programme),
        edition_of=editions.previous_edition(programme),
        action_form=ActionForm(),
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@centre_role_required(COORDINATOR)
def edit_programme(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    back = unchangeable_redirect(centre, programme)
    if back is not None:
        return back
    # The fieldsets shown are those of the languages other than the saved original language.
    original = programme.original_language
    form = ProgrammeForm(data=ProgrammeForm.initial_data(programme))
    if form.validate_on_submit():
        changed = attempt(
            form,
            lambda: drafts.update_programme(
                programme,
                form.values(),
                actor=current_user,
                translations=form.translations(original),
            ),
        )
        if changed is not REFUSED:
            if changed:
                flash(_("“%(title)s” has been saved.", title=programme.title), "success")
                announce_promotions(changed.promoted)
            else:
                flash(_("Nothing to save: no value was changed."), "info")
            return to_programme_page(programme)
    return _render_form(centre, programme, form, original)


def _take_step(programme: Programme, step, done: str):
    """A button of the programme's life cycle: take step, say done, back to the programme."""
    check_action_form()
    if attempt(None, lambda: step(programme, actor=current_user)) is not REFUSED:
        flash(done, "success")
    return to_programme_page(programme)


@bp.route("/<centre_slug>/programmes/<int:programme_id>/publish", methods=["POST"])
@centre_role_required(DIRECTOR)
def publish_programme(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    published = _(
        "“%(title)s” is published: it is in the public catalogue and open to registration from the opening time.",
        title=programme.title,
    )
    return _take_step(programme, lifecycle.publish, published)


@bp.route("/<centre_slug>/programmes/<int:programme_id>/cancel", methods=["GET", "POST"])
@centre_role_required(DIRECTOR)
def cancel_programme(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    if programme.status != ProgrammeStatus.PUBLISHED:
        flash(_("Only a published programme can be cancelled."), "info")
        return to_programme_page(programme)
    form = CancelForm()
    if form.validate_on_submit():
        cancelled = attempt(
            form,
            lambda: lifecycle.cancel_programme(programme, form.reason.data, actor=current_user),
        )
        if cancelled is not REFUSED:
            flash(
                ngettext(
                    "“%(title)s” has been cancelled. %(num)d participant has been emailed.",
                    "“%(title)s” has been cancelled. %(num)d participants have been emailed.",
                    len(cancelled),
                    title=programme.title,
                ),
                "success",
            )
            return to_programme_page(programme)
    return render_template(
        "manage/cancel.html",
        centre=centre,
        programme=programme,
        form=form,
        active_registrations=lifecycle.active_registration_count(programme),
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/unpublish", methods=["GET", "POST"])
@centre_role_required(DIRECTOR)
def unpublish_programme(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    refusal = lifecycle.unpublish_refusal(programme)
    if refusal is not None:
        flash(str(refusal), "error")
        return to_programme_page(programme)
    form = ActionForm()
    if form.validate_on_submit():
        if attempt(None, lambda: lifecycle.unpublish(programme, actor=current_user)) is REFUSED:
            return to_programme_page(programme)
        flash(
            _(
                "“%(title)s” is a draft again: it has left the public catalogue.",
                title=programme.title,
            ),
            "success",
        )
        return to_programme_page(programme)
    return render_template("manage/unpublish.html", centre=centre, programme=programme, form=form)


@bp.route("/<centre_slug>/programmes/<int:programme_id>/complete", methods=["POST"])
@centre_role_required(DIRECTOR)
def complete_programme(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    completed = _("“%(title)s” is marked completed.", title=programme.title)
    return _take_step(programme, lifecycle.mark_completed, completed)


@bp.route("/<centre_slug>/programmes/<int:programme_id>/duplicate", methods=["GET", "POST"])
@centre_role_required(DIRECTOR)
def duplicate_programme(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    form = DuplicateForm(data={"title": programme.title})
    if form.validate_on_submit():
        edition = attempt(
            form,
            lambda: editions.duplicate_as_new_edition(
                programme,
                actor=current_user,
                shift_days=form.shift_days.data,
                new_starts_on=form.new_starts_on.data,
                title=form.title.data,
            ),
        )
        if edition is not REFUSED:
            flash(
                _(
                    "A new edition of “%(title)s” has been created as a draft. Check it before publishing.",
                    title=programme.title,
                ),
                "success",
            )
            return to_programme_page(edition)
    return render_template("manage/duplicate.html", centre=centre, programme=programme, form=form)
