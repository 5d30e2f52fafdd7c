"""Coordinator pages for a programme's registrations: the list, bulk decisions, on behalf.

Coordinators and directors of the programme's centre (and admins) use them. Programmes are
loaded by id *and* centre, and a bulk decision acts only on the programme's own registrations.
Every decision goes through the registrations package; its DomainErrors are shown in words,
never as a 500. A status never comes from a form: the action is the address posted to.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from miti_training import formatting
from miti_training.db_setup import MAX_ID
from miti_training.errors import AlreadyRegistered, DomainError
from miti_training.extensions import db
from miti_training.formatting import labels, list_of, programme_text
from miti_training.forms.review import (
    STATUS_FILTER_LABELS,
    BulkActionForm,
    RegisterOnBehalfForm,
    RegistrationSearchForm,
)
from miti_training.models import MembershipRole, Registration, RegistrationStatus
from miti_training.permissions import centre_role_required
from miti_training.registrations import decisions, invitations, queries
from miti_training.registrations.prerequisites import missing_prerequisites
from miti_training.web.loaders import programme_in_centre_or_404
from miti_training.web.manage.blueprint import bp
from miti_training.web.refusals import check_action_form, show_refusal

COORDINATOR = MembershipRole.COORDINATOR
#: The query-string keys of the list that survive a bulk action.
LIST_ARGS = ("status", "q", "sort", "dir", "page")


def participant_name(registration: Registration) -> str:
    """Who the registration is for: the name, else the invited address, else "anonymised"."""
    return registration.full_name or registration.email or _("Anonymised participant")


def announce_promotions(promoted) -> None:
    """Tell the coordinator who took a freed seat from the waiting list, or was offered it
    (the domain reports it)."""
    for registration in promoted:
        if registration.status == RegistrationStatus.OFFERED:
            flash(
                _(
                    "%(name)s, first on the waiting list, was offered the freed seat until "
                    "%(deadline)s (%(zone)s).",
                    name=participant_name(registration),
                    deadline=formatting.moment_in_zone(
                        registration.offer_expires_at, registration.programme.centre.timezone
                    ),
                    zone=formatting.zone_name(registration.programme.centre.timezone),
                ),
                "success",
            )
            continue
        flash(
            _(
                "%(name)s moved from the waiting list to confirmed.",
                name=participant_name(registration),
            ),
            "success",
        )


def _to_list(centre, programme, **args):
    return redirect(
        url_for(
            "manage.programme_registrations",
            centre_slug=centre.slug,
            programme_id=programme.id,
            **args,
        )
    )


# The list ----------------------------------------------------------------------------------


@bp.route("/<centre_slug>/programmes/<int:programme_id>/registrations")
@centre_role_required(COORDINATOR)
def programme_registrations(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    form = RegistrationSearchForm(formdata=request.args)
    form.validate()
    filters = form.filters()
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


def _ticked_ids() -> list[int]:
    """The registration ids ticked, each once, only those that can be ids."""
    ids = []
    for raw in request.form.getlist("registration_ids")[: queries.MAX_BULK]:
        try:
            ids.append(int(raw))
        except ValueError:
            continue
    return list(dict.fromkeys(i for i in ids if 0 < i <= MAX_ID))


@bp.route("/<centre_slug>/programmes/<int:programme_id>/registrations/bulk", methods=["POST"])
@centre_role_required(COORDINATOR)
def bulk_registrations(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    form = check_action_form(BulkActionForm())
    back = _to_list(
        centre, programme, **{k: v for k in LIST_ARGS if (v := request.form.get(k, "")[:200])}
    )
    ids = _ticked_ids()
    if not ids:
        flash(_("Tick at least one registration first."), "info")
        return back
    registrations = queries.registrations_by_ids(programme, ids)
    action = decisions.confirm if form.action.data == "confirm" else decisions.decline
    done, refused, promoted = 0, {}, []
    for registration in registrations:
        name = participant_name(registration)
        try:
            with db.session.begin_nested():
                outcome = action(registration, actor=current_user)
        except DomainError as error:
            refused.setdefault(str(error.message), []).append(name)
        else:
            done += 1
            promoted.extend(getattr(outcome, "promoted", ()))
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
    announce_promotions(promoted)
    return back


@bp.route("/<centre_slug>/programmes/<int:programme_id>/registrations/add", methods=["GET", "POST"])
@centre_role_required(COORDINATOR)
def register_on_behalf(centre, programme_id: int):
    programme = programme_in_centre_or_404(centre, programme_id)
    form = RegisterOnBehalfForm()
    existing = None
    if form.validate_on_submit():
        email = form.email.data.lower()
        try:
            registration = invitations.register_on_behalf(programme, email, actor=current_user)
        except AlreadyRegistered as error:
            show_refusal(form, error, field="email")
            existing = error.registration
        except DomainError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_on_behalf_sentence(registration), "success")
            _note_missing_prerequisites(registration)
            return _to_list(centre, programme, status="all")
    return render_template(
        "manage/registration_add.html",
        centre=centre,
        programme=programme,
        form=form,
        existing_id=existing.id if existing is not None else None,
    )


def _note_missing_prerequisites(registration: Registration) -> None:
    """Staff may register someone who lacks a required programme (their decision); say so."""
    if registration.user is None:
        return
    missing = missing_prerequisites(registration.programme, registration.user)
    if missing:
        flash(
            _(
                "Note: %(name)s has not completed %(programmes)s, which this programme requires; registered by staff decision.",
                name=participant_name(registration),
                programmes=list_of(programme_text(p).title for p in missing),
            ),
            "info",
        )


def _on_behalf_sentence(registration: Registration) -> str:
    """What registering on someone's behalf did, in words."""
    if registration.user_id is None:
        return _(
            "An invitation was sent to %(email)s: the registration is theirs once they create their account.",
            email=registration.email,
        )
    name = participant_name(registration)
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
