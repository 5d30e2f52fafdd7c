"""Confirming a selection in one action: the chosen applications are confirmed, the others
waitlisted in rank order or declined with the coordinator's reason, each through the
registrations' decisions (seats, audit, the participant's email); then the focal points of
each member city concerned are told their city's outcome."""

import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from miti_training.errors import DomainError, FieldError, ProgrammeFull
from miti_training.extensions import db
from miti_training.models import Programme, Registration
from miti_training.registrations import decisions
from miti_training.registrations.answers import clean_reason
from miti_training.registrations.locking import lock_programme
from miti_training.selection import ranking
from miti_training.selection.access import require_coordinator
from miti_training.selection.notifications import notify_focal_points
from miti_training.selection.scoring import is_scored


class Others(enum.StrEnum):
    """What happens to the applications not chosen."""

    WAITLIST = "waitlist"
    DECLINE = "decline"


def confirm_selection(
    programme: Programme, chosen_ids, *, others: Others, reason: str = "", actor
) -> list[Registration]:
    """Confirm chosen_ids (pending applications of programme) and waitlist or decline every
    other pending application, in rank order; returns the registrations decided, ranked."""
    require_coordinator(actor, programme)
    if not is_scored(programme):
        raise DomainError(_l("Only applications reviewed by the centre are selected here."))
    others = Others(others)
    reason = clean_reason(reason)
    if others == Others.DECLINE and not reason:
        raise FieldError(
            _l("Give the reason sent to the applicants who are declined."), field="reason"
        )
    programme = lock_programme(programme)
    ranked = ranking.ranked_applications(programme)
    pending = {r.registration.id for r in ranked}
    chosen = set(chosen_ids)
    if not chosen:
        raise DomainError(_l("Choose at least one applicant to confirm."))
    if not chosen <= pending:
        raise DomainError(
            _l("Some applications were decided meanwhile: look at the list again and confirm.")
        )
    if len(chosen) > programme.capacity - programme.seats_taken:
        raise ProgrammeFull(
            _l(
                "Only %(free)d seats are free: choose fewer applicants or raise the capacity.",
                free=max(programme.capacity - programme.seats_taken, 0),
            )
        )
    if others == Others.WAITLIST and not programme.is_waitlist_enabled:
        raise FieldError(
            _l("This programme has no waiting list: decline the other applicants."),
            field="others",
        )
    decided = []
    for item in ranked:
        registration = item.registration
        if registration.id in chosen:
            decisions.confirm(registration, actor=actor)
        elif others == Others.WAITLIST:
            decisions.waitlist(registration, actor=actor)
        else:
            decisions.decline(registration, actor=actor, reason=reason)
        decided.append(registration)
    db.session.flush()
    notify_focal_points(programme, decided)
    return decided


def decided_in(programme: Programme, registration_ids) -> list[Registration]:
    """Registrations of programme among registration_ids (for the page that follows)."""
    return list(
        db.session.scalars(
            select(Registration).where(
                Registration.programme_id == programme.id,
                Registration.id.in_(list(registration_ids)),
            )
        )
    )
