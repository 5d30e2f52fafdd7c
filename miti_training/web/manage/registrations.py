"""Coordinator pages for a programme's registrations: list, detail, decisions, bulk, on behalf.

Coordinators and directors of the programme's centre (and admins) use them. Programmes are
loaded by id *and* centre, registrations by id *and* centre (or programme), so an id of
another centre is a 404 and an id of another programme is never acted on. Every decision goes
through the registrations package; its DomainErrors are shown in words, never as a 500. A status
never comes from a form: the action is the address posted to.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from miti_training.db_setup import MAX_ID
from miti_training.errors import AlreadyRegistered, DomainError
from miti_training.extensions import db
from miti_training.formatting import labels
from miti_training.models import (
    AttendanceStatus,
    MembershipRole,
    Registration,
    RegistrationStatus,
)
from miti_training.permissions import centre_role_required
from miti_training.registrations import decisions, invitations, states
from miti_training.registrations import queries as queries
from miti_training.registrations.answers import answer_key
from miti_training.registrations.queries import RegistrationFilters, SortKey, StatusFilter
from miti_training.web.manage.blueprint import bp
from miti_training.web.manage.forms import ActionForm
from miti_training.web.manage.registration_forms import (
    STATUS_FILTER_LABELS,
    BulkActionForm,
    DeclineForm,
    MoveOnWaitlistForm,
    RegisterOnBehalfForm,
    RegistrationSearchForm,
)
from miti_training.web.manage.views import _programme_or_404, _show_error

COORDINATOR = MembershipRole.COORDINATOR
#: The query-string keys of the list that survive a bulk action.
LIST_ARGS = ("status", "q", "sort", "dir", "page")


# Helpers -----------------------------------------------------------------------------------


def _registration_or_404(centre, registration_id: int) -> Registration:
    registration = queries.registration_in_centre(centre, registration_id)
    if registration is None:
        abort(404)
    return registration


def _name(registration: Registration) -> str:
    """Who the registration is for: the name, else the invited address, else "anonymised"."""
    return registration.full_name or registration.email or _("Anonymised participant")


def _to_detail(registration: Registration):
    return redirect(
        url_for(
            "manage.registration_detail",
            centre_slug=registration.programme.centre.slug,
            registration_id=registration.id,
        )
    )


def _status_sentence(registration: Registration) -> str:
    """Where a registration stands now, as a sentence about the participant."""
    name = _name(registration)
    status = registration.status
    if status == RegistrationStatus.CONFIRMED:
        return _("%(name)s is confirmed.", name=name)
    if status == RegistrationStatus.WAITLISTED:
        if registration.waitlist_position:
            return _(
                "%(name)s is on the waiting list at position %(position)d.",
                name=name,
                position=registration.waitlist_position,
            )
        return _("%(name)s is on the waiting list.", name=name)
    if status == RegistrationStatus.APPLIED:
        return _("%(name)s has applied; the application waits for review.", name=name)
    if status == RegistrationStatus.DECLINED:
        return _("The registration of %(name)s is declined.", name=name)
    if status == RegistrationStatus.WITHDRAWN:
        return _("The registration of %(name)s is withdrawn.", name=name)
    return _("The registration of %(name)s is cancelled.", name=name)


def _refused(error: DomainError) -> None:
    db.session.rollback()
    flash(str(error.message), "error")
    for problem in getattr(error, "problems", ()):
        flash(str(problem), "error")


def _check_action_form() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


def _filters_from(args) -> tuple[RegistrationFilters, RegistrationSearchForm]:
    """The list's filters from the query string; a wrong value falls back to the default."""
    form = RegistrationSearchForm(formdata=args)
    form.validate()
    status = form.status.data if not form.status.errors else StatusFilter.ACTIVE.value
    sort = form.sort.data if not form.sort.errors else SortKey.REGISTERED.value
    direction = form.dir.data if not form.dir.errors else "asc"
    for f, default in ((form.status, status), (form.sort, sort), (form.dir, direction)):
        f.errors = []
        f.data = default
    q = form.q.data if not form.q.errors else ""
    return (
        RegistrationFilters(
            status=StatusFilter(status),
            q=q or "",
            sort=SortKey(sort),
            descending=direction == "desc",
        ),
        form,
    )


def _render_detail(centre, registration, *, decline_form=None, move_form=None, status=200):
    programme = registration.programme
    answers = registration.answers or {}
    answered = [(question, answers.get(answer_key(question))) for question in programme.questions]
    return (
        render_template(
            "manage/registration.html",
            centre=centre,
            programme=programme,
            registration=registration,
            name=_name(registration),
            answered=answered,
            history=queries.registration_history(registration),
            actions=states.staff_actions(registration),
            action_form=ActionForm(),
            decline_form=decline_form or DeclineForm(),
            move_form=move_form
            or MoveOnWaitlistForm(data={"position": registration.waitlist_position or 1}),
            # The history also shows attendance changes (present, absent, excused).
            status_labels=labels(RegistrationStatus) | labels(AttendanceStatus),
        ),
        status,
    )


# The list ----------------------------------------------------------------------------------


@bp.route("/<centre_slug>/programmes/<int:programme_id>/registrations")
@centre_role_required(COORDINATOR)
def programme_registrations(centre, programme_id: int):
    programme = _programme_or_404(centre, programme_id)
    filters, form = _filters_from(request.args)
    page = queries.search_registrations(
        programme, filters, request.args.get("page", 1, type=int) or 1
    )

    def list_url(**changes) -> str:
        """This list's address with some of its parameters changed (None: left out)."""
        args = {
            "status": filters.status.value,
            "q": filters.q,
            "sort": filters.sort.value,
            "dir": "desc" if filters.descending else "asc",
            "page": page.page if page.page > 1 else None,
        }
        args.update(changes)
        return url_for(
            "manage.programme_registrations",
            centre_slug=centre.slug,
            programme_id=programme.id,
            **{k: v for k, v in args.items() if v not in (None, "")},
        )

    return render_template(
        "manage/registrations.html",
        centre=centre,
        programme=programme,
        form=form,
        filters=filters,
        page=page,
        counts=queries.status_counts(programme),
        status_labels=labels(RegistrationStatus),
        status_filters=STATUS_FILTER_LABELS,
        list_url=list_url,
    )


@bp.route("/<centre_slug>/programmes/<int:programme_id>/registrations/bulk", methods=["POST"])
@centre_role_required(COORDINATOR)
def bulk_registrations(centre, programme_id: int):
    programme = _programme_or_404(centre, programme_id)
    form = BulkActionForm()
    if not form.validate_on_submit():
        abort(400)
    back = redirect(
        url_for(
            "manage.programme_registrations",
            centre_slug=centre.slug,
            programme_id=programme.id,
            **{k: v for k in LIST_ARGS if (v := request.form.get(k, "")[:200])},
        )
    )
    ids = []
    for raw in request.form.getlist("registration_ids")[: queries.MAX_BULK]:
        try:
            ids.append(int(raw))
        except ValueError:
            continue
    ids = list(dict.fromkeys(i for i in ids if 0 < i <= MAX_ID))
    if not ids:
        flash(_("Tick at least one registration first."), "info")
        return back
    registrations = queries.registrations_by_ids(programme, ids)
    action = decisions.confirm if form.action.data == "confirm" else decisions.decline
    done, refused = 0, {}
    for registration in registrations:
        name = _name(registration)
        try:
            with db.session.begin_nested():
                action(registration, actor=current_user)
        except DomainError as error:
            refused.setdefault(str(error.message), []).append(name)
        else:
            done += 1
    db.session.commit()

    failed = sum(len(names) for names in refused.values())
    if form.action.data == "confirm":
        summary = ngettext("%(num)d confirmed.", "%(num)d confirmed.", done)
        not_done = ngettext(
            "%(num)d could not be confirmed:", "%(num)d could not be confirmed:", failed
        )
    else:
        summary = ngettext("%(num)d declined.", "%(num)d declined.", done)
        not_done = ngettext(
            "%(num)d could not be declined:", "%(num)d could not be declined:", failed
        )
    if done or not (failed or len(ids) > len(registrations)):
        flash(summary, "success")
    if failed:
        flash(not_done, "error")
        for reason, names in refused.items():
            flash(
                _("%(names)s: %(reason)s", names=", ".join(names), reason=reason),
                "error",
            )
    foreign = len(ids) - len(registrations)
    if foreign:
        flash(
            ngettext(
                "%(num)d selected registration is not a registration of this programme and was left alone.",
                "%(num)d selected registrations are not registrations of this programme and were left alone.",
                foreign,
            ),
            "error",
        )
    return back


@bp.route("/<centre_slug>/programmes/<int:programme_id>/registrations/add", methods=["GET", "POST"])
@centre_role_required(COORDINATOR)
def register_on_behalf(centre, programme_id: int):
    programme = _programme_or_404(centre, programme_id)
    form = RegisterOnBehalfForm()
    existing = None
    if form.validate_on_submit():
        email = form.email.data.lower()
        try:
            registration = invitations.register_on_behalf(programme, email, actor=current_user)
        except AlreadyRegistered as error:
            db.session.rollback()
            form.email.errors = [*form.email.errors, str(error.message)]
            existing = error.registration
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_on_behalf_sentence(registration), "success")
            return redirect(
                url_for(
                    "manage.programme_registrations",
                    centre_slug=centre.slug,
                    programme_id=programme.id,
                    status="all",
                )
            )
    return render_template(
        "manage/registration_add.html",
        centre=centre,
        programme=programme,
        form=form,
        existing_id=existing.id if existing is not None else None,
    )


def _on_behalf_sentence(registration: Registration) -> str:
    """What registering on someone's behalf did, in words."""
    if registration.user_id is None:
        return _(
            "An invitation was sent to %(email)s: the registration is theirs once they create their account.",
            email=registration.email,
        )
    name = _name(registration)
    status = registration.status
    if status == RegistrationStatus.CONFIRMED:
        return _("%(name)s is registered and confirmed.", name=name)
    if status == RegistrationStatus.WAITLISTED:
        return _(
            "%(name)s is registered, on the waiting list at position %(position)d.",
            name=name,
            position=registration.waitlist_position or 0,
        )
    return _("%(name)s is registered; the application waits for review.", name=name)


# One registration --------------------------------------------------------------------------


@bp.route("/<centre_slug>/registrations/<int:registration_id>")
@centre_role_required(COORDINATOR)
def registration_detail(centre, registration_id: int):
    return _render_detail(centre, _registration_or_404(centre, registration_id))


def _decide(centre, registration_id: int, decision):
    registration = _registration_or_404(centre, registration_id)
    _check_action_form()
    try:
        decision(registration, actor=current_user)
    except DomainError as error:
        _refused(error)
        return _to_detail(registration)
    db.session.commit()
    flash(_status_sentence(registration), "success")
    return _to_detail(registration)


@bp.route("/<centre_slug>/registrations/<int:registration_id>/confirm", methods=["POST"])
@centre_role_required(COORDINATOR)
def confirm_registration(centre, registration_id: int):
    return _decide(centre, registration_id, decisions.confirm)


@bp.route("/<centre_slug>/registrations/<int:registration_id>/waitlist", methods=["POST"])
@centre_role_required(COORDINATOR)
def waitlist_registration(centre, registration_id: int):
    return _decide(centre, registration_id, decisions.waitlist)


@bp.route("/<centre_slug>/registrations/<int:registration_id>/reinstate", methods=["POST"])
@centre_role_required(COORDINATOR)
def reinstate_registration(centre, registration_id: int):
    return _decide(centre, registration_id, decisions.reinstate)


@bp.route("/<centre_slug>/registrations/<int:registration_id>/decline", methods=["POST"])
@centre_role_required(COORDINATOR)
def decline_registration(centre, registration_id: int):
    registration = _registration_or_404(centre, registration_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _render_detail(centre, registration, decline_form=form, status=422)
    try:
        decisions.decline(registration, actor=current_user, reason=form.reason.data or "")
    except DomainError as error:
        _refused(error)
        return _to_detail(registration)
    db.session.commit()
    if form.reason.data:
        message = _(
            "The registration of %(name)s is declined; your reason was sent with the email.",
            name=_name(registration),
        )
    else:
        message = _status_sentence(registration)
    flash(message, "success")
    return _to_detail(registration)


@bp.route("/<centre_slug>/registrations/<int:registration_id>/move", methods=["POST"])
@centre_role_required(COORDINATOR)
def move_registration(centre, registration_id: int):
    registration = _registration_or_404(centre, registration_id)
    form = MoveOnWaitlistForm()
    if not form.validate_on_submit():
        return _render_detail(centre, registration, move_form=form, status=422)
    try:
        decisions.move_on_waitlist(registration, form.position.data, actor=current_user)
    except DomainError as error:
        _refused(error)
        return _to_detail(registration)
    db.session.commit()
    flash(_status_sentence(registration), "success")
    return _to_detail(registration)
